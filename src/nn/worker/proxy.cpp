// The host side of the wasi-nn worker: starting it, the request/reply round
// trip (waiting on the socket and the store's interrupt fd), telling why it
// died, and the Backend/Graph/Execution proxies that forward to it.
#include "nn/worker/proxy.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "nn/worker/arena.h"
#include "nn/worker/protocol.h"
#include "wnn/runtime.h"

extern char** environ;

namespace wnn::nn::worker {

namespace {
thread_local CallScope* current_scope = nullptr;

const char* op_name(Op op) {
  switch (op) {
    case Op::Ready: return "start-up";
    case Op::Load: return "load";
    case Op::Unload: return "unload";
    case Op::CreateExec: return "init_execution_context";
    case Op::FinalizeExec: return "finalize_execution_context";
    case Op::SetInput: return "set_input";
    case Op::Compute: return "compute";
    case Op::GetOutput: return "get_output";
  }
  return "a call";
}

std::string size_string(uint64_t n) {
  if (n % (uint64_t(1) << 30) == 0) return std::to_string(n >> 30) + " GiB";
  if (n % (uint64_t(1) << 20) == 0) return std::to_string(n >> 20) + " MiB";
  return std::to_string(n) + " bytes";
}

std::string worker_path() {
  for (const std::string& path : {executable_dir() + "/" WNN_NN_WORKER_NAME, std::string(WNN_NN_WORKER)})
    if (::access(path.c_str(), X_OK) == 0) return path;
  return {};
}
}  // namespace

CallScope::CallScope(Store* store) : store_(store), outer_(current_scope) { current_scope = this; }
CallScope::~CallScope() { current_scope = outer_; }

// One worker process and its arena.
class Worker {
 public:
  static Result<std::shared_ptr<Worker>> start(const Options& o) {
    auto w = std::make_shared<Worker>();
    w->options_ = o;
    const std::string exe = worker_path();
    if (exe.empty())
      return Failure{kRuntimeError, "the wasi-nn worker " WNN_NN_WORKER_NAME " is missing (looked next to wnn and at " WNN_NN_WORKER
                                    "); rebuild wnn, or run with --nn-isolation=none"};
    if (auto e = Arena::create(w->arena_)) return Failure{kRuntimeError, "cannot create the wasi-nn worker's shared memory: " + *e};
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
      return Failure{kRuntimeError, std::string("cannot create the wasi-nn worker's socket: ") + std::strerror(errno)};
    w->sock_ = sv[0];
    // A private temporary directory: some OpenVINO frontends read only files.
    const char* tmp = std::getenv("TMPDIR");
    std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/wnn-nn-worker-XXXXXX";
    if (::mkdtemp(dir.data())) w->tmp_dir_ = dir;
    std::vector<std::string> args = {exe, "--max-memory", std::to_string(o.max_memory)};
    if (!o.cache_dir.empty()) args.insert(args.end(), {"--cache-dir", o.cache_dir});
    if (!w->tmp_dir_.empty()) args.insert(args.end(), {"--tmp-dir", w->tmp_dir_});
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    // posix_spawn (vfork + exec), not fork: the host may be multi-threaded.
    // The dup2s must not overwrite each other's source: take both from
    // above the worker's fd numbers first.
    const int child_sock = ::fcntl(sv[1], F_DUPFD_CLOEXEC, kArenaFd + 1);
    const int child_arena = ::fcntl(w->arena_.fd(), F_DUPFD_CLOEXEC, kArenaFd + 1);
    ::close(sv[1]);
    if (child_sock < 0 || child_arena < 0) {
      if (child_sock >= 0) ::close(child_sock);
      if (child_arena >= 0) ::close(child_arena);
      return Failure{kRuntimeError, std::string("cannot pass fds to the wasi-nn worker: ") + std::strerror(errno)};
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, child_sock, kSocketFd);
    posix_spawn_file_actions_adddup2(&fa, child_arena, kArenaFd);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(child_sock);
    ::close(child_arena);
    if (rc != 0) return Failure{kRuntimeError, "cannot start " + exe + ": " + std::strerror(rc)};
    w->pid_ = pid;
    return w;  // it says it is ready (backend module open, sandbox applied) at the first call
  }

  Worker() = default;
  ~Worker() {
    if (sock_ >= 0) ::close(sock_);
    if (pid_ > 0) {
      // It holds nothing worth finishing: the cache blob of a load is written before the reply.
      ::kill(pid_, SIGKILL);
      int st;
      while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
      }
    }
    std::error_code ec;
    if (!tmp_dir_.empty()) std::filesystem::remove_all(tmp_dir_, ec);
  }

  bool alive() const { return pid_ > 0 && death_.empty(); }
  int pid() const { return alive() ? pid_ : 0; }
  Arena& arena() { return arena_; }
  uint32_t new_id() { return next_id_++; }

  // Sends `req`, waits for the reply (or the worker's death, or the store's
  // interrupt), and turns a failed reply into its Failure.
  Result<Reply> call(Request& req) {
    if (!death_.empty()) return dead_failure();
    if (!ready_) {
      auto r = receive(Op::Ready);
      if (!r) {
        if (death_.empty()) death_ = "did not start: " + r.failure().why;
        return Failure{kRuntimeError, "the wasi-nn worker did not start: " + r.failure().why};
      }
      ready_ = true;
    }
    req.arena_size = arena_.size();
    ssize_t n;
    do n = ::send(sock_, &req, sizeof req, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n != ssize_t(sizeof req)) return died(req.op);
    return receive(req.op);
  }

  Result<Reply> receive(Op op) {
    Reply reply;
    const auto t0 = std::chrono::steady_clock::now();
    const double typical = typical_us_[uint32_t(op) % kOps];
    // Spin only for a short request: during a long one (a compute of a big
    // model) the backend's threads need every core.
    ssize_t n = typical <= kMaxSpinUs ? spin_receive(reply, t0, std::max(typical * 1.25, kMinSpinUs)) : -1;
    if (n < 0) {
      auto ready = wait_readable(op, -1);
      if (!ready) return ready.failure();
      do n = ::recv(sock_, &reply, sizeof reply, 0);
      while (n < 0 && errno == EINTR);
    }
    double& recent = typical_us_[uint32_t(op) % kOps];
    const double took = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    recent = recent == 0 ? took : recent * 0.75 + took * 0.25;
    if (n != ssize_t(sizeof reply)) return died(op);
    if (reply.code == kSuccess) return reply;
    // The worker's words (it may be compromised): printable, bounded.
    std::string why(reply.why, std::min<uint32_t>(reply.why_len, kMaxWhy));
    for (char& ch : why)
      if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = '?';
    const uint32_t code = reply.code <= kNotFound && reply.code != kSuccess ? reply.code : kRuntimeError;
    Failure f{Errno(code), why, reply.quiet != 0};
    if (code == kTooLarge && op == Op::GetOutput) return reply;  // the size answer: the caller decides
    return f;
  }

 private:
  // Waking a blocked process costs ~50 µs on the bench machine, a round
  // trip between two running ones ~3.5 µs (docs/wasi-nn.md): the reply is
  // first awaited spinning, for about as long as this kind of request took
  // lately (kMinSpinUs to kMaxSpinUs), then blocking (with the interrupt fd).
  // The first kind of wait keeps the guest's thread on a core while the
  // worker's threads compute: only for short requests, or the tail of long ones.
  static constexpr double kMinSpinUs = 50, kMaxSpinUs = 150;
  static constexpr uint32_t kOps = 8;
  ssize_t spin_receive(Reply& reply, std::chrono::steady_clock::time_point t0, double until_us) {
    for (uint32_t i = 0;; ++i) {
      const ssize_t n = ::recv(sock_, &reply, sizeof reply, MSG_DONTWAIT);
      if (n >= 0 || (errno != EAGAIN && errno != EINTR)) return n;
      if (i % 16 == 15 &&
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() > until_us)
        return -1;
      __builtin_ia32_pause();
    }
  }

  // Waits until the reply is there (true) or `timeout_ns` passed (false,
  // -1: no limit); an interrupt of the calling store kills the worker.
  Result<bool> wait_readable(Op op, int64_t timeout_ns) {
    Store* store = current_scope ? current_scope->store_ : nullptr;
    pollfd p[2] = {{sock_, POLLIN, 0}, {store ? store->interrupt_fd() : -1, POLLIN, 0}};
    timespec ts{time_t(timeout_ns / 1'000'000'000), long(timeout_ns % 1'000'000'000)};
    for (;;) {
      const int r = ::ppoll(p, store ? 2 : 1, timeout_ns < 0 ? nullptr : &ts, nullptr);
      if (r < 0 && errno != EINTR) return died(op);
      if (r == 0) return false;
      if (r < 0) continue;
      if (store && p[1].revents && store->take_interrupt()) {
        current_scope->interrupted_ = true;
        ::kill(pid_, SIGKILL);
        reap();
        death_ = std::string("was killed when the run was interrupted (--timeout) during ") + op_name(op);
        return Failure{kRuntimeError, std::string("timeout: ") + op_name(op) +
                                          " was interrupted (--timeout); the wasi-nn worker was killed"};
      }
      if (p[0].revents) return true;
    }
  }

  void reap() {
    int st = 0;
    // A worker that closed its socket exits at once; one that does not is killed.
    for (int i = 0; i < 2000; ++i) {
      const pid_t r = ::waitpid(pid_, &st, WNOHANG);
      if (r == pid_) {
        status_ = st;
        pid_ = -pid_;
        return;
      }
      if (r < 0 && errno != EINTR) return;
      ::usleep(1000);
    }
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
    }
    status_ = st;
    pid_ = -pid_;
  }

  Failure died(Op op) {
    const int pid = pid_;
    reap();
    std::string what;
    if (WIFSIGNALED(status_)) {
      const int sig = WTERMSIG(status_);
      const char* name = sigabbrev_np(sig);
      what = std::string("was killed by SIG") + (name ? name : std::to_string(sig).c_str());
      if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE)
        what += " (a crash inside the inference engine)";
      else if (sig == SIGSYS)
        what += " (a system call outside its seccomp allowlist)";
      else if (sig == SIGABRT && options_.max_memory)
        what += " (an abort: possibly an allocation beyond its memory cap of " + size_string(options_.max_memory) +
                ", --nn-max-memory)";
      else if (sig == SIGKILL)
        what += " (from outside the run, or by the kernel's out-of-memory killer)";
    } else if (WIFEXITED(status_)) {
      what = "exited with status " + std::to_string(WEXITSTATUS(status_));
    } else {
      what = "stopped answering";
    }
    death_ = what + " during " + op_name(op);
    (void)pid;
    return Failure{kRuntimeError, "the wasi-nn worker process (pid " + std::to_string(pid) + ") " + death_ +
                                      "; its graphs are gone: load again to start a fresh worker"};
  }

  Failure dead_failure() const {
    return Failure{kRuntimeError, "the wasi-nn worker process of this graph " + death_ +
                                      "; its graphs are gone: load again to start a fresh worker"};
  }

  Options options_;
  Arena arena_;
  int sock_ = -1;
  pid_t pid_ = 0;  // negative once reaped
  int status_ = 0;
  std::string death_;  // why it is dead ("" while alive)
  std::string tmp_dir_;
  uint32_t next_id_ = 0;
  bool ready_ = false;  // its start-up reply was read
  double typical_us_[kOps] = {};  // recent reply time per kind of request
};

namespace {

// An arena block that is freed with its owner.
struct Block {
  uint64_t offset = 0, size = 0;
};

class ProxyExecution final : public Execution {
 public:
  ProxyExecution(std::shared_ptr<Worker> w, uint32_t id) : w_(std::move(w)), id_(id) {}
  ~ProxyExecution() override {
    if (w_->alive()) {
      Request req;
      req.op = Op::FinalizeExec;
      req.id = id_;
      (void)w_->call(req);
    }
    for (auto& [i, b] : inputs_) w_->arena().free(b.offset);
    for (const Block& b : outs_)
      if (b.size) w_->arena().free(b.offset);
    if (out_.size) w_->arena().free(out_.offset);
  }

  Result<void> set_input(uint32_t index, const TensorView& t) override {
    if (!w_->alive()) return call_dead();
    // The input's block stays bound in the worker (the backend reads it in
    // place): reused while the size stays, replaced when it changes. The
    // same type and dims as the last accepted set_input of this index: the
    // bytes are all that changes, no message.
    auto it = inputs_.find(index);
    if (it != inputs_.end() && it->second.size == t.data.size() && it->second.type == t.type && it->second.dims == t.dims) {
      if (!t.data.empty()) std::memcpy(w_->arena().at(it->second.offset, it->second.size), t.data.data(), t.data.size());
      if (computed_) unsent_input_ = true;
      computed_ = false;
      return {};
    }
    Input b;
    const bool reuse = it != inputs_.end() && it->second.size == t.data.size();
    if (reuse) {
      b = it->second;
    } else {
      auto off = w_->arena().alloc(t.data.size());
      if (!off) return no_arena(t.data.size());
      b.offset = *off;
      b.size = t.data.size();
    }
    if (!t.data.empty()) std::memcpy(w_->arena().at(b.offset, b.size), t.data.data(), t.data.size());
    Request req;
    req.op = Op::SetInput;
    req.id = id_;
    req.index = index;
    req.type = uint8_t(t.type);
    req.rank = uint32_t(std::min<size_t>(t.dims.size(), kMaxRank));
    for (uint32_t i = 0; i < req.rank; ++i) req.dims[i] = t.dims[i];
    req.data = Span{b.offset, b.size};
    auto r = w_->call(req);
    if (!r || r->code != kSuccess) {
      if (!reuse) w_->arena().free(b.offset);
      return r ? Failure{kRuntimeError, "unexpected reply to set_input"} : r.failure();
    }
    if (!reuse && it != inputs_.end()) w_->arena().free(it->second.offset);
    b.type = t.type;
    b.dims = t.dims;
    inputs_[index] = b;
    computed_ = unsent_input_ = false;
    return {};
  }

  Result<void> compute() override {
    Request req;
    req.op = Op::Compute;
    req.id = id_;
    // An output block per output of the size the last compute gave: the
    // worker has the backend write there (get_output is then a local copy).
    req.nparts = uint32_t(std::min<size_t>(output_bytes_.size(), kMaxOutputs));
    if (outs_.size() < req.nparts) outs_.resize(req.nparts);
    for (uint32_t i = 0; i < req.nparts; ++i) {
      if (outs_[i].size != output_bytes_[i] && output_bytes_[i]) {
        auto off = w_->arena().alloc(output_bytes_[i]);  // none: the old block stays (then not delivered)
        if (off) {
          if (outs_[i].size) w_->arena().free(outs_[i].offset);
          outs_[i] = Block{*off, output_bytes_[i]};
        }
      }
      req.parts[i] = Span{outs_[i].offset, outs_[i].size};
    }
    computed_ = unsent_input_ = false;
    delivered_ = 0;
    auto r = w_->call(req);
    if (!r) return r.failure();
    output_bytes_.assign(r->output_bytes, r->output_bytes + std::min(r->noutputs, kMaxOutputs));
    delivered_ = r->delivered;
    computed_ = true;
    return {};
  }

  Result<void> get_output(uint32_t index, std::span<uint8_t> out, uint64_t& needed) override {
    if (!w_->alive()) return call_dead();
    // The worker's results predate a set_input it was not told about.
    if (unsent_input_ && index < output_bytes_.size()) return Failure{kInvalidArgument, kNotComputed};
    // Written into its block by compute: a local copy.
    if (computed_ && index < outs_.size() && (delivered_ >> index & 1) && outs_[index].size == output_bytes_[index] &&
        out.size() >= outs_[index].size) {
      needed = outs_[index].size;
      if (needed) std::memcpy(out.data(), w_->arena().at(outs_[index].offset, needed), needed);
      return {};
    }
    // compute's reply gave the sizes: the staging block is sized at once
    // (never beyond the output's real size). Otherwise a first round trip
    // asks for the size.
    const bool known = computed_ && index < output_bytes_.size();
    auto r = fetch_output(index, known ? std::min<uint64_t>(out.size(), output_bytes_[index]) : 0);
    if (!r) return r.failure();
    if (r->code == kTooLarge && out.size() >= r->needed) r = fetch_output(index, r->needed);
    if (!r) return r.failure();
    needed = r->needed;
    if (r->code == kTooLarge) return Failure{kTooLarge, std::string(r->why, std::min<uint32_t>(r->why_len, kMaxWhy)), r->quiet != 0};
    if (needed > out.size() || needed > out_.size) return Failure{kRuntimeError, "the wasi-nn worker wrote more output than asked"};
    if (needed) std::memcpy(out.data(), w_->arena().at(out_.offset, needed), needed);
    return {};
  }

 private:
  // GetOutput into the staging block (grown to `want` bytes).
  Result<Reply> fetch_output(uint32_t index, uint64_t want) {
    if (want > out_.size) {
      if (out_.size) w_->arena().free(out_.offset);
      out_ = Block{};
      auto off = w_->arena().alloc(want);
      if (!off) return no_arena(want);
      out_ = Block{*off, want};
    }
    Request req;
    req.op = Op::GetOutput;
    req.id = id_;
    req.index = index;
    req.data = Span{out_.offset, want};
    return w_->call(req);
  }

  Failure call_dead() {
    Request req;
    req.op = Op::Compute;
    auto r = w_->call(req);  // a dead worker answers with why it died
    return r ? Failure{kRuntimeError, "the wasi-nn worker is gone"} : r.failure();
  }
  static Failure no_arena(uint64_t n) {
    return Failure{kRuntimeError, "cannot grow the shared memory for a " + std::to_string(n) + "-byte tensor"};
  }

  std::shared_ptr<Worker> w_;
  uint32_t id_;
  struct Input : Block {
    TensorType type = TensorType::F32;
    std::vector<uint32_t> dims;
  };
  std::map<uint32_t, Input> inputs_;  // the blocks bound as inputs in the worker
  std::vector<Block> outs_;            // compute's output blocks, one per output
  uint64_t delivered_ = 0;             // bit i: the last compute's output i is in outs_[i]
  Block out_;  // get_output's staging block otherwise (grows to the largest output)
  std::vector<uint64_t> output_bytes_;
  bool computed_ = false;
  bool unsent_input_ = false;  // a set_input since the last compute went no further than the arena
};

class ProxyGraph final : public Graph {
 public:
  ProxyGraph(std::shared_ptr<Worker> w, uint32_t id) : w_(std::move(w)), id_(id) {}
  ~ProxyGraph() override {
    if (!w_->alive()) return;
    Request req;
    req.op = Op::Unload;
    req.id = id_;
    (void)w_->call(req);
  }
  bool alive() const override { return w_->alive(); }
  Result<std::unique_ptr<Execution>> create_execution() override {
    Request req;
    req.op = Op::CreateExec;
    req.id = id_;
    req.index = w_->new_id();
    auto r = w_->call(req);
    if (!r) return r.failure();
    return std::unique_ptr<Execution>(new ProxyExecution(w_, req.index));
  }
  int pid() const { return w_->pid(); }

 private:
  std::shared_ptr<Worker> w_;
  uint32_t id_;
};

class ProcessBackend final : public Backend {
 public:
  explicit ProcessBackend(Options o) : options_(std::move(o)) {}
  const char* name() const override { return "openvino (worker process)"; }
  bool handles(Encoding e) const override { return e != Encoding::PyTorch; }

  Result<std::shared_ptr<Graph>> load(std::span<const std::span<const uint8_t>> parts, Encoding encoding,
                                      Target target, const LoadOptions& options) override {
    if (parts.size() > kMaxParts)
      return Failure{kInvalidArgument, std::to_string(parts.size()) + " graph builders exceed " + std::to_string(kMaxParts)};
    if (!worker_ || !worker_->alive()) {
      auto w = Worker::start(options_);
      if (!w) return w.failure();
      worker_ = std::move(*w);
    }
    Worker& w = *worker_;
    // (w.call below waits for its start-up first.)
    Request req;
    req.op = Op::Load;
    req.id = w.new_id();
    req.encoding = uint8_t(encoding);
    req.target = uint8_t(target);
    req.max_tensor_bytes = options.max_tensor_bytes;  // (its cache dir is the worker's own, from its start)
    req.nparts = uint32_t(parts.size());
    std::vector<uint64_t> blocks;
    Result<void> copied;
    for (size_t i = 0; i < parts.size(); ++i) {
      auto off = w.arena().alloc(parts[i].size());
      if (!off) {
        copied = Failure{kRuntimeError, "cannot grow the shared memory for " + std::to_string(parts[i].size()) + " model bytes"};
        break;
      }
      blocks.push_back(*off);
      if (!parts[i].empty()) std::memcpy(w.arena().at(*off, parts[i].size()), parts[i].data(), parts[i].size());
      req.parts[i] = Span{*off, parts[i].size()};
    }
    auto r = copied ? w.call(req) : Result<Reply>(copied.failure());
    for (uint64_t b : blocks) w.arena().free(b);
    if (!r) return r.failure();
    return std::shared_ptr<Graph>(new ProxyGraph(worker_, req.id));
  }

  // Starts the worker ahead of the first load (it starts up meanwhile).
  void start_early() {
    if (worker_) return;
    if (auto w = Worker::start(options_)) worker_ = std::move(*w);  // a failure is reported by load
  }

 private:
  Options options_;
  std::shared_ptr<Worker> worker_;  // the current one; dead ones live on in their graphs until unloaded
};

}  // namespace

std::unique_ptr<Backend> make_process_backend(const Options& options) {
  return std::make_unique<ProcessBackend>(options);
}

void start_early(Backend& b) {
  if (auto* p = dynamic_cast<ProcessBackend*>(&b)) p->start_early();
}

int worker_pid(const Graph& g) {
  const auto* p = dynamic_cast<const ProxyGraph*>(&g);
  return p ? p->pid() : 0;
}

}  // namespace wnn::nn::worker
