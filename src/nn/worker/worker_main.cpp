// wnn-nn-worker: hosts a wasi-nn backend for one wnn process (src/nn/worker/
// proxy.cpp starts it with its socket on fd 3 and the shared arena on fd 4).
// It confines itself before it reads a guest byte: memory cap, Landlock,
// backend start-up, seccomp; then answers one Request at a time until the
// socket closes. Everything it receives is checked as if from an attacker:
// a compromised host is not the threat, but a bug here must not read
// outside the arena.
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nn/backend.h"
#include "nn/graph_config.h"
#include "nn/worker/arena.h"
#include "nn/worker/protocol.h"
#include "nn/worker/sandbox.h"

namespace wnn::nn::worker {
namespace {

void fill_failure(Reply& r, const Failure& f, uint64_t max_memory) {
  r.code = f.code == kSuccess ? kRuntimeError : f.code;
  r.quiet = f.quiet;
  std::string why = f.why;
  // What running into RLIMIT_DATA looks like from inside a backend: a failed
  // allocation, or a thread whose stack could not be mapped (EAGAIN).
  const bool out_of_memory = why.find("bad_alloc") != std::string::npos ||
                             why.find("annot allocate") != std::string::npos ||
                             why.find("Resource temporarily unavailable") != std::string::npos;
  if (max_memory && out_of_memory)
    why =
        "out of memory: the worker's memory cap is " + std::to_string(max_memory) + " bytes (--nn-max-memory): " + why;
  r.why_len = uint32_t(std::min<size_t>(why.size(), kMaxWhy));
  std::memcpy(r.why, why.data(), r.why_len);
}

struct Exec {
  std::unique_ptr<Execution> exec;
  std::shared_ptr<Graph> graph;  // outlives the execution
  std::vector<Span> bound;       // the output blocks the backend writes in place ({0, 0}: none)
};

class Server {
 public:
  Server(Backend* openvino, Backend* ggml, Arena& arena, LoadOptions o, uint64_t max_memory)
      : openvino_(openvino), ggml_(ggml), arena_(arena), options_(std::move(o)), max_memory_(max_memory) {
    // Why a backend is absent, for the loads that ask for it.
    if (!openvino_) missing_[0] = missing_backend_reason(Encoding::OpenVino);
    if (!ggml_) missing_[1] = missing_backend_reason(Encoding::Ggml);
  }

  Reply handle(const Request& q) {
    Reply r;
    Result<void> res = dispatch(q, r);
    if (!res) fail(r, res.failure());
    return r;
  }

  void fail(Reply& r, const Failure& f) { fill_failure(r, f, max_memory_); }

 private:
  std::span<uint8_t> bytes(const Request& q, Span s) {
    uint8_t* p = arena_.at(s.offset, s.length, q.arena_size);
    return p ? std::span<uint8_t>(p, s.length) : std::span<uint8_t>();
  }

  Result<Exec*> exec(uint32_t id) {
    auto it = execs_.find(id);
    if (it == execs_.end())
      return Failure{kInvalidArgument, "no execution context " + std::to_string(id) + " in the worker"};
    return &it->second;
  }

  Result<void> dispatch(const Request& q, Reply& r) {
    switch (q.op) {
      case Op::Load: {
        if (q.nparts > kMaxParts || q.encoding >= kEncodingCount || q.target >= kTargetCount)
          return Failure{kInvalidArgument, "malformed load request"};
        std::vector<std::span<const uint8_t>> parts;
        for (uint32_t i = 0; i < q.nparts; ++i) {
          auto p = bytes(q, q.parts[i]);
          if (p.size() != q.parts[i].length) return Failure{kInvalidArgument, "model bytes outside the shared memory"};
          parts.emplace_back(p.data(), p.size());
        }
        if (q.data.length > kMaxConfigBytes) return Failure{kTooLarge, "graph config larger than the host allows"};
        auto config = bytes(q, q.data);
        if (config.size() != q.data.length) return Failure{kInvalidArgument, "graph config outside the shared memory"};
        LoadOptions options = options_;  // the worker's cache dir, the host's tensor cap and the graph's config
        options.max_tensor_bytes = q.max_tensor_bytes;
        options.config.assign(config.begin(), config.end());
        Backend* b = q.encoding == uint8_t(Encoding::Ggml) ? ggml_ : openvino_;
        if (!b) return Failure{kInvalidEncoding, missing_[q.encoding == uint8_t(Encoding::Ggml)]};
        auto g = b->load(parts, Encoding(q.encoding), Target(q.target), options);
        if (!g) return g.failure();
        graphs_[q.id] = std::move(*g);
        return {};
      }
      case Op::Unload: graphs_.erase(q.id); return {};
      case Op::CreateExec: {
        auto it = graphs_.find(q.id);
        if (it == graphs_.end())
          return Failure{kInvalidArgument, "no graph " + std::to_string(q.id) + " in the worker"};
        auto e = it->second->create_execution();
        if (!e) return e.failure();
        execs_[q.index] = Exec{std::move(*e), it->second, {}};
        return {};
      }
      case Op::FinalizeExec: execs_.erase(q.id); return {};
      case Op::SetInput: {
        auto e = exec(q.id);
        if (!e) return e.failure();
        if (q.type >= kTensorTypeCount || q.rank > kMaxRank) return Failure{kInvalidArgument, "malformed tensor"};
        auto data = bytes(q, q.data);
        if (data.size() != q.data.length) return Failure{kInvalidArgument, "tensor outside the shared memory"};
        TensorView t{TensorType(q.type), std::vector<uint32_t>(q.dims, q.dims + q.rank), data};
        return (*e)->exec->bind_input(q.index, t);
      }
      case Op::Compute: {
        auto e = exec(q.id);
        if (!e) return e.failure();
        // The host's output blocks: bound when new (the backend then writes
        // them itself), else the output is copied there after compute.
        const uint32_t nblocks = std::min(q.nparts, kMaxOutputs);
        std::vector<Span>& bound = (*e)->bound;
        if (bound.size() < nblocks) bound.resize(nblocks);
        std::vector<std::span<uint8_t>> blocks(nblocks);
        for (uint32_t i = 0; i < nblocks; ++i) {
          blocks[i] = bytes(q, q.parts[i]);
          if (blocks[i].size() != q.parts[i].length) blocks[i] = {};
          const bool same = bound[i].offset == q.parts[i].offset && bound[i].length == q.parts[i].length;
          if (same || (blocks[i].empty() && bound[i].length == 0)) continue;
          // (An empty block unbinds: the host may reuse the old one.)
          bound[i] = (*e)->exec->bind_output(i, blocks[i]) ? q.parts[i] : Span{};
        }
        auto c = (*e)->exec->compute();
        if (!c) return c;
        // Every output's size (the host answers size queries without a
        // round trip), and which blocks hold their output now.
        for (uint32_t i = 0; i < kMaxOutputs; ++i) {
          uint64_t needed = 0;
          auto o = (*e)->exec->get_output(i, {}, needed);
          if (!o && o.failure().code != kTooLarge) break;
          r.output_bytes[r.noutputs++] = needed;
          if (i >= nblocks || blocks[i].empty() || needed != blocks[i].size()) continue;
          const bool in_place = bound[i].length == blocks[i].size() && bound[i].offset == q.parts[i].offset;
          if (in_place || (*e)->exec->get_output(i, blocks[i], needed)) r.delivered |= uint64_t(1) << i;
        }
        return {};
      }
      case Op::GetOutput:
      case Op::GetOutputSingle: {
        auto e = exec(q.id);
        if (!e) return e.failure();
        auto out = bytes(q, q.data);
        if (out.size() != q.data.length) return Failure{kInvalidArgument, "output buffer outside the shared memory"};
        uint64_t needed = 0;
        auto o = q.op == Op::GetOutput ? (*e)->exec->get_output(q.index, out, needed)
                                       : (*e)->exec->get_output_single(q.index, out, needed);
        r.needed = needed;
        return o;
      }
      case Op::ComputeSingle:
      case Op::FiniSingle: {
        auto e = exec(q.id);
        if (!e) return e.failure();
        return q.op == Op::ComputeSingle ? (*e)->exec->compute_single() : (*e)->exec->fini_single();
      }
      case Op::Ready: break;
    }
    return Failure{kInvalidArgument, "unknown request " + std::to_string(uint32_t(q.op))};
  }

  Backend* openvino_;
  Backend* ggml_;  // encoding ggml (llama.cpp)
  std::string missing_[2];  // why openvino_, ggml_ is null
  Arena& arena_;
  LoadOptions options_;
  uint64_t max_memory_;
  std::map<uint32_t, std::shared_ptr<Graph>> graphs_;
  std::map<uint32_t, Exec> execs_;
};

bool send_reply(const Reply& r) {
  ssize_t n;
  do n = ::send(kSocketFd, &r, sizeof r, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n == ssize_t(sizeof r);
}

// The next request usually follows within microseconds (a guest's
// inference loop): waiting for it spinning a little saves the ~50 µs of
// waking a blocked process; then block.
ssize_t spin_receive(Request& q) {
  constexpr double kSpinUs = 200;
  const auto t0 = std::chrono::steady_clock::now();
  for (uint32_t i = 0;; ++i) {
    const ssize_t n = ::recv(kSocketFd, &q, sizeof q, MSG_DONTWAIT);
    if (n >= 0 || (errno != EAGAIN && errno != EINTR)) return n;
    if (i % 16 == 15 &&
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() > kSpinUs)
      return -1;
    __builtin_ia32_pause();
  }
}

int run(int argc, char** argv) {
  // Nothing of the host's but the socket and the arena (spawn keeps
  // every fd the host did not mark close-on-exec).
  ::close_range(kArenaFd + 1, ~0U, 0);
  uint64_t max_memory = 0;
  std::string cache_dir, tmp_dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "--max-memory")
      max_memory = std::strtoull(argv[i + 1], nullptr, 10);
    else if (k == "--cache-dir")
      cache_dir = argv[i + 1];
    else if (k == "--tmp-dir")
      tmp_dir = argv[i + 1];
  }
  Reply ready;
  Server* server = nullptr;
  auto start = [&]() -> Result<void> {
    if (auto e = cap_memory(max_memory)) return Failure{kRuntimeError, *e};
    static Arena arena;
    if (!arena.map(kArenaFd)) return Failure{kRuntimeError, "cannot map the shared memory"};
    if (!tmp_dir.empty()) ::setenv("TMPDIR", tmp_dir.c_str(), 1);
    // Opens the modules there are, with their engines' libraries (OpenVINO,
    // llama.cpp): Landlock then allows reading their directories only.
    Backend* ov = backend_available(Encoding::OpenVino) ? backend_for(Encoding::OpenVino) : nullptr;
    Backend* gg = backend_available(Encoding::Ggml) ? backend_for(Encoding::Ggml) : nullptr;
    if (!ov && !gg) return Failure{kRuntimeError, missing_backend_reason(Encoding::OpenVino)};
    // Confined before OpenVINO starts (its Core, plugins, frontends and
    // thread pool come at the first load, as in wnn itself).
    if (auto e = restrict_files(cache_dir, tmp_dir)) return Failure{kRuntimeError, "cannot confine the worker: " + *e};
    if (auto e = restrict_syscalls()) return Failure{kRuntimeError, "cannot confine the worker: " + *e};
    LoadOptions options;
    options.cache_dir = cache_dir;
    static Server s(ov, gg, arena, options, max_memory);
    server = &s;
    return {};
  };
  if (auto s = start(); !s) fill_failure(ready, s.failure(), max_memory);
  if (!send_reply(ready) || !server) return 1;
  for (;;) {
    Request q;
    ssize_t n = spin_receive(q);
    if (n < 0) do
        n = ::recv(kSocketFd, &q, sizeof q, 0);
      while (n < 0 && errno == EINTR);
    if (n == 0) return 0;  // wnn closed the socket
    Reply r;
    if (n != ssize_t(sizeof q)) {
      server->fail(r, Failure{kRuntimeError, "malformed request"});
    } else {
      try {
        r = server->handle(q);
      } catch (const std::bad_alloc&) {
        r = Reply{};
        server->fail(r, Failure{kRuntimeError, "std::bad_alloc"});
      }
    }
    if (!send_reply(r)) return 1;
  }
}

}  // namespace
}  // namespace wnn::nn::worker

// Sanitizer builds: no leak check in the worker (its end is a SIGKILL, and
// LeakSanitizer's ptrace is outside the seccomp allowlist).
extern "C" int __lsan_is_turned_off() { return 1; }
// Fatal signals end the worker as in a release build, so the host reports the
// signal (SIGSEGV, SIGABRT, ...): ASan's own handler would try to start its
// symbolizer, which the sandbox forbids, and die of SIGPIPE instead. ASan still
// reports the memory errors it detects itself.
extern "C" const char* __asan_default_options() {
  return "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:handle_abort=0";
}

int main(int argc, char** argv) { return wnn::nn::worker::run(argc, argv); }
