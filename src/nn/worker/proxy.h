// wasi-nn isolation (NnConfig::isolation = process, the default): a Backend
// whose graphs and execution contexts live in a worker process
// (wnn-nn-worker, src/nn/worker/worker_main.cpp) that hosts the real backend
// module under a seccomp filter, Landlock and a memory cap. One worker per
// NnContext, started at the first load; when it dies (crash, memory cap,
// killed, --timeout) the pending call and every later call on its graphs
// fail with runtime_error saying why, and the next load starts a fresh one.
#pragma once
#include <memory>
#include <string>

#include "nn/backend.h"

namespace wnn {
class Store;
}

namespace wnn::nn::worker {

struct Options {
  std::string cache_dir;    // the only directory the worker may write (--nn-cache); may be empty
  uint64_t max_memory = 0;  // RLIMIT_DATA of the worker (NnConfig::max_memory); 0: none
};

std::unique_ptr<Backend> make_process_backend(const Options& options);

// Around each wasi-nn host call (src/nn/nn.cpp): the store whose interrupt
// (Store::interrupt, wnn run --timeout) ends the wait for the worker. After
// the call, interrupted() says whether that happened (the guest then traps
// as Interrupted, like a WASI call).
class CallScope {
 public:
  explicit CallScope(Store* store);
  ~CallScope();
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;
  bool interrupted() const { return interrupted_; }

 private:
  friend class Worker;
  Store* store_;
  bool interrupted_ = false;
  CallScope* outer_;
};

// Starts the worker of a make_process_backend backend now, so that it starts
// up while the guest does (wasi-nn's host functions are being resolved:
// the guest imports wasi-nn); the first load then waits less.
void start_early(Backend& process_backend);

// For tests: the pid of the worker behind a graph made by this backend (0:
// not a worker graph, or it is dead).
int worker_pid(const Graph& g);

}  // namespace wnn::nn::worker
