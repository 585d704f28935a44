// The GGML backend (src/nn/ggml) through `wnn run`: a LlamaEdge-style C guest
// (guests/llm.c) on SmolLM2-135M-Instruct (scripts/nn-fetch llm), in both
// isolation modes; and what a bad model, prompt or config gets. One thread
// each: ggml's threads spin at their barriers, which on a loaded 2-core
// machine made a 16-token run take 40 s instead of 3.
#include <gtest/gtest.h>

#include <string>

#include "run_wnn.h"

namespace {

using nn_test::wnn;
namespace fs = std::filesystem;

#define NEED_GGML()                                                                       \
  do {                                                                                    \
    if (!NN_HAVE_GGML) GTEST_SKIP() << "wnn built without llama.cpp (run scripts/setup)"; \
  } while (0)

const std::string kModel = NN_LLM_MODEL;
const std::string kGuest = std::string(NN_GUEST_DIR) + "/llm.wasm";

// The value of "key=" in the guest's output, up to the end of its line.
std::string field(const std::string& out, const std::string& key) {
  const size_t at = out.find(key + "=");
  if (at == std::string::npos) return "<no " + key + ">";
  const size_t from = at + key.size() + 1;
  return out.substr(from, out.find('\n', from) - from);
}

nn_test::Result run_llm(const std::string& isolation, const std::string& config, const std::string& prompt,
                        const std::vector<std::string>& extra = {}, const std::string& model = kModel) {
  std::vector<std::string> args = {"run", "--nn-isolation=" + isolation, "--nn-preload", "llm:GGML:AUTO:" + model};
  args.insert(args.end(), extra.begin(), extra.end());
  for (const std::string& a : {kGuest, std::string("llm"), config, prompt}) args.push_back(a);
  return wnn(args);
}

// A file of `n` bytes: the model's first n, or `text`.
std::string temp_file(const std::string& name, size_t n, const std::string& text = "") {
  const fs::path p = fs::temp_directory_path() / ("wnn_llm_test_" + std::to_string(::getpid()) + "_" + name);
  std::string bytes = text.empty() ? nn_test::slurp(kModel).substr(0, n) : text;
  std::ofstream(p, std::ios::binary) << bytes;
  return p.string();
}

TEST(NnGgml, GreedyAnswerAndItsStreamAgree) {
  NEED_GGML();
  for (const char* isolation : {"process", "none"}) {
    SCOPED_TRACE(isolation);
    auto r =
        run_llm(isolation, R"({"temp": 0, "n-predict": 8, "ctx-size": 256, "threads": 1})", "The capital of France is");
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_EQ(field(r.out, "compute"), "0");
    const std::string answer = field(r.out, "answer");
    EXPECT_NE(answer.find("Paris"), std::string::npos) << answer;
    EXPECT_EQ(field(r.out, "stream"), answer);  // the streamed tokens concatenate to compute's answer
    EXPECT_EQ(field(r.out, "single"), "100");  // n-predict reached: end_of_sequence
    EXPECT_EQ(field(r.out, "after_end"), "100");  // and again after it, until fini_single
    EXPECT_EQ(field(r.out, "fini"), "0");
    EXPECT_NE(field(r.out, "meta").find("\"output_tokens\": 8,"), std::string::npos) << r.out;
    EXPECT_NE(field(r.out, "meta_single").find("\"output_tokens\": 8,"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("compute_single: the answer has ended (n-predict tokens generated)"), std::string::npos)
        << r.err;
  }
}

TEST(NnGgml, OptionsAtInputOneAndReversePrompt) {
  NEED_GGML();
  // Options as input 1 (LlamaEdge's way): 3 tokens, greedy.
  auto r = wnn({"run", "--nn-preload", "llm:GGML:AUTO:" + kModel, kGuest, "llm", "-", "The capital of France is",
                R"({"temp": 0.0, "n-predict": 3, "ctx-size": 128, "threads": 1})"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(field(r.out, "options"), "0");
  EXPECT_NE(field(r.out, "meta").find("\"output_tokens\": 3,"), std::string::npos) << r.out;
  // compute stops once the answer holds the reverse prompt.
  r = run_llm("process", R"({"temp": 0, "n-predict": 16, "ctx-size": 256, "threads": 1, "reverse-prompt": "Paris"})",
              "The capital of France is");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const std::string answer = field(r.out, "answer");
  EXPECT_EQ(answer.size() - answer.find("Paris"), std::string("Paris|").size()) << answer;
}

TEST(NnGgml, ConfigOfWrongTypeOrUnknownKeyIsInvalidArgument) {
  NEED_GGML();
  auto r = run_llm("process", R"({"temp": "hot"})", "hi");
  EXPECT_EQ(field(r.out, "load"), "1") << r.out << r.err;
  EXPECT_NE(r.err.find("config key \"temp\" must be a number"), std::string::npos) << r.err;
  r = run_llm("process", R"({"n-predict": 4, "top_p": 0.5})", "hi");
  EXPECT_EQ(field(r.out, "load"), "1") << r.out << r.err;
  EXPECT_NE(r.err.find("config key \"top_p\" is unknown to the ggml backend"), std::string::npos) << r.err;
  // The same checks for options set as input 1.
  r = wnn({"run", "--nn-preload", "llm:GGML:AUTO:" + kModel, kGuest, "llm", "-", "hi", R"({"n-predict": 1.5})"});
  EXPECT_EQ(field(r.out, "options"), "1") << r.out << r.err;
  EXPECT_NE(r.err.find("config key \"n-predict\" must be an integer"), std::string::npos) << r.err;
}

TEST(NnGgml, PromptLongerThanTheContext) {
  NEED_GGML();
  std::string prompt;
  for (int i = 0; i < 40; ++i) prompt += "one two three ";
  auto r = run_llm("process", R"({"temp": 0, "ctx-size": 32, "threads": 1})", prompt);
  EXPECT_EQ(field(r.out, "compute"), "102") << r.out << r.err;  // prompt_too_long (WasmEdge's number)
  EXPECT_NE(r.err.find("compute: the prompt is"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[prompt_too_long]"), std::string::npos) << r.err;
}

TEST(NnGgml, AnswerThatFillsTheContext) {
  NEED_GGML();
  auto r = run_llm("process", R"({"temp": 0, "ctx-size": 24, "ignore-eos": true, "threads": 1})",
                   "The capital of France is");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(field(r.out, "compute"), "101");  // context_full, the answer so far is output 0
  EXPECT_NE(field(r.out, "answer"), "|");
  EXPECT_EQ(field(r.out, "stream"), field(r.out, "answer"));
  EXPECT_EQ(field(r.out, "single"), "101");
  EXPECT_NE(r.err.find("the context is full"), std::string::npos) << r.err;
}

TEST(NnGgml, BadModelFiles) {
  NEED_GGML();
  const std::string truncated = temp_file("truncated.gguf", 1 << 20);
  const std::string text = temp_file("text.gguf", 0, "these are not the weights you are looking for\n");
  for (const char* isolation : {"process", "none"}) {
    SCOPED_TRACE(isolation);
    auto r = run_llm(isolation, "-", "hi", {}, truncated);
    EXPECT_EQ(field(r.out, "load"), "1") << r.out << r.err;
    EXPECT_NE(r.err.find("llama.cpp cannot load this GGUF model (1048576 bytes)"), std::string::npos) << r.err;
    r = run_llm(isolation, "-", "hi", {}, text);
    EXPECT_EQ(field(r.out, "load"), "1") << r.out << r.err;
    EXPECT_NE(r.err.find("not a GGUF file"), std::string::npos) << r.err;
  }
  // A guest's own GGUF bytes (load, encoding ggml): over --nn-max-model-bytes, truncated, and whole.
  const std::string dir = fs::path(kModel).parent_path().string();
  const std::string tdir = fs::path(truncated).parent_path().string();
  auto r = wnn({"run", "--nn-max-model-bytes", "50M", "--dir", dir + "::/m", kGuest,
                "/m/" + fs::path(kModel).filename().string(), "-", "hi"});
  EXPECT_EQ(field(r.out, "load"), "7") << r.out << r.err;  // too_large
  EXPECT_NE(r.err.find("load: the model's 98362432 bytes exceed the limit of 52428800 (--nn-max-model-bytes)"),
            std::string::npos)
      << r.err;
  r = wnn({"run", "--dir", tdir + "::/t", kGuest, "/t/" + fs::path(truncated).filename().string(), "-", "hi"});
  EXPECT_EQ(field(r.out, "load"), "1") << r.out << r.err;
  EXPECT_NE(r.err.find("llama.cpp cannot load this GGUF model (1048576 bytes)"), std::string::npos) << r.err;
  r = wnn({"run", "--dir", dir + "::/m", kGuest, "/m/" + fs::path(kModel).filename().string(), "-",
           "The capital of France is", R"({"temp": 0, "n-predict": 2, "threads": 1})"});
  EXPECT_EQ(field(r.out, "compute"), "0") << r.out << r.err;
  EXPECT_EQ(field(r.out, "answer"), " Paris.|");
  fs::remove(truncated);
  fs::remove(text);
}

}  // namespace
