// The table of wasi-nn backends. A backend lives in a shared module of its
// own (libwnn_nn_<name>.so, next to the wnn binary), opened with dlopen on
// first use: a program that does not use wasi-nn does not pay for loading
// OpenVINO (~9 ms and 6 MB at start-up), and a wnn whose OpenVINO went away
// still runs everything else and says what is missing.
#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "nn/backend.h"

namespace wnn::nn {

namespace {

[[maybe_unused]] bool openvino_disabled() {
  const char* d = std::getenv("WNN_NN_DISABLE");
  return d && std::strstr(d, "openvino");
}

std::string module_error;  // why the backend module could not be loaded

#ifdef WNN_OPENVINO_MODULE
// The module's path: next to the executable first (build tree and installed
// layouts), then the build tree's path (for test binaries elsewhere in it).
std::string module_path() {
  for (const std::string& path : {executable_dir() + "/" WNN_OPENVINO_MODULE_NAME, std::string(WNN_OPENVINO_MODULE)})
    if (::access(path.c_str(), F_OK) == 0) return path;
  return {};
}

Backend* load_module() {
  using Create = Backend* (*)();
  const std::string path = module_path();
  if (path.empty()) {
    module_error = WNN_OPENVINO_MODULE_NAME " is missing (looked next to wnn and at " WNN_OPENVINO_MODULE ")";
    return nullptr;
  }
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
  // OpenVINO's oneTBB dlopens libtbbbind with RTLD_DEEPBIND, which ASan's
  // dlopen refuses (the process aborts); with this variable it leaves the
  // flag out. Only in sanitizer builds, before TBB is loaded.
  ::setenv("TBB_ENABLE_SANITIZERS", "1", 0);
#endif
  void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char* e = ::dlerror();
    module_error = e ? e : "dlopen(" + path + ") failed";
    return nullptr;
  }
  auto create = reinterpret_cast<Create>(::dlsym(h, "wnn_nn_openvino_create"));
  Backend* b = create ? create() : nullptr;
  if (!b) module_error = path + " has no wnn_nn_openvino_create";
  return b;
}
#endif

Backend* openvino() {
#ifdef WNN_OPENVINO_MODULE
  if (openvino_disabled()) return nullptr;
  static Backend* b = load_module();  // never unloaded: OpenVINO stays until exit
  return b;
#else
  return nullptr;
#endif
}

}  // namespace

Backend* backend_for(Encoding e) {
  if (e == Encoding::PyTorch) return nullptr;
  return openvino();
}

std::string missing_backend_reason(Encoding e) {
  if (e == Encoding::PyTorch)
    return "no backend for encoding pytorch in this wnn (OpenVINO cannot read TorchScript; convert the model to "
           "OpenVINO IR or ONNX)";
#ifdef WNN_OPENVINO_MODULE
  if (openvino_disabled())
    return std::string("the openvino backend (for encoding ") + encoding_name(e) +
           ") is disabled by WNN_NN_DISABLE=openvino";
  (void)openvino();
  if (!module_error.empty())
    return std::string("the openvino backend (for encoding ") + encoding_name(e) +
           ") cannot be loaded: " + module_error + ". Run scripts/setup (it installs OpenVINO into .venv and rebuilds wnn)";
#endif
  return std::string("the openvino backend (for encoding ") + encoding_name(e) +
         ") is not built into this wnn: run scripts/setup, which installs OpenVINO into .venv and rebuilds wnn "
         "with it (or configure CMake with -DOpenVINO_DIR=<openvino>/cmake)";
}

std::vector<std::string> available_backends() {
  std::vector<std::string> r;
#ifdef WNN_OPENVINO_MODULE
  // Without loading it (that costs OpenVINO's start-up): is the module there?
  if (!openvino_disabled() && !module_path().empty()) r.push_back("openvino");
#endif
  return r;
}

}  // namespace wnn::nn
