// The benchmark kernels (bench/kernels, their wasm32-wasi build) run as
// compiled code at both levels: real C programs whose loops take the compiler
// tier's loop versioning (counted copies, plain accesses, the vectorisers;
// docs/compiler.md), each checking its own result against a known checksum.
// json's compile once crashed ScalarEvolution (a loop-carried phi of
// addresses); a kernel that computes a wrong value prints FAIL and exits 1.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <tuple>

#include "wnn_process.h"

namespace {

namespace fs = std::filesystem;

class CompiledKernel : public ::testing::TestWithParam<std::tuple<const char*, const char*>> {};

TEST_P(CompiledKernel, ComputesItsChecksum) {
  const auto [kernel, level] = GetParam();
  const std::string module = std::string(GUEST_DIR) + "/kernel_" + kernel + ".wasm";
  const wnn::test::ProcessResult r =
      wnn::test::run_process(WNN_EXE, {"run", "--tier=jit", std::string("--jit-level=") + level, "--no-cache", module},
                             fs::temp_directory_path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("ok ", 0), 0u) << r.out << r.err;
}

INSTANTIATE_TEST_SUITE_P(Kernels, CompiledKernel,
                         ::testing::Combine(::testing::Values("fib", "image", "json", "matmul_f32", "matmul_f64",
                                                              "memcpy", "sha256", "sieve", "sort", "vm"),
                                            ::testing::Values("full", "quick")),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param)) + "_" + std::get<1>(info.param);
                         });

}  // namespace
