#include "nn/ggml/llm_options.h"

#include <optional>

#include "nn/graph_config.h"

namespace wnn::nn::ggml {

namespace {

template <typename T, typename V> Result<void> take(Result<std::optional<V>> r, T& field, bool* changed = nullptr) {
  if (!r) return r.failure();
  if (*r) {
    if (changed && T(**r) != field) *changed = true;
    field = T(**r);
  }
  return {};
}

}  // namespace

Result<void> apply_options(std::string_view json, LlmOptions& o, bool& context_changed) {
  auto cfg = GraphConfig::parse(json);
  if (!cfg) return cfg.failure();
  LlmOptions n = o;  // all or nothing
  bool ctx = false;
  constexpr int64_t kMaxTokens = int64_t(1) << 24;
  for (Result<void> r : {
           take(cfg->integer("n-predict", -1, kMaxTokens), n.n_predict),
           take(cfg->string("reverse-prompt", 1024), n.reverse_prompt),
           take(cfg->boolean("ignore-eos"), n.ignore_eos),
           take(cfg->number("temp", 0, 100), n.temp),
           take(cfg->number("top-p", 0, 1), n.top_p),
           take(cfg->number("min-p", 0, 1), n.min_p),
           take(cfg->integer("top-k", 0, kMaxTokens), n.top_k),
           take(cfg->number("repeat-penalty", 0, 100), n.repeat_penalty),
           take(cfg->integer("last-n-penalty", -1, kMaxTokens), n.last_n_penalty),
           take(cfg->integer("seed", -1, UINT32_MAX - 1), n.seed),
           take(cfg->integer("ctx-size", 0, kMaxTokens), n.ctx_size, &ctx),
           take(cfg->integer("batch-size", 1, kMaxTokens), n.batch_size, &ctx),
           take(cfg->integer("threads", 0, 256), n.threads, &ctx),
           take(cfg->boolean("enable-log"), n.enable_log),
       })
    if (!r) return r;
  // WasmEdge's keys that mean nothing on a CPU-only llama.cpp: their type is
  // checked, their value has no effect (LlamaEdge's guests send them).
  bool ignored_b = false;
  int64_t ignored_i = 0;
  for (Result<void> r : {
           take(cfg->boolean("enable-debug-log"), ignored_b),
           take(cfg->boolean("stream-stdout"), ignored_b),
           take(cfg->boolean("use-mmap"), ignored_b),
           take(cfg->integer("n-gpu-layers", -1, INT32_MAX), ignored_i),
           take(cfg->integer("main-gpu", -1, INT32_MAX), ignored_i),
       })
    if (!r) return r;
  if (auto r = cfg->no_other_keys("ggml"); !r) return r;
  o = std::move(n);
  context_changed = context_changed || ctx;
  return {};
}

}  // namespace wnn::nn::ggml
