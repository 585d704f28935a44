// wasi-nn inside wnn: the ABI enumerations (witx numbering), the tensor a
// guest passes, and the small interface every inference backend implements.
// Backends never throw: every failure is a Failure {errno, reason}, and the
// host layer (src/nn/nn.cpp) turns the reason into one log line on stderr.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "support/executable_dir.h"
#include "wnn/expected.h"

namespace wnn::nn {

// nn_errno (witx order; WasmEdge's extensions from 100).
enum Errno : uint32_t {
  kSuccess = 0,
  kInvalidArgument = 1,
  kInvalidEncoding = 2,
  kMissingMemory = 3,
  kBusy = 4,
  kRuntimeError = 5,
  kUnsupportedOperation = 6,
  kTooLarge = 7,
  kNotFound = 8,
  // WasmEdge's LLM extensions (its wasinntypes.h ErrNo; the GGML backend).
  kEndOfSequence = 100,
  kContextFull = 101,
  kPromptTooLong = 102,
  kModelNotFound = 103,
};
const char* errno_name(uint32_t e);

enum class TensorType : uint8_t { F16 = 0, F32 = 1, F64 = 2, U8 = 3, I32 = 4, I64 = 5 };
constexpr uint32_t kTensorTypeCount = 6;
const char* tensor_type_name(TensorType t);
uint32_t element_size(TensorType t);

// Witx's graph_encoding, and WasmEdge's ggml = 6 (its wasinntypes.h Backend).
enum class Encoding : uint8_t {
  OpenVino = 0,
  Onnx = 1,
  TensorFlow = 2,
  PyTorch = 3,
  TensorFlowLite = 4,
  Autodetect = 5,
  Ggml = 6
};
constexpr uint32_t kEncodingCount = 7;
const char* encoding_name(Encoding e);
std::optional<Encoding> parse_encoding(std::string_view s);  // case-insensitive name

enum class Target : uint8_t { Cpu = 0, Gpu = 1, Tpu = 2 };
constexpr uint32_t kTargetCount = 3;
const char* target_name(Target t);
std::optional<Target> parse_target(std::string_view s);  // cpu/gpu/tpu, also AUTO = cpu

struct Failure {
  Errno code = kRuntimeError;
  std::string why;     // one line, no trailing newline
  bool quiet = false;  // not logged (get_output's size query: out_max_bytes 0)
};

// A value or a Failure (errors as values, like wnn::Expected, and checked
// like it: reading the alternative it does not hold aborts with a message).
template <typename T> class Result {
 public:
  Result(T v) : v_(std::move(v)) {}
  Result(Failure f) : f_(std::move(f)) {}
  explicit operator bool() const { return v_.has_value(); }
  T& operator*() { return *get(); }
  T* operator->() { return get(); }
  const Failure& failure() const {
    if (v_) wnn::detail::bad_expected_access("nn::Result::failure() on a value", nullptr);
    return f_;
  }

 private:
  T* get() {
    if (!v_) wnn::detail::bad_expected_access(("nn::Result: value of a failure: " + f_.why).c_str(), nullptr);
    return &*v_;
  }
  std::optional<T> v_;
  Failure f_;
};
template <> class Result<void> {
 public:
  Result() = default;
  Result(Failure f) : f_(std::move(f)), ok_(false) {}
  explicit operator bool() const { return ok_; }
  const Failure& failure() const {
    if (ok_) wnn::detail::bad_expected_access("nn::Result::failure() on a value", nullptr);
    return f_;
  }

 private:
  Failure f_;
  bool ok_ = true;
};

// A guest tensor, already bounds-checked: `data` points into guest memory
// and is valid only during the call.
struct TensorView {
  TensorType type = TensorType::F32;
  std::vector<uint32_t> dims;
  std::span<const uint8_t> data;
};

std::string dims_string(std::span<const uint32_t> dims);

// What one builder's bytes look like, for autodetect: a TFLite flatbuffer
// ("TFL3" at offset 4), or OpenVINO IR xml (starts with '<' after blanks).
bool looks_like_tflite(std::span<const uint8_t> b);
bool looks_like_ir_xml(std::span<const uint8_t> b);
bool looks_like_gguf(std::span<const uint8_t> b);  // "GGUF" at offset 0 (llama.cpp's format)

// get_output after set_input with no compute since (every backend says it alike).
constexpr const char* kNotComputed = "get_output before compute (no results yet)";

// One inference session on a graph.
class Execution {
 public:
  virtual ~Execution() = default;
  // Copies the tensor's bytes into the backend's input (the guest may reuse
  // its buffer as soon as the call returns).
  virtual Result<void> set_input(uint32_t index, const TensorView& t) = 0;
  // Like set_input, but the backend may read t.data in place instead of
  // copying it: the caller keeps those bytes valid until the next
  // bind_input/set_input of this index or the execution's end (the worker
  // process binds tensors in its shared arena).
  virtual Result<void> bind_input(uint32_t index, const TensorView& t) { return set_input(index, t); }
  virtual Result<void> compute() = 0;
  // Copies output `index` into `out` when it fits; `needed` always receives
  // the output's size in bytes (too_large when out.size() < needed).
  virtual Result<void> get_output(uint32_t index, std::span<uint8_t> out, uint64_t& needed) = 0;
  // Asks the backend to write output `index` of later computes straight
  // into `out` (valid until the next bind_output of this index or the
  // execution's end): false when it cannot (the output's size is not
  // static or not out.size()); get_output still works either way.
  virtual bool bind_output(uint32_t, std::span<uint8_t>) { return false; }

  // Token streaming (WasmEdge's LLM extension; the GGML backend): each
  // compute_single generates one more token of the answer to the input,
  // get_output_single reads it (index 0) or the token counts (index 1),
  // fini_single ends the answer. Other backends: unsupported_operation.
  virtual Result<void> compute_single() { return no_single("compute_single"); }
  virtual Result<void> get_output_single(uint32_t, std::span<uint8_t>, uint64_t&) {
    return no_single("get_output_single");
  }
  virtual Result<void> fini_single() { return no_single("fini_single"); }
  // Whether a u8 input is a byte string (a prompt) whose dims need not
  // multiply to its length: WasmEdge's GGML guests pass dims [1].
  virtual bool byte_string_inputs() const { return false; }

 protected:
  static Failure no_single(const char* fn) {
    return Failure{kUnsupportedOperation, std::string(fn) +
                                              " is for generative (LLM) graphs (encoding ggml); this graph's "
                                              "backend has none: use compute/get_output"};
  }
};

// A loaded (compiled) model.
class Graph {
 public:
  virtual ~Graph() = default;
  virtual Result<std::unique_ptr<Execution>> create_execution() = 0;
  // False once the graph cannot be used any more (its worker process died).
  virtual bool alive() const { return true; }
};

// What a load gets besides the model: the NnContext's options and the graph's own config.
struct LoadOptions {
  std::string cache_dir;  // compiled-model cache directory; empty: none
  // The most bytes any one tensor a model computes may take (NnConfig::max_tensor_bytes); 0: no cap.
  uint64_t max_tensor_bytes = 0;
  // The graph's configuration, a JSON object as text (src/nn/graph_config.h:
  // syntax checked and at most kMaxConfigBytes); empty: none. The backend
  // reads its keys and refuses unknown ones (invalid_argument).
  std::string config;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual const char* name() const = 0;
  virtual bool handles(Encoding e) const = 0;
  // `parts` are the graph builders (guest memory or host file bytes, valid
  // only during the call).
  virtual Result<std::shared_ptr<Graph>> load(std::span<const std::span<const uint8_t>> parts, Encoding encoding,
                                              Target target, const LoadOptions& options) = 0;
};

// The backends built into this wnn (src/nn/backend.cpp): openvino, and ggml
// for encoding ggml. A backend that was not built (or is disabled with
// WNN_NN_DISABLE=openvino,ggml) is reported by
// `missing_backend_reason`.
Backend* backend_for(Encoding e);
bool backend_available(Encoding e);  // its module is there (without loading it)
std::string missing_backend_reason(Encoding e);
std::vector<std::string> available_backends();

}  // namespace wnn::nn
