#include "nn/ggml/ggml_execution.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <string_view>

#include <llama.h>

namespace wnn::nn::ggml {

namespace {

std::atomic<bool> log_on{false};

void log_line(ggml_log_level, const char* text, void*) {
  if (log_on.load(std::memory_order_relaxed)) std::fputs(text, stderr);
}

// The most prompt bytes one set_input takes (its tokens are sized from it).
constexpr size_t kMaxPromptBytes = size_t(16) << 20;

int32_t default_threads() {
  cpu_set_t set;
  CPU_ZERO(&set);
  const int n = ::sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
  return std::clamp(n, 1, 64);
}

}  // namespace

void set_log(bool on) {
  static const bool installed = (llama_log_set(&log_line, nullptr), true);
  (void)installed;
  log_on.store(on, std::memory_order_relaxed);
}

Model::~Model() {
  if (model) llama_model_free(model);
}

LlmExecution::~LlmExecution() {
  if (sampler_) llama_sampler_free(sampler_);
  if (ctx_) llama_free(ctx_);
}

Result<void> LlmExecution::check_prompt(const TensorView& t) const {
  if (t.type != TensorType::U8)
    return Failure{kInvalidArgument,
                   std::string("input 0 is the prompt, a u8 tensor of UTF-8 text, not ") + tensor_type_name(t.type)};
  if (t.data.size() > kMaxPromptBytes)
    return Failure{kTooLarge, "the prompt's " + std::to_string(t.data.size()) + " bytes exceed " +
                                  std::to_string(kMaxPromptBytes)};
  return {};
}

Result<void> LlmExecution::set_options(const TensorView& t) {
  if (t.type != TensorType::U8)
    return Failure{kInvalidArgument,
                   std::string("input 1 is the options, a u8 tensor of JSON, not ") + tensor_type_name(t.type)};
  bool context_changed = false;
  auto r = apply_options(std::string_view(reinterpret_cast<const char*>(t.data.data()), t.data.size()), opt_,
                         context_changed);
  if (!r) return r;
  if (context_changed && ctx_) {  // a new context at the next compute
    llama_free(ctx_);
    ctx_ = nullptr;
    stream_ = Stream::Idle;
  }
  if (sampler_) {
    llama_sampler_free(sampler_);
    sampler_ = nullptr;
  }
  return {};
}

Result<void> LlmExecution::set_input(uint32_t index, const TensorView& t) {
  if (index == 1) return set_options(t);
  if (index != 0)
    return Failure{kInvalidArgument,
                   "input " + std::to_string(index) + " does not exist (0: the prompt, 1: options JSON)"};
  if (auto r = check_prompt(t); !r) return r;
  prompt_copy_.assign(t.data.begin(), t.data.end());
  prompt_ = prompt_copy_;
  have_prompt_ = true;
  stream_ = Stream::Idle;  // a new prompt: a new answer
  return {};
}

Result<void> LlmExecution::bind_input(uint32_t index, const TensorView& t) {
  if (index != 0) return set_input(index, t);
  if (auto r = check_prompt(t); !r) return r;
  prompt_copy_.clear();
  prompt_ = t.data;  // read at the next compute (the caller keeps it)
  have_prompt_ = true;
  stream_ = Stream::Idle;
  return {};
}

Result<void> LlmExecution::ensure_context() {
  if (!ctx_) {
    const int32_t train = llama_model_n_ctx_train(model_->model);
    int64_t n_ctx = opt_.ctx_size == 0 ? train : std::min<int64_t>(opt_.ctx_size, train > 0 ? train : opt_.ctx_size);
    n_ctx = std::max<int64_t>(n_ctx, 8);
    llama_context_params p = llama_context_default_params();
    p.n_ctx = uint32_t(n_ctx);
    p.n_batch = uint32_t(std::min<int64_t>(opt_.batch_size, n_ctx));
    p.n_ubatch = std::min<uint32_t>(p.n_batch, 512);
    p.n_seq_max = 1;
    p.n_threads = p.n_threads_batch = opt_.threads ? int32_t(opt_.threads) : default_threads();
    p.no_perf = true;
    n_ctx_ = uint32_t(n_ctx);
    ctx_ = llama_init_from_model(model_->model, p);
    if (!ctx_)
      return Failure{kRuntimeError, "llama.cpp cannot make a context of " + std::to_string(n_ctx) +
                                        " tokens (out of memory? try a smaller ctx-size)"};
  }
  if (!sampler_) make_sampler();
  return {};
}

// The sampling chain (docs/wasi-nn.md, "GGML"): temp 0 is argmax; else
// penalties, top-k, top-p, min-p, temperature, then a seeded draw.
void LlmExecution::make_sampler() {
  llama_sampler_chain_params cp = llama_sampler_chain_default_params();
  cp.no_perf = true;
  sampler_ = llama_sampler_chain_init(cp);
  const llama_vocab* vocab = llama_model_get_vocab(model_->model);
  if (opt_.repeat_penalty != 1.0 && opt_.last_n_penalty != 0)
    llama_sampler_chain_add(sampler_,
                            llama_sampler_init_penalties(llama_vocab_n_tokens(vocab), int32_t(opt_.last_n_penalty),
                                                         float(opt_.repeat_penalty), 0.0f, 0.0f));
  if (opt_.temp <= 0) {
    llama_sampler_chain_add(sampler_, llama_sampler_init_greedy());
    return;
  }
  if (opt_.top_k > 0) llama_sampler_chain_add(sampler_, llama_sampler_init_top_k(int32_t(opt_.top_k)));
  llama_sampler_chain_add(sampler_, llama_sampler_init_top_p(float(opt_.top_p), 1));
  llama_sampler_chain_add(sampler_, llama_sampler_init_min_p(float(opt_.min_p), 1));
  llama_sampler_chain_add(sampler_, llama_sampler_init_temp(float(opt_.temp)));
  llama_sampler_chain_add(sampler_, llama_sampler_init_dist(opt_.seed < 0 ? LLAMA_DEFAULT_SEED : uint32_t(opt_.seed)));
}

Result<void> LlmExecution::decode(const int32_t* tokens, size_t n) {
  const uint32_t n_ctx = n_ctx_;
  if (n_pos_ + n > n_ctx)
    return Failure{kContextFull, "the context is full (" + std::to_string(n_pos_ + n) + " of " + std::to_string(n_ctx) +
                                     " tokens): give a larger ctx-size or a smaller n-predict"};
  const size_t step = llama_n_batch(ctx_);
  for (size_t i = 0; i < n; i += step) {
    const int32_t k = int32_t(std::min(step, n - i));
    const int32_t rc = llama_decode(ctx_, llama_batch_get_one(const_cast<int32_t*>(tokens + i), k));
    if (rc != 0)
      return Failure{kRuntimeError,
                     "llama_decode failed (" + std::to_string(rc) + ") at token " + std::to_string(n_pos_)};
    n_pos_ += uint32_t(k);
  }
  return {};
}

Result<void> LlmExecution::begin() {
  if (!have_prompt_) return Failure{kInvalidArgument, "no prompt: set_input(0, the prompt as u8 text) first"};
  if (auto r = ensure_context(); !r) return r;
  // Cells only: the stale K/V data of the last answer is masked out, and
  // zeroing it (24 MB at ctx-size 1024) cost 3% of prompt processing.
  llama_memory_clear(llama_get_memory(ctx_), false);
  llama_sampler_reset(sampler_);
  n_pos_ = 0;
  answer_.clear();
  last_.clear();
  n_output_tokens_ = 0;
  const llama_vocab* vocab = llama_model_get_vocab(model_->model);
  // At most one token per byte, plus the model's special tokens.
  std::vector<llama_token> tokens(prompt_.size() + 8);
  const int32_t n = llama_tokenize(vocab, reinterpret_cast<const char*>(prompt_.data()), int32_t(prompt_.size()),
                                   tokens.data(), int32_t(tokens.size()), true, true);
  if (n < 0) return Failure{kRuntimeError, "llama_tokenize needs " + std::to_string(-n) + " tokens for the prompt"};
  tokens.resize(size_t(n));
  n_input_tokens_ = tokens.size();
  // WasmEdge's limit: the context less 4 tokens (room for special tokens).
  const uint32_t n_ctx = n_ctx_;
  if (tokens.size() + 4 > n_ctx)
    return Failure{kPromptTooLong, "the prompt is " + std::to_string(tokens.size()) + " tokens, the context takes " +
                                       std::to_string(n_ctx - 4) + " (ctx-size " + std::to_string(n_ctx) + " less 4)"};
  if (tokens.empty()) return Failure{kInvalidArgument, "the prompt is empty (no tokens)"};
  computed_ = true;
  return decode(tokens.data(), tokens.size());
}

Result<void> LlmExecution::step(bool in_compute) {
  const llama_vocab* vocab = llama_model_get_vocab(model_->model);
  llama_token tok = llama_sampler_sample(sampler_, ctx_, -1);  // (also accepts it)
  if (!opt_.ignore_eos && llama_vocab_is_eog(vocab, tok))
    return Failure{kEndOfSequence, "end of sequence (the model's end-of-generation token)", true};
  last_.resize(64);
  int32_t len = llama_token_to_piece(vocab, tok, last_.data(), int32_t(last_.size()), 0, true);
  if (len < 0) {  // a longer piece: -len bytes
    last_.resize(size_t(-len));
    len = llama_token_to_piece(vocab, tok, last_.data(), int32_t(last_.size()), 0, true);
  }
  last_.resize(size_t(std::max(len, 0)));
  answer_ += last_;
  ++n_output_tokens_;
  if (in_compute && !opt_.reverse_prompt.empty() && answer_.find(opt_.reverse_prompt) != std::string::npos)
    return Failure{kEndOfSequence, "the reverse prompt", true};
  return decode(&tok, 1);
}

Result<void> LlmExecution::compute() {
  set_log(opt_.enable_log);
  stream_ = Stream::Idle;
  if (auto r = begin(); !r) return r;
  Result<void> r;
  for (int64_t i = 0; (opt_.n_predict < 0 || i < opt_.n_predict) && r; ++i) r = step(true);
  if (!r && r.failure().code == kEndOfSequence) return {};
  return r;  // context_full: the answer so far is output 0 (as WasmEdge)
}

Result<void> LlmExecution::compute_single() {
  set_log(opt_.enable_log);
  if (stream_ == Stream::Ended)
    return Failure{ended_.code, "the answer has ended (" + ended_.why +
                                    "): fini_single, or set_input a new prompt, "
                                    "starts another"};
  if (stream_ == Stream::Idle) {
    if (auto r = begin(); !r) return r;
    stream_ = Stream::Running;
  }
  auto r = opt_.n_predict >= 0 && int64_t(n_output_tokens_) >= opt_.n_predict
               ? Result<void>(Failure{kEndOfSequence, "n-predict tokens generated", true})
               : step(false);
  if (!r) {
    stream_ = Stream::Ended;
    ended_ = r.failure();
  }
  return r;
}

Result<void> LlmExecution::fini_single() {
  stream_ = Stream::Idle;
  last_.clear();
  return {};
}

std::string LlmExecution::metadata() const {
  return "{\"input_tokens\": " + std::to_string(n_input_tokens_) +
         ", \"output_tokens\": " + std::to_string(n_output_tokens_) + ", \"llama_commit\": \"" WNN_LLAMA_COMMIT "\"}";
}

namespace {
Result<void> copy_out(const std::string& s, std::span<uint8_t> out, uint64_t& needed, uint32_t index) {
  needed = s.size();
  if (out.size() < s.size())
    return Failure{kTooLarge, "output " + std::to_string(index) + " is " + std::to_string(s.size()) +
                                  " bytes, the buffer " + std::to_string(out.size())};
  if (!s.empty()) std::memcpy(out.data(), s.data(), s.size());
  return {};
}
}  // namespace

Result<void> LlmExecution::get_output(uint32_t index, std::span<uint8_t> out, uint64_t& needed) {
  if (index > 1)
    return Failure{kInvalidArgument,
                   "output " + std::to_string(index) + " does not exist (0: the answer, 1: metadata JSON)"};
  if (!computed_) return Failure{kInvalidArgument, kNotComputed};
  return copy_out(index == 0 ? answer_ : metadata(), out, needed, index);
}

Result<void> LlmExecution::get_output_single(uint32_t index, std::span<uint8_t> out, uint64_t& needed) {
  if (index > 1)
    return Failure{kInvalidArgument,
                   "output " + std::to_string(index) + " does not exist (0: the last token, 1: metadata JSON)"};
  return copy_out(index == 0 ? last_ : metadata(), out, needed, index);
}

}  // namespace wnn::nn::ggml
