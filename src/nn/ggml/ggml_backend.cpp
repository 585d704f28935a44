// wasi-nn's GGML backend (libwnn_nn_ggml.so): GGUF language models on
// llama.cpp (CPU), with WasmEdge's GGML guest contract so that its guests
// (LlamaEdge's) run unchanged. docs/wasi-nn.md, "GGML", has the contract:
// encoding 6, the options, the outputs, the errors.
#include <cstdio>
#include <memory>

#include <llama.h>

#include "nn/backend.h"
#include "nn/ggml/ggml_execution.h"
#include "nn/ggml/llm_options.h"

namespace wnn::nn::ggml {

namespace {

class LlmGraph final : public Graph {
 public:
  LlmGraph(std::shared_ptr<Model> m, LlmOptions o) : model_(std::move(m)), options_(std::move(o)) {}
  Result<std::unique_ptr<Execution>> create_execution() override {
    return std::unique_ptr<Execution>(new LlmExecution(model_, options_));
  }

 private:
  std::shared_ptr<Model> model_;
  LlmOptions options_;  // the graph's config: each execution starts from it
};

// The model from its bytes: llama.cpp reads them through a FILE* over the
// buffer (fmemopen; no mmap), so no path is ever opened and the bytes need
// not outlive the load. A file llama.cpp cannot read is invalid_argument.
Result<std::shared_ptr<Model>> read_model(std::span<const uint8_t> bytes) {
  if (!looks_like_gguf(bytes))
    return Failure{kInvalidArgument,
                   "not a GGUF file (it does not start with \"GGUF\"; " + std::to_string(bytes.size()) + " bytes)"};
  std::FILE* f = ::fmemopen(const_cast<uint8_t*>(bytes.data()), bytes.size(), "rb");
  if (!f) return Failure{kRuntimeError, "fmemopen of the model's bytes failed"};
  llama_model_params p = llama_model_default_params();
  p.n_gpu_layers = 0;
  p.load_mode = LLAMA_LOAD_MODE_NONE;  // read into llama.cpp's buffers: no mmap, no mlock
  p.check_tensors = true;  // tensor data checked for NaN/inf and type sizes
  auto m = std::make_shared<Model>();
  m->model = llama_model_load_from_file_ptr(f, p);
  std::fclose(f);
  if (!m->model)
    return Failure{kInvalidArgument, "llama.cpp cannot load this GGUF model (" + std::to_string(bytes.size()) +
                                         " bytes): truncated, malformed or of an architecture it does not know "
                                         "(enable-log shows its reason)"};
  return m;
}

class GgmlBackend final : public Backend {
 public:
  GgmlBackend() { llama_backend_init(); }
  const char* name() const override { return "ggml"; }
  bool handles(Encoding e) const override { return e == Encoding::Ggml; }

  Result<std::shared_ptr<Graph>> load(std::span<const std::span<const uint8_t>> parts, Encoding, Target target,
                                      const LoadOptions& options) override {
    if (parts.size() != 1)
      return Failure{kInvalidArgument,
                     "a GGML graph is one GGUF file, got " + std::to_string(parts.size()) + " builders"};
    if (target != Target::Cpu)
      return Failure{kUnsupportedOperation,
                     std::string("this wnn's llama.cpp runs on the cpu only, not ") + target_name(target)};
    LlmOptions o;
    bool unused = false;
    if (auto r = apply_options(options.config, o, unused); !r) return r.failure();
    set_log(o.enable_log);
    auto m = read_model(parts[0]);
    set_log(false);
    if (!m) return m.failure();
    return std::shared_ptr<Graph>(new LlmGraph(std::move(*m), std::move(o)));
  }
};

}  // namespace

}  // namespace wnn::nn::ggml

extern "C" __attribute__((visibility("default"))) wnn::nn::Backend* wnn_nn_ggml_create() {
  static wnn::nn::ggml::GgmlBackend backend;
  return &backend;
}
