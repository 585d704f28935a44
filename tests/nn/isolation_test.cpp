// wasi-nn's worker process seen from a guest run through `wnn`: --timeout
// ends a load that OpenVINO would take minutes over (the worker is killed,
// the guest traps as interrupted, like a WASI call); the same guest's model
// at a small size works; --nn-isolation=none still runs in process.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "run_wnn.h"

namespace {

using nn_test::Result;
using nn_test::wnn;

const std::string kSlow = std::string(NN_GUEST_DIR) + "/slow.wasm";

TEST(NnIsolation, TimeoutEndsALongLoad) {
  const auto t0 = std::chrono::steady_clock::now();
  // 6 s: also on a loaded machine with WNN_TEST_TIER=jit, compiling the
  // guest must be over and the load under way when the timeout comes.
  Result r = wnn({"run", "--timeout", "6", kSlow, "slow", "5000"});
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(s, 30.0);  // OpenVINO alone: over two minutes
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("wnn: wasi-nn: load: timeout: load was interrupted (--timeout); the wasi-nn worker was killed "
                       "[runtime_error]\nwnn: trap: interrupted\n  in host function \"wasi_ephemeral_nn::load\""),
            std::string::npos)
      << r.err;
}

// The parent pid in /proc/PID/stat (after the command name in parentheses).
int parent_of(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  char state = 0;
  int ppid = 0;
  return std::sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) == 2 ? ppid : 0;
}

// The wasi-nn worker of a wnn this test process started.
int find_our_worker() {
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream comm(e.path() / "comm");
    std::string c;
    std::getline(comm, c);
    const int pid = std::stoi(name);
    if (c == "wnn-nn-worker" && parent_of(parent_of(pid)) == ::getpid()) return pid;
  }
  return 0;
}

// A worker killed from outside in the middle of a load (minutes of
// compile): the load fails with runtime_error saying so, the guest goes on.
TEST(NnIsolation, WorkerKilledFromOutsideMidLoad) {
  Result r;
  std::thread run([&] { r = wnn({"run", "--timeout", "60", kSlow, "slow", "5000"}); });
  int worker = 0;
  for (int i = 0; i < 200 && !worker; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    worker = find_our_worker();
  }
  ASSERT_GT(worker, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // well into compile_model
  ASSERT_EQ(::kill(worker, SIGKILL), 0);
  run.join();
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "load=5\n") << r.err;
  EXPECT_NE(r.err.find(") was killed by SIGKILL (from outside the run, or by the kernel's out-of-memory killer) during "
                       "load; its graphs are gone: load again to start a fresh worker [runtime_error]"),
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

// Whether a live process's command line mentions `text`.
bool process_mentions(const std::string& text) {
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    std::ifstream in(e.path() / "cmdline", std::ios::binary);
    const std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (cmdline.find(text) != std::string::npos) return true;
  }
  return false;
}

// wnn run's exit does not wait for the killed worker's teardown (a thread
// reaps it), yet leaves nothing behind: the worker's temporary directory is
// gone at once, the worker (its command line names that directory) soon.
TEST(NnIsolation, NothingIsLeftBehind) {
  const std::filesystem::path tmp =
      std::filesystem::temp_directory_path() / ("wnn_nn_isolation_tmp_" + std::to_string(::getpid()));
  std::filesystem::create_directories(tmp);
  Result r = wnn({"run", kSlow, "slow", "50"}, NN_MODEL_DIR, {"TMPDIR=" + tmp.string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "load=0\ncompute=0 bytes=64\n") << r.err;
  EXPECT_TRUE(std::filesystem::is_empty(tmp));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (process_mentions(tmp.string()) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_FALSE(process_mentions(tmp.string()));
  std::filesystem::remove_all(tmp);
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
