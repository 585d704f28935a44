// The GGML backend's options: WasmEdge's GGML metadata keys (its
// plugins/wasi_nn/GGML/metadata/metadata_parser.cpp), read from a graph's
// config (load_by_name_with_config, --nn-config) and from the JSON a guest
// sets as input 1, each checked for type and range.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "nn/backend.h"

namespace wnn::nn::ggml {

struct LlmOptions {
  // Generation.
  int64_t n_predict = -1;  // tokens per answer; -1: until end of sequence or a full context
  std::string reverse_prompt;  // compute stops once the answer contains it
  bool ignore_eos = false;     // go on past the model's end-of-generation tokens
  // Sampling (the chain is in docs/wasi-nn.md): temp 0 is greedy (argmax).
  double temp = 0.8, top_p = 0.95, min_p = 0.05, repeat_penalty = 1.0;
  int64_t top_k = 40, last_n_penalty = 64;
  int64_t seed = -1;  // -1: a random seed per answer (llama.cpp's LLAMA_DEFAULT_SEED)
  // The llama.cpp context (changing these makes a new one).
  int64_t ctx_size = 4096;  // 0: the model's training context; capped at it
  int64_t batch_size = 512;
  int64_t threads = 0;  // 0: one per CPU this process may run on (at most 64)
  // llama.cpp's log lines on stderr (off: only wnn's one line per failed call).
  bool enable_log = false;
};

// Applies the keys of `json` (a JSON object; "" for none) to `o`; every key
// must be known and well typed (invalid_argument naming it). `context_changed`
// is set when a key of the llama.cpp context changed.
Result<void> apply_options(std::string_view json, LlmOptions& o, bool& context_changed);

}  // namespace wnn::nn::ggml
