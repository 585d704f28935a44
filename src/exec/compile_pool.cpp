// See compile_pool.h.
#include "exec/compile_pool.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>

#include "exec/tiering.h"

namespace wnn::exec {

namespace {

void exit_without_waiting(int status, void*);

// Compile threads: one per core but one, which is left to the guest (at
// least one; at most 4, since compiles of one module do not share work yet).
// Detached and never joined: process exit never waits for them (see
// exit_without_waiting). The pool is never destroyed, so a worker is never
// left waiting on a destroyed condition variable at exit.
class Pool {
 public:
  void submit(std::weak_ptr<TierState> job) {
    std::lock_guard lock(mu_);
    ++busy;
    queue_.push_back(std::move(job));
    if (idle_ == 0 && threads_ < max_threads()) {
      ++threads_;
      std::thread([this] { work(); }).detach();
    }
    cv_.notify_one();
  }
  std::atomic<int> busy{0};  // jobs queued or running
  Pool();

 private:
  static int max_threads() {
    const unsigned n = std::thread::hardware_concurrency();
    return std::clamp(int(n) - 1, 1, 4);
  }
  void work() {
    std::unique_lock lock(mu_);
    for (;;) {
      ++idle_;
      cv_.wait(lock, [this] { return !queue_.empty(); });
      --idle_;
      std::weak_ptr<TierState> job = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      TierState::run_batch(job);
      lock.lock();
      --busy;
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::weak_ptr<TierState>> queue_;
  int threads_ = 0, idle_ = 0;
};

std::atomic<Pool*> started_pool{nullptr};  // for exit_now_if_compiling, which must not start one

Pool& pool() {
  static Pool* p = [] {
    Pool* q = new Pool;  // never destroyed (see Pool)
    started_pool.store(q);
    return q;
  }();
  return *p;
}

// Process exit while a job runs: LLVM's static destructors (registered when
// libwnn_jit.so was loaded) would run under the compiling thread, and the
// loader's exit code would wait for a dlopen in progress. This handler,
// registered when the pool starts and again after the load (exit runs
// handlers newest first: before LLVM's), flushes stdio and ends the process
// at once with the status exit() was given.
void exit_without_waiting(int status, void*) {
  if (pool().busy.load() == 0) return;
  std::fflush(nullptr);
  ::_exit(status);
}

Pool::Pool() { ::on_exit(exit_without_waiting, nullptr); }

}  // namespace

void submit_compile(std::weak_ptr<TierState> job) { pool().submit(std::move(job)); }

void exit_without_waiting_from_now() { ::on_exit(exit_without_waiting, nullptr); }

void exit_now_if_compiling(int status) {
  const Pool* p = started_pool.load();
  if (p && p->busy.load() != 0) {
    std::fflush(nullptr);
    ::_exit(status);
  }
}

}  // namespace wnn::exec
