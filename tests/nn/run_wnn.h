// `wnn` run as a child process for the wasi-nn tests (tests/support/wnn_process.h)
// from the model directory, on the tier the ctest entry asks for.
#pragma once
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "wnn_process.h"

namespace nn_test {

namespace fs = std::filesystem;

using Result = wnn::test::ProcessResult;

// A run of a model may take long on a loaded machine: ctest's TIMEOUT bounds it.
constexpr std::chrono::seconds kRunLimit{3600};

using wnn::test::slurp;

// Runs `exe args...` (argv[0] = exe) in `cwd` with extra environment variables.
inline Result run_program(const std::string& exe, const std::vector<std::string>& args, const fs::path& cwd,
                          const std::vector<std::string>& env = {}) {
  return wnn::test::run_process(exe, args, cwd, env, kRunLimit);
}

// Runs `wnn args...` in `cwd` with extra environment variables.
inline Result wnn(std::vector<std::string> args, const fs::path& cwd = NN_MODEL_DIR,
                  const std::vector<std::string>& env = {}) {
  // WNN_TEST_TIER=jit (ctest nn-jit): the guests compiled to native code.
  if (const char* tier = std::getenv("WNN_TEST_TIER"); tier && *tier && !args.empty() && args[0] == "run")
    args.insert(args.begin() + 1, std::string("--tier=") + tier);
  return run_program(WNN_EXE, args, cwd, env);
}

}  // namespace nn_test

#define NEED_OPENVINO()                                                                      \
  do {                                                                                       \
    if (!NN_HAVE_OPENVINO) GTEST_SKIP() << "wnn built without OpenVINO (run scripts/setup)"; \
  } while (0)
