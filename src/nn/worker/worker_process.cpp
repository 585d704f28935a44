// Starting a wasi-nn worker process, the request/reply round trip (waiting
// on the socket and the store's interrupt fd) and telling why it died.
#include "nn/worker/worker_process.h"

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
#include <thread>
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
    case Op::ComputeSingle: return "compute_single";
    case Op::GetOutputSingle: return "get_output_single";
    case Op::FiniSingle: return "fini_single";
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

Worker::~Worker() {
  if (sock_ >= 0) ::close(sock_);
  if (pid_ > 0) {
    // It holds nothing worth finishing: the cache blob of a load is written before the reply.
    ::kill(pid_, SIGKILL);
    // Its teardown (the engines' threads and mappings, 5-10 ms) need not hold
    // up ours (wnn run's exit): a thread of its own reaps it, then removes
    // what a write in flight at the kill may have added to its directory.
    std::thread([pid = pid_, dir = tmp_dir_] {
      int st;
      while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
      std::error_code ec;
      if (!dir.empty()) std::filesystem::remove_all(dir, ec);
    }).detach();
  }
  std::error_code ec;
  if (!tmp_dir_.empty()) std::filesystem::remove_all(tmp_dir_, ec);
}

Result<std::shared_ptr<Worker>> Worker::start(const Options& o) {
  auto w = std::make_shared<Worker>();
  w->options_ = o;
  const std::string exe = worker_path();
  if (exe.empty())
    return Failure{kRuntimeError,
                   "the wasi-nn worker " WNN_NN_WORKER_NAME " is missing (looked next to wnn and at " WNN_NN_WORKER
                   "); rebuild wnn, or run with --nn-isolation=none"};
  if (auto e = Arena::create(w->arena_))
    return Failure{kRuntimeError, "cannot create the wasi-nn worker's shared memory: " + *e};
  w->arena_.set_limit(o.max_memory);  // the guest's bytes in flight count against the worker's cap too
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

Result<Reply> Worker::call(Request& req) {
  if (!death_.empty()) return why_dead();
  if (!ready_) {
    auto r = receive(Op::Ready);
    if (!r) {
      if (death_.empty()) {
        death_ = "did not start: " + r.failure().why;
        let_go();  // (it exits; the destructor reaps it)
      }
      return Failure{kRuntimeError, "the wasi-nn worker did not start: " + r.failure().why};
    }
    ready_ = true;
  }
  // The replies to posted releases come first (their failures do not matter).
  for (; unanswered_; --unanswered_) {
    auto r = receive(Op::Unload);
    if (!r && !death_.empty()) return r.failure();
  }
  if (!send(req)) return died(req.op);
  return receive(req.op);
}

void Worker::let_go() {
  if (sock_ >= 0) ::close(sock_);
  sock_ = -1;
  arena_.close_fd();
  std::error_code ec;
  if (!tmp_dir_.empty()) std::filesystem::remove_all(tmp_dir_, ec);
  tmp_dir_.clear();
}

void Worker::post(Request& req) {
  if (!death_.empty() || !ready_) return;
  if (send(req))
    ++unanswered_;
  else
    (void)died(req.op);
}

bool Worker::send(Request& req) {
  req.arena_size = arena_.size();
  ssize_t n;
  do n = ::send(sock_, &req, sizeof req, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n == ssize_t(sizeof req);
}

Result<Reply> Worker::receive(Op op) {
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
  const bool known = (reply.code <= kNotFound && reply.code != kSuccess) ||
                     (reply.code >= kEndOfSequence && reply.code <= kModelNotFound);
  const uint32_t code = known ? reply.code : kRuntimeError;
  Failure f{Errno(code), why, reply.quiet != 0};
  if (code == kTooLarge && (op == Op::GetOutput || op == Op::GetOutputSingle))
    return reply;  // the size answer: the caller decides
  return f;
}

ssize_t Worker::spin_receive(Reply& reply, std::chrono::steady_clock::time_point t0, double until_us) {
  for (uint32_t i = 0;; ++i) {
    const ssize_t n = ::recv(sock_, &reply, sizeof reply, MSG_DONTWAIT);
    if (n >= 0 || (errno != EAGAIN && errno != EINTR)) return n;
    if (i % 16 == 15 &&
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() > until_us)
      return -1;
    __builtin_ia32_pause();
  }
}

Result<bool> Worker::wait_readable(Op op, int64_t timeout_ns) {
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
      let_go();
      return Failure{kRuntimeError, std::string("timeout: ") + op_name(op) +
                                        " was interrupted (--timeout); the wasi-nn worker was killed"};
    }
    if (p[0].revents) return true;
  }
}

void Worker::reap() {
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
  while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {}
  status_ = st;
  pid_ = -pid_;
}

Failure Worker::died(Op op) {
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
  let_go();
  (void)pid;
  return Failure{kRuntimeError, "the wasi-nn worker process (pid " + std::to_string(pid) + ") " + death_ +
                                    "; its graphs are gone: load again to start a fresh worker"};
}

}  // namespace wnn::nn::worker
