// The wasi-nn worker process (src/nn/worker) through its host-side Backend:
// a worker that crashes, is killed from outside, hangs past an interrupt
// (--timeout) or runs out of its memory cap fails the pending call and the
// later calls on its graphs with runtime_error saying why; the host goes
// on, and the next load starts a fresh worker.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include "nn/backend.h"
#include "nn/lsan_suppressions.h"  // OpenVINO also runs in this process (the comparisons)
#include "nn/worker/arena.h"
#include "nn/worker/proxy.h"
#include "wnn/runtime.h"

namespace {

using namespace wnn::nn;

// Sanitizer builds run the worker without its memory cap (src/nn/worker/sandbox.cpp).
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
constexpr bool kCapped = false;
#else
constexpr bool kCapped = true;
#endif

std::vector<uint8_t> read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// tests/nn/make_models.py's linear model: y = relu(x W + b), x f32 [1,4], two f32 [1,3] outputs.
struct Linear {
  std::vector<uint8_t> xml = read(NN_MODEL_DIR "/linear/model.xml"), bin = read(NN_MODEL_DIR "/linear/model.bin");
  std::vector<std::span<const uint8_t>> parts() const { return {xml, bin}; }
};

const float kInput[4] = {1, 2, 3, 4};
TensorView input() {
  return TensorView{TensorType::F32, {1, 4}, {reinterpret_cast<const uint8_t*>(kInput), sizeof kInput}};
}

std::shared_ptr<Graph> load(Backend& b, const Linear& m) {
  auto g = b.load(m.parts(), Encoding::OpenVino, Target::Cpu, {});
  EXPECT_TRUE(g) << g.failure().why;
  return g ? *g : nullptr;
}

// set_input + compute + get_output of output 0; its 3 floats.
std::vector<float> infer(Execution& e) {
  EXPECT_TRUE(e.set_input(0, input()));
  auto c = e.compute();
  EXPECT_TRUE(c) << c.failure().why;
  std::vector<float> out(3);
  uint64_t needed = 0;
  auto r = e.get_output(0, {reinterpret_cast<uint8_t*>(out.data()), 12}, needed);
  EXPECT_TRUE(r) << r.failure().why;
  EXPECT_EQ(needed, 12u);
  return out;
}

std::vector<float> in_process_result() {
  Linear m;
  Backend* b = backend_for(Encoding::OpenVino);
  auto g = b->load(m.parts(), Encoding::OpenVino, Target::Cpu, {});
  auto e = (*g)->create_execution();
  return infer(**e);
}

TEST(NnWorker, SameResultsAsInProcess) {
  auto b = worker::make_process_backend({});
  Linear m;
  auto g = load(*b, m);
  ASSERT_TRUE(g);
  auto e = g->create_execution();
  ASSERT_TRUE(e);
  const std::vector<float> expected = in_process_result();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(infer(**e), expected);  // the bound input block is reused
  // Too small a buffer: too_large with the size, nothing copied.
  uint8_t small[8] = {};
  uint64_t needed = 0;
  auto r = (*e)->get_output(0, small, needed);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.failure().code, kTooLarge);
  EXPECT_EQ(needed, 12u);
  EXPECT_NE(r.failure().why.find("needs 12 bytes, the buffer has 8"), std::string::npos) << r.failure().why;
}

// The worker's shortcuts keep in-process semantics: a set_input of the same
// shape is only a copy into the bound block (no message), outputs written in
// place are read locally; new values give new results, and get_output after
// such a set_input without compute is refused as in process.
TEST(NnWorker, ShortcutsKeepTheSemantics) {
  Linear m;
  auto b = worker::make_process_backend({});
  auto g = load(*b, m);
  ASSERT_TRUE(g);
  auto e = g->create_execution();
  ASSERT_TRUE(e);
  Backend* local = backend_for(Encoding::OpenVino);
  auto lg = local->load(m.parts(), Encoding::OpenVino, Target::Cpu, {});
  ASSERT_TRUE(lg);
  auto le = (*lg)->create_execution();
  ASSERT_TRUE(le);
  for (int i = 0; i < 5; ++i) {
    const float x[4] = {float(i), -float(i), 0.5f * float(i), 4};
    const TensorView t{TensorType::F32, {1, 4}, {reinterpret_cast<const uint8_t*>(x), sizeof x}};
    for (Execution* ex : {e->get(), le->get()}) {
      ASSERT_TRUE(ex->set_input(0, t));
      ASSERT_TRUE(ex->compute());
    }
    for (uint32_t out = 0; out < 2; ++out) {
      float a[3] = {}, c[3] = {};
      uint64_t na = 0, nc = 0;
      ASSERT_TRUE((*e)->get_output(out, {reinterpret_cast<uint8_t*>(a), sizeof a}, na));
      ASSERT_TRUE((*le)->get_output(out, {reinterpret_cast<uint8_t*>(c), sizeof c}, nc));
      EXPECT_EQ(na, nc);
      EXPECT_EQ(std::vector<float>(a, a + 3), std::vector<float>(c, c + 3)) << "round " << i << " output " << out;
    }
  }
  for (Execution* ex : {e->get(), le->get()}) {
    ASSERT_TRUE(ex->set_input(0, input()));
    uint8_t out[12];
    uint64_t needed = 0;
    auto r = ex->get_output(0, out, needed);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.failure().code, kInvalidArgument);
    EXPECT_EQ(r.failure().why, kNotComputed);
    // The index is checked first, as in process.
    auto bad = ex->get_output(9, out, needed);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.failure().why.find("out of range"), std::string::npos) << bad.failure().why;
  }
}

// Releases (finalize, unload) are posted without a round trip; their
// replies are read before the next call's, which still gets its own.
TEST(NnWorker, PostedReleasesKeepRepliesInStep) {
  Linear m;
  auto b = worker::make_process_backend({});
  const std::vector<float> expected = in_process_result();
  auto keep = load(*b, m);
  ASSERT_TRUE(keep);
  for (int i = 0; i < 50; ++i) {
    auto g = load(*b, m);
    ASSERT_TRUE(g);
    for (int j = 0; j < 3; ++j) {
      auto e = g->create_execution();
      ASSERT_TRUE(e);
      if (j == 0) EXPECT_EQ(infer(**e), expected);
    }  // three FinalizeExec posted, then the Unload of g
  }
  auto e = keep->create_execution();
  ASSERT_TRUE(e);
  EXPECT_EQ(infer(**e), expected);
}

// A crash inside the engine (SIGSEGV, as OpenVINO's Tile overflow did) mid-compute.
size_t open_fds() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

void expect_dead_then_fresh(int sig, const char* says) {
  const size_t fds = open_fds();
  auto b = worker::make_process_backend({});
  Linear m;
  auto g = load(*b, m);
  ASSERT_TRUE(g);
  auto e = g->create_execution();
  ASSERT_TRUE(e);
  ASSERT_TRUE((*e)->set_input(0, input()));
  const int pid = worker::worker_pid(*g);
  ASSERT_GT(pid, 0);
  ASSERT_EQ(::kill(pid, sig), 0);
  auto c = (*e)->compute();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.failure().code, kRuntimeError);
  EXPECT_NE(c.failure().why.find(says), std::string::npos) << c.failure().why;
  EXPECT_NE(c.failure().why.find("load again"), std::string::npos) << c.failure().why;
  EXPECT_FALSE(g->alive());
  // Reaped: no zombie left; its socket and arena fd closed though its graph lives on.
  EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);
  EXPECT_EQ(open_fds(), fds);
  // Every later call on that worker's graphs fails the same way.
  auto later = g->create_execution();
  ASSERT_FALSE(later);
  EXPECT_NE(later.failure().why.find(says), std::string::npos) << later.failure().why;
  uint64_t needed = 0;
  uint8_t out[12];
  EXPECT_FALSE((*e)->get_output(0, out, needed));
  // A new load: a fresh worker, working.
  auto g2 = load(*b, m);
  ASSERT_TRUE(g2);
  EXPECT_NE(worker::worker_pid(*g2), pid);
  auto e2 = g2->create_execution();
  ASSERT_TRUE(e2);
  EXPECT_EQ(infer(**e2), in_process_result());
}

TEST(NnWorker, CrashFailsTheCallAndTheGraphsNotTheHost) {
  expect_dead_then_fresh(SIGSEGV, "killed by SIGSEGV (a crash");
}
TEST(NnWorker, KilledFromOutside) { expect_dead_then_fresh(SIGKILL, "killed by SIGKILL"); }

// A compute that does not end (the worker stopped: as a model whose
// compute takes longer than --timeout) ends at the store's interrupt.
TEST(NnWorker, InterruptEndsAHangingCompute) {
  auto b = worker::make_process_backend({});
  Linear m;
  auto g = load(*b, m);
  ASSERT_TRUE(g);
  auto e = g->create_execution();
  ASSERT_TRUE(e);
  ASSERT_TRUE((*e)->set_input(0, input()));
  const int pid = worker::worker_pid(*g);
  ASSERT_EQ(::kill(pid, SIGSTOP), 0);
  wnn::Store store;
  std::thread timer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    store.interrupt();
  });
  const auto t0 = std::chrono::steady_clock::now();
  worker::CallScope scope(&store);
  auto c = (*e)->compute();
  timer.join();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_FALSE(c);
  EXPECT_TRUE(scope.interrupted());
  EXPECT_LT(s, 5.0);
  EXPECT_NE(c.failure().why.find("timeout: compute was interrupted (--timeout)"), std::string::npos) << c.failure().why;
  auto later = g->create_execution();
  ASSERT_FALSE(later);
  EXPECT_NE(later.failure().why.find("interrupted"), std::string::npos) << later.failure().why;
  EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);
}

// Many graphs and contexts on one worker, and on several (one per backend = per NnContext).
TEST(NnWorker, ManyGraphsAcrossWorkers) {
  Linear m;
  const std::vector<float> expected = in_process_result();
  std::vector<std::unique_ptr<Backend>> backends;
  for (int i = 0; i < 3; ++i) backends.push_back(worker::make_process_backend({}));
  std::vector<std::shared_ptr<Graph>> graphs;
  std::vector<std::unique_ptr<Execution>> execs;
  for (int i = 0; i < 24; ++i) {
    auto g = load(*backends[i % 3], m);
    ASSERT_TRUE(g);
    auto e = g->create_execution();
    ASSERT_TRUE(e);
    graphs.push_back(g);
    execs.push_back(std::move(*e));
  }
  EXPECT_NE(worker::worker_pid(*graphs[0]), worker::worker_pid(*graphs[1]));
  EXPECT_EQ(worker::worker_pid(*graphs[0]), worker::worker_pid(*graphs[3]));
  for (auto& e : execs) EXPECT_EQ(infer(*e), expected);
  // Killing one worker leaves the others' graphs working.
  ::kill(worker::worker_pid(*graphs[0]), SIGKILL);
  for (size_t i = 0; i < execs.size(); ++i) {
    if (i % 3 == 0)
      EXPECT_FALSE(execs[i]->compute());
    else
      EXPECT_EQ(infer(*execs[i]), expected);
  }
}

// A memory cap the engine cannot start under: the load says so.
TEST(NnWorker, MemoryCapIsReported) {
  if (!kCapped) GTEST_SKIP() << "no memory cap in sanitizer builds";
  // A cap OpenVINO's start-up already exceeds: its CPU plugin cannot start its threads. (With
  // llama.cpp's libraries loaded too, 16 MiB lasts until compile_model, where a failed
  // allocation in a TBB thread livelocks OpenVINO instead of failing: docs/wasi-nn.md,
  // "Not yet"; --timeout ends that case.)
  auto b = worker::make_process_backend({"", uint64_t(12) << 20});
  Linear m;
  auto g = b->load(m.parts(), Encoding::OpenVino, Target::Cpu, {});
  ASSERT_FALSE(g);
  EXPECT_EQ(g.failure().code, kRuntimeError);
  EXPECT_NE(g.failure().why.find("memory"), std::string::npos) << g.failure().why;
}

}  // namespace

namespace {

std::string proc_file(int pid, const char* name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + name);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The worker runs confined: seccomp filter, no_new_privs, the memory cap,
// and none of the host's fds but its socket and arena (and the standard ones).
TEST(NnWorker, RunsConfined) {
  auto b = worker::make_process_backend({"", uint64_t(3) << 30});
  Linear m;
  auto g = load(*b, m);
  ASSERT_TRUE(g);
  const int pid = worker::worker_pid(*g);
  const std::string status = proc_file(pid, "status");
  EXPECT_NE(status.find("Seccomp:\t2"), std::string::npos) << status;
  EXPECT_NE(status.find("NoNewPrivs:\t1"), std::string::npos) << status;
  const std::string limits = proc_file(pid, "limits");
  if (kCapped) EXPECT_NE(limits.find("Max data size             3221225472"), std::string::npos) << limits;
  // Its fds 3 and 4: the socket and the arena.
  char link[256] = {};
  ASSERT_GT(::readlink(("/proc/" + std::to_string(pid) + "/fd/3").c_str(), link, sizeof link - 1), 0);
  EXPECT_EQ(std::string(link).rfind("socket:", 0), 0u) << link;
  std::memset(link, 0, sizeof link);
  ASSERT_GT(::readlink(("/proc/" + std::to_string(pid) + "/fd/4").c_str(), link, sizeof link - 1), 0);
  EXPECT_NE(std::string(link).find("wnn-nn-arena"), std::string::npos) << link;
}

}  // namespace

namespace {

// The shared arena's blocks: aligned, disjoint, reused after free (neighbours
// coalesce), grown by the host only, and at() refuses what lies outside.
TEST(NnWorkerArena, BlocksAndBounds) {
  worker::Arena a;
  ASSERT_FALSE(worker::Arena::create(a));
  auto b1 = a.alloc(100), b2 = a.alloc(5000), b3 = a.alloc(3u << 20);
  ASSERT_TRUE(b1 && b2 && b3);
  EXPECT_EQ(*b1 % 64, 0u);
  EXPECT_GE(*b2, *b1 + 100);
  EXPECT_GE(*b3, *b2 + 5000);
  EXPECT_GE(a.size(), *b3 + (3u << 20));
  std::memset(a.at(*b3, 3u << 20), 7, 3u << 20);  // backed: no SIGBUS
  a.free(*b1);
  a.free(*b2);
  auto b4 = a.alloc(5100);  // fits the coalesced b1 + b2
  ASSERT_TRUE(b4);
  EXPECT_EQ(*b4, *b1);
  EXPECT_FALSE(a.alloc(UINT64_MAX - 10));  // no wrap-around to a small block
  EXPECT_EQ(a.at(a.size() - 8, 16), nullptr);
  EXPECT_EQ(a.at(UINT64_MAX - 4, 8), nullptr);
  EXPECT_NE(a.at(a.size() - 8, 8), nullptr);
  // The worker side checks against the size a request states.
  EXPECT_EQ(a.at(0, 64, uint64_t(1) << 40), nullptr);
  // Sealed: nobody shrinks it under the host's feet.
  EXPECT_NE(::ftruncate(a.fd(), 0), 0);
}

// The host bounds the bytes in flight (the worker's --nn-max-memory).
TEST(NnWorkerArena, Limit) {
  worker::Arena a;
  ASSERT_FALSE(worker::Arena::create(a));
  a.set_limit(1 << 20);
  EXPECT_FALSE(a.alloc((1 << 20) + 1));
  EXPECT_FALSE(a.alloc(UINT64_MAX - 100));
  auto b = a.alloc(600 << 10);
  ASSERT_TRUE(b);
  EXPECT_FALSE(a.alloc(600 << 10));
  a.free(*b);
  EXPECT_EQ(a.in_use(), 0u);
  EXPECT_TRUE(a.alloc(600 << 10));
}

}  // namespace
