// The host's handle on one wasi-nn worker process (src/nn/worker/proxy.h):
// starting it, the request/reply round trip (waiting on the socket and the
// store's interrupt fd), and telling why it died.
#pragma once
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "nn/backend.h"
#include "nn/worker/arena.h"
#include "nn/worker/protocol.h"
#include "nn/worker/proxy.h"

namespace wnn::nn::worker {

class Worker {
 public:
  // Spawns a worker (it says whether it started up at the first call).
  static Result<std::shared_ptr<Worker>> start(const Options& o);

  Worker() = default;
  ~Worker();  // kills and reaps it

  bool alive() const { return pid_ > 0 && death_.empty(); }
  // What every call on a dead worker's graphs returns.
  Failure why_dead() const {
    return Failure{kRuntimeError, "the wasi-nn worker process of this graph " + death_ +
                                      "; its graphs are gone: load again to start a fresh worker"};
  }
  int pid() const { return alive() ? pid_ : 0; }
  Arena& arena() { return arena_; }
  uint32_t new_id() { return next_id_++; }

  // Sends `req`, waits for the reply (or the worker's death, or the store's
  // interrupt), and turns a failed reply into its Failure.
  Result<Reply> call(Request& req);
  // Sends a release (Unload, FinalizeExec) without waiting: nothing waits on
  // the worker in a destructor, and a release costs no round trip. Its reply
  // is read, and dropped, before the next call's.
  void post(Request& req);

 private:
  bool send(Request& req);
  Result<Reply> receive(Op op);

  // Waking a blocked process costs ~50 µs on the bench machine, a round
  // trip between two running ones ~3.5 µs (docs/wasi-nn.md): the reply is
  // first awaited spinning, for about as long as this kind of request took
  // lately (at least kMinSpinUs), then blocking (with the interrupt fd).
  // Only requests that took at most kMaxSpinUs lately are awaited spinning:
  // during a long one (a big model's compute) OpenVINO's threads need every core.
  static constexpr double kMinSpinUs = 50, kMaxSpinUs = 150;
  static constexpr uint32_t kOps = 11;
  ssize_t spin_receive(Reply& reply, std::chrono::steady_clock::time_point t0, double until_us);

  // Waits until the reply is there (true) or `timeout_ns` passed (false,
  // -1: no limit); an interrupt of the calling store kills the worker.
  Result<bool> wait_readable(Op op, int64_t timeout_ns);

  void reap();
  // After its death: its socket, the arena's fd and its temporary directory
  // go at once (graphs of a dead worker may live on for a while).
  void let_go();
  // Reaps it and says why it died (the failure of the pending call).
  Failure died(Op op);

  Options options_;
  Arena arena_;
  int sock_ = -1;
  pid_t pid_ = 0;  // negative once reaped
  int status_ = 0;
  std::string death_;  // why it is dead ("" while alive)
  std::string tmp_dir_;
  uint32_t next_id_ = 0;
  bool ready_ = false;  // its start-up reply was read
  uint32_t unanswered_ = 0;  // posted requests whose replies are still to read
  double typical_us_[kOps] = {};  // recent reply time per kind of request
};

}  // namespace wnn::nn::worker
