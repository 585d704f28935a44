// Names of the wasi-nn enumerations (also compiled into each backend module).
#include <cctype>
#include <cstring>

#include "nn/backend.h"

namespace wnn::nn {

const char* errno_name(uint32_t e) {
  static const char* const names[] = {"success",  "invalid_argument", "invalid_encoding",      "missing_memory",
                                      "busy",     "runtime_error",    "unsupported_operation", "too_large",
                                      "not_found"};
  static const char* const llm[] = {"end_of_sequence", "context_full", "prompt_too_long", "model_not_found"};
  if (e >= 100 && e - 100 < std::size(llm)) return llm[e - 100];
  return e < std::size(names) ? names[e] : "unknown";
}

const char* tensor_type_name(TensorType t) {
  static const char* const names[] = {"f16", "f32", "f64", "u8", "i32", "i64"};
  return uint32_t(t) < kTensorTypeCount ? names[uint32_t(t)] : "?";
}

uint32_t element_size(TensorType t) {
  static const uint32_t sizes[] = {2, 4, 8, 1, 4, 8};
  return uint32_t(t) < kTensorTypeCount ? sizes[uint32_t(t)] : 0;
}

bool looks_like_tflite(std::span<const uint8_t> b) {
  return b.size() >= 8 && std::memcmp(b.data() + 4, "TFL3", 4) == 0;
}

bool looks_like_gguf(std::span<const uint8_t> b) { return b.size() >= 4 && std::memcmp(b.data(), "GGUF", 4) == 0; }

bool looks_like_ir_xml(std::span<const uint8_t> b) {
  size_t i = 0;
  while (i < b.size() && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) ++i;
  return i < b.size() && b[i] == '<';
}

const char* encoding_name(Encoding e) {
  static const char* const names[] = {"openvino",       "onnx",       "tensorflow", "pytorch",
                                      "tensorflowlite", "autodetect", "ggml"};
  return uint32_t(e) < kEncodingCount ? names[uint32_t(e)] : "?";
}

const char* target_name(Target t) {
  static const char* const names[] = {"cpu", "gpu", "tpu"};
  return uint32_t(t) < kTargetCount ? names[uint32_t(t)] : "?";
}

namespace {
std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = char(std::tolower(static_cast<unsigned char>(c)));
  return r;
}
}  // namespace

std::optional<Encoding> parse_encoding(std::string_view s) {
  const std::string l = lower(s);
  for (uint32_t i = 0; i < kEncodingCount; ++i)
    if (l == encoding_name(Encoding(i))) return Encoding(i);
  if (l == "ov" || l == "ir") return Encoding::OpenVino;
  if (l == "tflite") return Encoding::TensorFlowLite;
  if (l == "tf") return Encoding::TensorFlow;
  return std::nullopt;
}

std::optional<Target> parse_target(std::string_view s) {
  const std::string l = lower(s);
  if (l == "cpu" || l == "auto") return Target::Cpu;
  if (l == "gpu") return Target::Gpu;
  if (l == "tpu" || l == "npu") return Target::Tpu;
  return std::nullopt;
}

std::string dims_string(std::span<const uint32_t> dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? "," : "") + std::to_string(dims[i]);
  return s + "]";
}

}  // namespace wnn::nn
