// The wire format between wnn and its wasi-nn worker process
// (wnn-nn-worker): one fixed-size Request and one fixed-size Reply per call
// over a SOCK_SEQPACKET socketpair (one message = one datagram, so a short or
// merged read cannot happen), with all bulk bytes (model builders, tensors)
// in the shared-memory Arena that both processes map. Both sides are built
// from the same tree: there is no version negotiation.
#pragma once
#include <cstdint>

namespace wnn::nn::worker {

// The worker's fds: the socket and the arena's memfd (exec'd as fds 3 and 4).
constexpr int kSocketFd = 3;
constexpr int kArenaFd = 4;

// Address space both sides reserve for the arena (MAP_SHARED, grown with
// ftruncate by the host only): a reservation, not memory, so tensor
// pointers into it never move.
constexpr uint64_t kArenaReserve = uint64_t(64) << 30;

enum class Op : uint32_t {
  Ready = 0,       // the worker's first reply, unasked: started, or why not
  Load,            // parts (and the config at `data`) in the arena -> graph `id`
  Unload,          // graph `id`
  CreateExec,      // graph `id` -> execution `index` (the new exec's id)
  FinalizeExec,    // execution `id`
  SetInput,        // execution `id`, input `index`, tensor at [offset, +length) (kept bound)
  Compute,         // execution `id`, output blocks in parts[] -> output sizes, which blocks hold their output
  GetOutput,       // execution `id`, output `index` -> copied to [offset, +length)
  ComputeSingle,   // execution `id`: one more token (LLM backends)
  GetOutputSingle, // execution `id`, output `index` of the last token -> copied to [offset, +length)
  FiniSingle,      // execution `id`: the streamed answer ends
};

constexpr uint32_t kMaxParts = 64;   // = the host's builder limit
constexpr uint32_t kMaxRank = 32;
constexpr uint32_t kMaxOutputs = 64;  // output sizes returned by Compute (more: asked one by one)

struct Span {
  uint64_t offset = 0, length = 0;
};

struct Request {
  Op op = Op::Load;
  uint32_t id = 0;     // graph or execution
  uint32_t index = 0;  // input/output index; CreateExec: the new execution's id
  uint8_t encoding = 0, target = 0, type = 0, pad = 0;
  uint32_t rank = 0;
  uint32_t nparts = 0;
  uint64_t arena_size = 0;  // bytes of the arena currently backed (offsets are checked against it)
  uint64_t max_tensor_bytes = 0;  // Load: LoadOptions::max_tensor_bytes
  Span data;                // SetInput: tensor bytes; GetOutput(Single): destination; Load: LoadOptions::config
  uint32_t dims[kMaxRank] = {};
  Span parts[kMaxParts] = {};
};

constexpr uint32_t kMaxWhy = 480;

struct Reply {
  uint32_t code = 0;   // nn::Errno
  uint32_t quiet = 0;  // Failure::quiet
  uint64_t needed = 0; // GetOutput: the output's size
  uint32_t noutputs = 0;
  uint32_t why_len = 0;
  uint64_t output_bytes[kMaxOutputs] = {};  // Compute: each output's size (first kMaxOutputs)
  uint64_t delivered = 0;  // Compute: bit i = output i is in the block parts[i] of the request
  char why[kMaxWhy] = {};
};

}  // namespace wnn::nn::worker
