// wasi-nn's worker process seen from a guest run through `wnn`: --timeout
// ends a load that OpenVINO would take minutes over (the worker is killed,
// the guest traps as interrupted, like a WASI call); the same guest's model
// at a small size works; --nn-isolation=none still runs in process.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "run_wnn.h"

namespace {

using nn_test::Result;
using nn_test::wnn;

const std::string kSlow = std::string(NN_GUEST_DIR) + "/slow.wasm";

TEST(NnIsolation, TimeoutEndsALongLoad) {
  const auto t0 = std::chrono::steady_clock::now();
  Result r = wnn({"run", "--timeout", "2", kSlow, "slow", "5000"});
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(s, 20.0);  // OpenVINO alone: over two minutes
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("wnn: wasi-nn: load: timeout: load was interrupted (--timeout); the wasi-nn worker was killed "
                       "[runtime_error]\nwnn: trap: interrupted\n  in host function \"wasi_ephemeral_nn::load\""),
            std::string::npos)
      << r.err;
}

TEST(NnIsolation, BothModesRunTheGuestsModel) {
  for (const char* mode : {"--nn-isolation=process", "--nn-isolation=none"}) {
    Result r = wnn({"run", mode, kSlow, "slow", "50"});
    EXPECT_EQ(r.code, 0) << mode << ": " << r.err;
    EXPECT_EQ(r.out, "load=0\ncompute=0 bytes=64\n") << mode << ": " << r.err;
  }
}

TEST(NnIsolation, WorkerMemoryCapIsReported) {
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
  GTEST_SKIP() << "no memory cap in sanitizer builds (src/nn/worker/sandbox.cpp)";
#endif
  Result r = wnn({"run", "--nn-max-memory", "16M", kSlow, "slow", "50"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "load=5\n") << r.err;
  EXPECT_NE(r.err.find("out of memory: the worker's memory cap is 16777216 bytes (--nn-max-memory)"), std::string::npos)
      << r.err;
}

}  // namespace
