// The host side of the wasi-nn worker: the Backend/Graph/Execution proxies
// that forward to a Worker (worker_process.h).
#include "nn/worker/proxy.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "nn/worker/worker_process.h"

namespace wnn::nn::worker {

namespace {

Failure arena_full(const Arena& a, uint64_t n, const char* what) {
  std::string why = "the memory shared with the wasi-nn worker cannot take " + std::to_string(n) + " more bytes of " +
                    what + " (" + std::to_string(a.in_use()) + " in use";
  if (a.limit()) why += ", at most " + std::to_string(a.limit()) + ": --nn-max-memory";
  return Failure{kRuntimeError, why + ")"};
}

// An arena block that is freed with its owner.
struct Block {
  uint64_t offset = 0, size = 0;
};

class ProxyExecution final : public Execution {
 public:
  // llm: a generative graph (encoding ggml), whose backend acts on every
  // set_input (a new prompt restarts the answer): each is sent.
  ProxyExecution(std::shared_ptr<Worker> w, uint32_t id, bool llm) : w_(std::move(w)), id_(id), llm_(llm) {}
  ~ProxyExecution() override {
    if (w_->alive()) {
      Request req;
      req.op = Op::FinalizeExec;
      req.id = id_;
      w_->post(req);
    }
    for (auto& [i, b] : inputs_) w_->arena().free(b.offset);
    for (const Block& b : outs_)
      if (b.size) w_->arena().free(b.offset);
    if (out_.size) w_->arena().free(out_.offset);
  }

  Result<void> set_input(uint32_t index, const TensorView& t) override {
    if (!w_->alive()) return w_->why_dead();
    // The input's block stays bound in the worker (the backend reads it in
    // place): reused while the size stays, replaced when it changes. The
    // same type and dims as the last accepted set_input of this index: the
    // bytes are all that changes, no message.
    auto it = inputs_.find(index);
    if (!llm_ && it != inputs_.end() && it->second.size == t.data.size() && it->second.type == t.type &&
        it->second.dims == t.dims) {
      if (!t.data.empty())
        std::memcpy(w_->arena().at(it->second.offset, it->second.size), t.data.data(), t.data.size());
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
    if (!w_->alive()) return w_->why_dead();
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
    return copy_output(Op::GetOutput, index, out, known ? std::min<uint64_t>(out.size(), output_bytes_[index]) : 0,
                       needed);
  }

  bool byte_string_inputs() const override { return llm_; }

  Result<void> compute_single() override { return single(Op::ComputeSingle); }
  Result<void> fini_single() override { return single(Op::FiniSingle); }
  Result<void> get_output_single(uint32_t index, std::span<uint8_t> out, uint64_t& needed) override {
    if (!w_->alive()) return w_->why_dead();
    // A token's text is short: staged in a block of at most 4 KiB first.
    return copy_output(Op::GetOutputSingle, index, out, std::min<uint64_t>(out.size(), 4096), needed);
  }

 private:
  Result<void> single(Op op) {
    if (!w_->alive()) return w_->why_dead();
    Request req;
    req.op = op;
    req.id = id_;
    // The worker's outputs change: what compute's reply said is stale.
    computed_ = unsent_input_ = false;
    output_bytes_.clear();
    delivered_ = 0;
    auto r = w_->call(req);
    if (!r) return r.failure();
    return {};
  }

  // GetOutput(Single) of `index` staged in `first` bytes, again in the
  // output's size when that was too small but `out` is not; into `out`.
  Result<void> copy_output(Op op, uint32_t index, std::span<uint8_t> out, uint64_t first, uint64_t& needed) {
    auto r = fetch_output(op, index, first);
    if (!r) return r.failure();
    if (r->code == kTooLarge && out.size() >= r->needed) r = fetch_output(op, index, r->needed);
    if (!r) return r.failure();
    needed = r->needed;
    if (r->code == kTooLarge)
      return Failure{kTooLarge, std::string(r->why, std::min<uint32_t>(r->why_len, kMaxWhy)), r->quiet != 0};
    if (needed > out.size() || needed > out_.size)
      return Failure{kRuntimeError, "the wasi-nn worker wrote more output than asked"};
    if (needed) std::memcpy(out.data(), w_->arena().at(out_.offset, needed), needed);
    return {};
  }

  // GetOutput(Single) into the staging block (grown to `want` bytes).
  Result<Reply> fetch_output(Op op, uint32_t index, uint64_t want) {
    if (want > out_.size) {
      if (out_.size) w_->arena().free(out_.offset);
      out_ = Block{};
      auto off = w_->arena().alloc(want);
      if (!off) return no_arena(want);
      out_ = Block{*off, want};
    }
    Request req;
    req.op = op;
    req.id = id_;
    req.index = index;
    req.data = Span{out_.offset, want};
    return w_->call(req);
  }

  Failure no_arena(uint64_t n) const { return arena_full(w_->arena(), n, "a tensor"); }

  std::shared_ptr<Worker> w_;
  uint32_t id_;
  bool llm_;
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
  ProxyGraph(std::shared_ptr<Worker> w, uint32_t id, bool llm) : w_(std::move(w)), id_(id), llm_(llm) {}
  ~ProxyGraph() override {
    if (!w_->alive()) return;
    Request req;
    req.op = Op::Unload;
    req.id = id_;
    w_->post(req);
  }
  bool alive() const override { return w_->alive(); }
  Result<std::unique_ptr<Execution>> create_execution() override {
    Request req;
    req.op = Op::CreateExec;
    req.id = id_;
    req.index = w_->new_id();
    auto r = w_->call(req);
    if (!r) return r.failure();
    return std::unique_ptr<Execution>(new ProxyExecution(w_, req.index, llm_));
  }
  int pid() const { return w_->pid(); }

 private:
  std::shared_ptr<Worker> w_;
  uint32_t id_;
  bool llm_;  // encoding ggml
};

class ProcessBackend final : public Backend {
 public:
  explicit ProcessBackend(Options o) : options_(std::move(o)) {}
  const char* name() const override { return "openvino, ggml (worker process)"; }
  bool handles(Encoding e) const override { return e != Encoding::PyTorch; }

  Result<std::shared_ptr<Graph>> load(std::span<const std::span<const uint8_t>> parts, Encoding encoding, Target target,
                                      const LoadOptions& options) override {
    if (parts.size() > kMaxParts)
      return Failure{kInvalidArgument,
                     std::to_string(parts.size()) + " graph builders exceed " + std::to_string(kMaxParts)};
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
        copied = arena_full(w.arena(), parts[i].size(), "model bytes");
        break;
      }
      blocks.push_back(*off);
      if (!parts[i].empty()) std::memcpy(w.arena().at(*off, parts[i].size()), parts[i].data(), parts[i].size());
      req.parts[i] = Span{*off, parts[i].size()};
    }
    if (copied && !options.config.empty()) {  // the graph's config travels in the arena too
      const uint64_t n = options.config.size();
      if (auto off = w.arena().alloc(n)) {
        blocks.push_back(*off);
        std::memcpy(w.arena().at(*off, n), options.config.data(), n);
        req.data = Span{*off, n};
      } else {
        copied = arena_full(w.arena(), n, "graph config");
      }
    }
    auto r = copied ? w.call(req) : Result<Reply>(copied.failure());
    for (uint64_t b : blocks) w.arena().free(b);
    if (!r) return r.failure();
    return std::shared_ptr<Graph>(new ProxyGraph(worker_, req.id, encoding == Encoding::Ggml));
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
