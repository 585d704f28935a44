// The table of wasi-nn backends. A backend lives in a shared module of its
// own (libwnn_nn_<name>.so, next to the wnn binary), opened with dlopen on
// first use: a program that does not use wasi-nn does not pay for loading
// OpenVINO (~9 ms and 6 MB at start-up) or llama.cpp, and a wnn whose
// OpenVINO went away still runs everything else and says what is missing.
#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "nn/backend.h"

namespace wnn::nn {

namespace {

// One backend module: its names and, once opened, the backend or why not.
struct Module {
  const char* name;       // "openvino"
  const char* file;       // the module's file name (nullptr: not built)
  const char* built_at;   // its path in the build tree
  const char* create;     // its factory symbol
  const char* install;    // how to get it, for messages
  std::string error = {};  // why it could not be opened
  Backend* backend = nullptr;
  bool tried = false;

  bool disabled() const {
    const char* d = std::getenv("WNN_NN_DISABLE");
    return d && std::strstr(d, name);
  }

  // The module's path: next to the executable first (build tree and
  // installed layouts), then the build tree's path (for test binaries elsewhere in it).
  std::string path() const {
    if (!file) return {};
    for (const std::string& p : {executable_dir() + "/" + file, std::string(built_at)})
      if (::access(p.c_str(), F_OK) == 0) return p;
    return {};
  }

  Backend* open() {
    if (!file || disabled()) return nullptr;
    if (tried) return backend;  // never unloaded: the engine stays until exit
    tried = true;
    const std::string p = path();
    if (p.empty()) {
      error = std::string(file) + " is missing (looked next to wnn and at " + built_at + ")";
      return nullptr;
    }
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
    // OpenVINO's oneTBB dlopens libtbbbind with RTLD_DEEPBIND, which ASan's
    // dlopen refuses (the process aborts); with this variable it leaves the
    // flag out. Only in sanitizer builds, before TBB is loaded.
    ::setenv("TBB_ENABLE_SANITIZERS", "1", 0);
#endif
    void* h = ::dlopen(p.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const char* e = ::dlerror();
      error = e ? e : "dlopen(" + p + ") failed";
      return nullptr;
    }
    using Create = Backend* (*)();
    auto make = reinterpret_cast<Create>(::dlsym(h, create));
    backend = make ? make() : nullptr;
    if (!backend) error = p + " has no " + create;
    return backend;
  }

  std::string missing(Encoding e) {
    const std::string what = std::string("the ") + name + " backend (for encoding " + encoding_name(e) + ")";
    if (!file) return what + " is not built into this wnn: " + install;
    if (disabled()) return what + " is disabled by WNN_NN_DISABLE=" + name;
    (void)open();
    if (!error.empty()) return what + " cannot be loaded: " + error + ". " + install;
    return what + " is unavailable";
  }
};

#ifdef WNN_OPENVINO_MODULE
Module openvino {
  "openvino", WNN_OPENVINO_MODULE_NAME, WNN_OPENVINO_MODULE, "wnn_nn_openvino_create",
#else
Module openvino{"openvino", nullptr, "", "wnn_nn_openvino_create",
#endif
      "run scripts/setup, which installs OpenVINO into .venv and rebuilds wnn with it (or configure CMake "
      "with -DOpenVINO_DIR=<openvino>/cmake)"
};

#ifdef WNN_GGML_MODULE
Module ggml {
  "ggml", WNN_GGML_MODULE_NAME, WNN_GGML_MODULE, "wnn_nn_ggml_create",
#else
Module ggml{"ggml", nullptr, "", "wnn_nn_ggml_create",
#endif
      "run scripts/setup, which builds llama.cpp into ~/.cache/wnn/llama.cpp and rebuilds wnn with it (or "
      "configure CMake with -Dllama_DIR=<llama.cpp install>/lib/cmake/llama)"
};

Module* module_for(Encoding e) {
  if (e == Encoding::PyTorch) return nullptr;
  return e == Encoding::Ggml ? &ggml : &openvino;
}

}  // namespace

Backend* backend_for(Encoding e) {
  Module* m = module_for(e);
  return m ? m->open() : nullptr;
}

bool backend_available(Encoding e) {
  Module* m = module_for(e);
  return m && !m->disabled() && !m->path().empty();
}

std::string missing_backend_reason(Encoding e) {
  if (e == Encoding::PyTorch)
    return "no backend for encoding pytorch in this wnn (OpenVINO cannot read TorchScript; convert the model to "
           "OpenVINO IR or ONNX)";
  return module_for(e)->missing(e);
}

std::vector<std::string> available_backends() {
  std::vector<std::string> r;
  // Without loading them (that costs the engines' start-up): are the modules there?
  for (Module* m : {&openvino, &ggml})
    if (!m->disabled() && !m->path().empty()) r.push_back(m->name);
  return r;
}

}  // namespace wnn::nn
