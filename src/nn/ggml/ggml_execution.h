// One execution context of a GGUF language model on llama.cpp, with
// WasmEdge's GGML contract: input 0 = the prompt (u8 text), input 1 =
// options JSON; compute = a whole answer, compute_single = one more token;
// output 0 = the answer (compute) or the last token (get_output_single),
// output 1 = {"input_tokens", "output_tokens", "llama_commit"} JSON.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "nn/backend.h"
#include "nn/ggml/llm_options.h"

struct llama_model;
struct llama_context;
struct llama_sampler;

namespace wnn::nn::ggml {

// A loaded model (shared by its graph and the graph's executions).
struct Model {
  llama_model* model = nullptr;
  ~Model();
};

class LlmExecution final : public Execution {
 public:
  LlmExecution(std::shared_ptr<Model> m, LlmOptions o) : model_(std::move(m)), opt_(std::move(o)) {}
  ~LlmExecution() override;

  Result<void> set_input(uint32_t index, const TensorView& t) override;
  Result<void> bind_input(uint32_t index, const TensorView& t) override;
  Result<void> compute() override;
  Result<void> get_output(uint32_t index, std::span<uint8_t> out, uint64_t& needed) override;
  Result<void> compute_single() override;
  Result<void> get_output_single(uint32_t index, std::span<uint8_t> out, uint64_t& needed) override;
  Result<void> fini_single() override;
  bool byte_string_inputs() const override { return true; }

 private:
  enum class Stream { Idle, Running, Ended };

  Result<void> check_prompt(const TensorView& t) const;
  Result<void> set_options(const TensorView& t);
  Result<void> ensure_context();
  void make_sampler();
  // Clears the context and the answer, and evaluates the prompt.
  Result<void> begin();
  // Samples one token; appends it and evaluates it, or says why not
  // (end_of_sequence, context_full). in_compute: the reverse prompt counts.
  Result<void> step(bool in_compute);
  Result<void> decode(const int32_t* tokens, size_t n);
  std::string metadata() const;

  std::shared_ptr<Model> model_;
  LlmOptions opt_;
  llama_context* ctx_ = nullptr;
  llama_sampler* sampler_ = nullptr;
  std::vector<uint8_t> prompt_copy_;      // set_input's copy
  std::span<const uint8_t> prompt_;       // the prompt (the copy, or bound bytes)
  bool have_prompt_ = false;
  uint64_t n_input_tokens_ = 0, n_output_tokens_ = 0;
  uint32_t n_pos_ = 0;  // tokens in the context
  uint32_t n_ctx_ = 0;  // the context's size: ctx-size as asked (llama.cpp pads its own to 256)
  std::string answer_;  // output 0 of compute
  std::string last_;    // output 0 of get_output_single
  bool computed_ = false;
  Stream stream_ = Stream::Idle;
  Failure ended_;  // why the streamed answer ended
};

// llama.cpp's log lines go to stderr only while an execution or load with
// enable-log runs (llama.cpp's log callback is process-wide).
void set_log(bool on);

}  // namespace wnn::nn::ggml
