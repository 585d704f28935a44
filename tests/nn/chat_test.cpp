// The chat examples (examples/chat: C and Rust guests) on the GGML backend
// with SmolLM2-135M-Instruct (scripts/nn-fetch llm), against llama.cpp called
// natively with the same settings (bench/nn/llm_native.cpp): greedy decoding
// must give the same bytes streamed token by token, from one compute, and
// natively.
#include <gtest/gtest.h>

#include <chrono>

#include "run_wnn.h"

namespace {

using nn_test::Result;
namespace fs = std::filesystem;

// Greedy, short, one thread (deterministic and quick on a shared machine).
constexpr const char* kConfig = R"({"temp":0,"n-predict":16,"ctx-size":512,"threads":1})";
constexpr const char* kPrompt = "The capital of France is";

fs::path model() { return fs::path(NN_LLM_MODEL); }

std::string native_answer(const std::string& prompt) {
  Result r = nn_test::run_program(
      NN_LLM_NATIVE,
      {model().string(), prompt, "--temp", "0", "--n-predict", "16", "--ctx-size", "512", "--threads", "1"},
      fs::temp_directory_path());
  EXPECT_EQ(r.code, 0) << r.err;
  return r.out;
}

// The guest's answer: its stdout without the newline it ends with.
Result guest(const std::string& wasm, const std::vector<std::string>& extra, const std::string& prompt) {
  std::vector<std::string> args = {
      "run",      "--nn-preload", "default:GGML:AUTO:" + model().string(), std::string(NN_EXAMPLES_DIR) + "/" + wasm,
      "--config", kConfig};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(prompt);
  Result r = nn_test::wnn(args, fs::temp_directory_path());
  if (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
  return r;
}

class Chat : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (!fs::exists(model())) GTEST_SKIP() << NN_LLM_MODEL << " missing (scripts/nn-fetch llm)";
    if (!fs::exists(fs::path(NN_EXAMPLES_DIR) / GetParam())) GTEST_SKIP() << GetParam() << " not built";
  }
};

TEST_P(Chat, GreedyStreamEqualsComputeEqualsNative) {
  const std::string native = native_answer(kPrompt);
  ASSERT_EQ(native.rfind(" Paris", 0), 0u) << "native llama.cpp answered \"" << native << "\"";

  Result streamed = guest(GetParam(), {}, kPrompt);
  ASSERT_EQ(streamed.code, 0) << streamed.err;
  EXPECT_EQ(streamed.out, native);
  // 5 prompt tokens; 16 generated unless the model ended its answer first.
  EXPECT_NE(streamed.err.find("\"input_tokens\": 5,"), std::string::npos) << streamed.err;

  Result whole = guest(GetParam(), {"--compute"}, kPrompt);
  ASSERT_EQ(whole.code, 0) << whole.err;
  EXPECT_EQ(whole.out, native);
  EXPECT_EQ(whole.err.substr(whole.err.find("metadata")), streamed.err.substr(streamed.err.find("metadata")));
}

// A prompt of many bytes and multi-byte characters: the pieces concatenate to
// the same UTF-8 as native, whatever the token boundaries inside characters.
TEST_P(Chat, Utf8PromptSameAsNative) {
  const std::string prompt = "Écris une phrase en français sur Zürich et 東京:";
  const std::string native = native_answer(prompt);
  ASSERT_GE(native.size(), 16u) << "native llama.cpp answered \"" << native << "\"";
  Result streamed = guest(GetParam(), {}, prompt);
  ASSERT_EQ(streamed.code, 0) << streamed.err;
  EXPECT_EQ(streamed.out, native);
}

// A graph name that was not preloaded: the guest reports the error, no crash.
TEST_P(Chat, UnknownGraphIsAnError) {
  std::vector<std::string> args = {"run",
                                   "--nn-preload",
                                   "default:GGML:AUTO:" + model().string(),
                                   std::string(NN_EXAMPLES_DIR) + "/" + GetParam(),
                                   "--graph",
                                   "nope",
                                   kPrompt};
  Result r = nn_test::wnn(args, fs::temp_directory_path());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no graph named \"nope\""), std::string::npos) << r.err;
}

// --timeout ends an answer that would take minutes (8,000 tokens, the end
// of sequence ignored): the worker is killed in the middle of `compute`
// (--compute) or of a `compute_single` / the guest's own code (streaming);
// either way the guest traps with "interrupted" soon after. (8 s: loading the
// model must be over by then, also with a parallel test on a loaded machine.)
TEST_P(Chat, TimeoutEndsALongAnswer) {
  constexpr const char* kEndless = R"({"temp":0,"n-predict":8000,"ctx-size":8192,"ignore-eos":true,"threads":1})";
  for (bool whole : {true, false}) {
    std::vector<std::string> args = {"run",
                                     "--timeout",
                                     "8",
                                     "--nn-preload",
                                     "default:GGML:AUTO:" + model().string(),
                                     std::string(NN_EXAMPLES_DIR) + "/" + GetParam(),
                                     "--config",
                                     kEndless};
    if (whole) args.push_back("--compute");
    args.push_back(kPrompt);
    const auto t0 = std::chrono::steady_clock::now();
    Result r = nn_test::wnn(args, fs::temp_directory_path());
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(s, 40.0) << "whole=" << whole;  // the answer alone: over a minute
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_NE(r.err.find("wnn: trap: interrupted"), std::string::npos) << r.err;
    if (whole)
      EXPECT_NE(r.err.find("wnn: wasi-nn: compute: timeout: compute was interrupted (--timeout); the wasi-nn worker "
                           "was killed [runtime_error]"),
                std::string::npos)
          << r.err;
  }
}

INSTANTIATE_TEST_SUITE_P(Guests, Chat, ::testing::Values("chat.wasm", "chat-rs.wasm"),
                         [](const auto& info) { return std::string(info.param[4] == '-' ? "Rust" : "C"); });

}  // namespace
