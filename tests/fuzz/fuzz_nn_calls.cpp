// Fuzz target (d): wasi-nn host functions with guest-chosen arguments over a
// guest-filled memory, on real OpenVINO graphs.
//
// A module generated here imports the 12 functions of wasi_ephemeral_nn and
// exports a trampoline `t<i>` for each (the host function then runs with the
// trampoline's instance, and its memory, as caller) plus a one-page memory.
// One NnContext and Store serve the whole process (named graphs are compiled
// once): instances A and B of that module (B: "another instance", whose
// handles A must not use) and C, the same trampolines without a memory
// (missing_memory). Named graphs (load_by_name) are "llm" (SmolLM2 on the
// GGML backend, when built: compute_single & co. for real) and the tiny models of
// tests/nn/make_models.py (Tile models whose repeat counts are the guest's
// among them), the MNIST IR of examples/classify, a missing file and a model
// with an unknown op; `load` gets whatever bytes the input points
// it at (seeds: the same models' IR xml + weights, ONNX and TensorFlow bytes),
// up to 16 KiB (too_large beyond).
//
// Input: [head: calls-1 in bits 0-3; bit 4: the prologue (see there) on
// graph bits 5-7 first] then per call [op: function index in
// bits 0-3 (mod 12), caller in bits 4-6 (6: B, 7: C, else A)][per parameter:
// mode byte, then its bytes (see resolve)]; the rest fills A's and B's
// memory from 0 (zeros after it).
// Checked after every call, besides sanitizers: the call returned (no trap) a
// witx nn_errno (0..8) or one of WasmEdge's LLM errnos (100..103), missing_memory for C; the host wrote only where the
// call may write (its out-pointer on success; get_output: `written` bytes of
// the buffer and bytes_written on success, only bytes_written on too_large),
// nothing in the other instance's memory; a new handle is never one handed
// out before. After each input every handle it got is released and must be
// gone; no temporary model file is left in $TMPDIR and no host fd leaked.
// The backend runs as configured by default (NnConfig::isolation = process):
// every call crosses the worker protocol.
// WNN_FUZZ_STATS=1 prints how many inputs reached compute and get_output.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/common_interface_defs.h>
#define WNN_FUZZ_ASAN 1
#endif
#endif

#include "fuzz_input.h"
#include "wasm_writer.h"
#include "wnn/nn.h"
#include "wnn/runtime.h"

namespace {

using wnn::fuzz::Input;

const char* const kNames[] = {
    "load",
    "load_by_name",
    "load_by_name_with_config",
    "init_execution_context",
    "set_input",
    "compute",
    "get_output",
    "compute_single",
    "get_output_single",
    "fini_single",
    "unload",
    "finalize_execution_context",
};
constexpr size_t kFns = sizeof kNames / sizeof kNames[0];
enum Fn {
  kLoad,
  kLoadByName,
  kLoadByNameWithConfig,
  kInit,
  kSetInput,
  kCompute,
  kGetOutput,
  kComputeSingle,
  kGetOutputSingle,
  kFiniSingle,
  kUnload,
  kFinalize
};
constexpr uint32_t kMaxErrno = 8;  // not_found: the last witx nn_errno
// WasmEdge's LLM errnos (the ggml graph): end_of_sequence .. model_not_found.
constexpr uint32_t kFirstLlmErrno = 100, kLastLlmErrno = 103;

// The wasi-nn worker's private temporary directory (it lives as long as the
// worker): allowed, but it must be empty between inputs too.
bool empty_worker_dir(const std::string& path) {
  if (path.find("/wnn-nn-worker-") == std::string::npos) return false;
  DIR* d = ::opendir(path.c_str());
  if (!d) return false;
  int n = 0;
  while (dirent* ent = ::readdir(d)) n += std::strcmp(ent->d_name, ".") && std::strcmp(ent->d_name, "..");
  ::closedir(d);
  return n == 0;
}

struct Fixture {
  std::vector<wnn::FuncType> types;
  std::shared_ptr<const wnn::CompiledModule> with_memory, without_memory;
  wnn::NnConfig config;
  // One NnContext and Store for the process, so that named graphs are
  // compiled once (a compile costs ~50-100 ms under ASan); each input
  // releases every handle it got and checks that they are gone.
  std::unique_ptr<wnn::NnContext> nn;
  std::unique_ptr<wnn::Store> store;
  wnn::Instance* inst[3] = {};  // A, B (another instance), C (no memory)
  std::span<uint8_t> mem[2];
  wnn::FuncInst* fn[3][kFns] = {};
  std::string tmpdir;
  int devnull = -1;
  int fd_probe = -1;  // lowest free fd after the warm-up: a leak moves it
  // WNN_FUZZ_STATS=1: at exit, how many inputs reached a successful compute / get_output.
  bool stats = false;
  size_t inputs = 0, computed = 0, got_output = 0;
};

std::shared_ptr<const wnn::CompiledModule> compile_or_die(const std::vector<uint8_t>& bytes) {
  auto m = wnn::compile(bytes);
  if (!m) {
    std::fprintf(stderr, "fuzz_nn_calls: trampoline module: %s\n", m.error().message.c_str());
    std::abort();
  }
  return *m;
}

wnn::NnPreload graph(const char* name, const char* encoding, std::vector<std::string> paths) {
  return wnn::NnPreload{name, encoding, "cpu", std::move(paths), ""};
}

int lowest_free_fd(int devnull) {
  int probe = ::dup(devnull);
  ::close(probe);
  return probe;
}

void at_exit();
void run_input(const uint8_t* data, size_t size);

Fixture& fixture() {
  static Fixture* fx = [] {
    auto* f = new Fixture;
    // (TBB_ENABLE_SANITIZERS, which OpenVINO needs under ASan, is set by
    // src/nn/backend.cpp before it opens the backend, in every ASan build.)
    std::vector<wnn::test::HostImport> imports;
    for (const char* n : kNames) {
      f->types.push_back(*wnn::NnContext::function_type(wnn::NnContext::kModule, n));
      imports.push_back({std::string(wnn::NnContext::kModule), n, f->types.back()});
    }
    // Trampolines t<i> for every function; A and B get one page of memory, C none.
    f->with_memory = compile_or_die(wnn::test::trampoline_module(imports, {{1, 1}}));
    f->without_memory = compile_or_die(wnn::test::trampoline_module(imports, std::nullopt));
    // The tf/tflite frontends read temporary files from $TMPDIR: a private one, checked empty after each input.
    // libFuzzer's fork-mode jobs end with _Exit (no atexit): remove the empty ones of dead processes.
    if (DIR* d = ::opendir("/tmp")) {
      while (dirent* e = ::readdir(d)) {
        int pid = 0;
        if (std::sscanf(e->d_name, "wnn-fuzz-nn.%d", &pid) == 1 && pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH)
          ::rmdir((std::string("/tmp/") + e->d_name).c_str());
      }
      ::closedir(d);
    }
    f->tmpdir = "/tmp/wnn-fuzz-nn." + std::to_string(::getpid());
    if (::mkdir(f->tmpdir.c_str(), 0700) != 0 && errno != EEXIST) std::abort();
    ::setenv("TMPDIR", f->tmpdir.c_str(), 1);
    const std::string m = FUZZ_NN_MODELS;
    f->config.graphs = {
        graph("linear", "openvino", {m + "/linear/model.xml", m + "/linear/model.bin"}),
        graph("ints", "openvino", {m + "/ints/model.xml", m + "/ints/model.bin"}),
        graph("types", "openvino", {m + "/types/model.xml", m + "/types/model.bin"}),
        graph("mnist", "openvino", {FUZZ_NN_MNIST "/model.xml", FUZZ_NN_MNIST "/model.bin"}),
        graph("lin-onnx", "onnx", {m + "/linear/model.onnx"}),
        graph("lin-tf", "autodetect", {m + "/linear/model.pb"}),
        graph("custom", "onnx", {m + "/custom/model.onnx"}),
        graph("tile", "onnx", {m + "/tile/model.onnx"}),
        graph("tilesum", "onnx", {m + "/tilesum/model.onnx"}),
        graph("gone", "openvino", {m + "/gone.xml", m + "/gone.bin"}),
    };
#ifdef FUZZ_NN_LLM
    // The GGML backend (when built): SmolLM2 with a small context and two
    // tokens per answer, so that compute and compute_single stay cheap.
    if (::access(FUZZ_NN_LLM, R_OK) == 0) {
      f->config.graphs.push_back(graph("llm", "ggml", {FUZZ_NN_LLM}));
      f->config.graphs.back().config = R"({"n-predict": 2, "ctx-size": 64, "threads": 1, "temp": 0})";
    }
#endif
    f->config.max_model_bytes = 16384;  // (guests' load; named graphs are the host's: llm is 98 MB)
    auto nn = wnn::NnContext::create(f->config);
    if (!nn) std::abort();
    f->nn = std::move(*nn);
    wnn::StoreConfig sc;
    sc.value_stack_slots = 1 << 12;
    f->store = std::make_unique<wnn::Store>(sc);
    auto link = [&](std::string_view mod, std::string_view name) { return f->nn->resolve(*f->store, mod, name); };
    for (int i = 0; i < 3; ++i) {
      auto r = f->store->instantiate(i < 2 ? f->with_memory : f->without_memory, link);
      if (!r) {
        std::fprintf(stderr, "fuzz_nn_calls: instantiate: %s\n", r.error().message.c_str());
        std::abort();
      }
      f->inst[i] = *r;
      for (size_t k = 0; k < kFns; ++k) f->fn[i][k] = f->store->find_export(*r, "t" + std::to_string(k))->func();
      if (i < 2) f->mem[i] = f->store->memory_data(f->store->find_export(*r, "memory")->memory());
    }
    f->devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    const char* s = std::getenv("WNN_FUZZ_STATS");
    f->stats = s && *s && *s != '0';
    return f;
  }();
  return *fx;
}

// The first input loads OpenVINO, its plugins and frontends (fds, threads,
// caches that stay): run every named graph and the device listing once
// before taking the fd probe.
void warm_up(Fixture& fx) {
  static bool done = false;
  if (done) return;
  done = true;
  // load_by_name(name at 0, out 16) → init(out 20) → set_input(0, f32 [1,4] record at 32) → compute →
  // get_output(0, buffer 128, 64 bytes, written at 24). Only "linear" gets that far.
  // "llm" (the GGML graph, when there) takes the same f32 record as a u8 one, a 16-byte prompt.
  for (const char* n :
       {"linear", "ints", "types", "mnist", "lin-onnx", "lin-tf", "custom", "tile", "tilesum", "gone", "llm"}) {
    const uint8_t len = uint8_t(std::strlen(n));
    std::vector<uint8_t> in = {4, 0x01, 2,  0, 0,    2, len, 0,    2, 16, 0, 0x03, 3, 0,   2, 20, 0,  0x04, 3, 1,  1,
                               0, 2,    32, 0, 0x05, 3, 1,   0x06, 3, 1,  1, 0,    2, 128, 0, 2,  64, 0,    2, 24, 0};
    std::vector<uint8_t> mem(96);
    std::memcpy(mem.data(), n, len);
    const uint32_t type = std::strcmp(n, "llm") == 0 ? 3 : 1;
    const uint32_t rec[5] = {64, 2, type, 80, 16}, dims[2] = {1, 4};  // type f32 (u8) in the low byte of word 2
    std::memcpy(mem.data() + 32, rec, sizeof rec);
    std::memcpy(mem.data() + 64, dims, sizeof dims);
    in.insert(in.end(), mem.begin(), mem.end());
    run_input(in.data(), in.size());
  }
  // load(two empty builders at 0) for targets gpu and tpu: lists OpenVINO's devices, loading every plugin.
  for (uint8_t target : {1, 2}) {
    std::vector<uint8_t> in = {0, 0x00, 2, 0, 0, 1, 2, 1, 0, 1, target, 2, 16, 0};
    in.resize(in.size() + 32);
    run_input(in.data(), in.size());
  }
#if WNN_FUZZ_ASAN
  // LSan symbolizes stacks (for its suppressions) with llvm-symbolizer, over
  // pipes it keeps: start it now, or those pipes look like a leak.
  char where[256];
  __sanitizer_symbolize_pc(__builtin_return_address(0), "%p %F %L", where, sizeof where);
#endif
  fx.fd_probe = lowest_free_fd(fx.devnull);
  fx.inputs = fx.computed = fx.got_output = 0;  // count the fuzzer's inputs only
  std::atexit(at_exit);
}

void at_exit() {
  const Fixture& fx = fixture();
  ::rmdir(fx.tmpdir.c_str());
  if (fx.stats)
    std::fprintf(stderr, "fuzz_nn_calls: %zu inputs, %zu reached a successful compute, %zu a successful get_output\n",
                 fx.inputs, fx.computed, fx.got_output);
}

struct Call {
  size_t fn;
  int caller;  // 0: A, 1: B (another instance), 2: C (no memory)
  std::vector<uint8_t> modes;
  std::vector<uint32_t> raw;
};

// A parameter: mode byte & 7 = 0: four raw bytes; 1: a small value (byte &
// 15); 3: the k-th handle handed out in this input (else the byte); 4: near
// the end of memory (65536 - byte); 5: near 2^32 (0xffffffff - byte); else
// two raw bytes.
uint32_t resolve(uint8_t mode, uint32_t raw, const std::vector<uint32_t>& handles) {
  switch (mode & 7) {
    case 3: return handles.empty() ? raw : handles[raw % handles.size()];
    case 4: return 65536 - raw;
    case 5: return 0xffffffffu - raw;
    default: return raw;
  }
}

void fail(const char* fn, const char* what) {
  std::fprintf(stderr, "fuzz_nn_calls: %s: %s\n", fn, what);
  std::abort();
}

// Calls wasi-nn function `k` through caller `who`'s trampoline; its nn_errno.
uint32_t invoke(Fixture& fx, int who, size_t k, std::vector<wnn::Value> args) {
  auto r = fx.store->invoke(fx.fn[who][k], args);
  if (!r) fail(kNames[k], ("trapped: " + r.error().message).c_str());  // wasi-nn calls return errnos, never trap
  const uint32_t e = uint32_t((*r)[0].lo);
  if (e > kMaxErrno && (e < kFirstLlmErrno || e > kLastLlmErrno))
    fail(kNames[k], ("returned " + std::to_string(e) + ", not a wasi-nn nn_errno").c_str());
  return e;
}

// [lo, hi) ranges of guest memory the call may have written.
struct Allowed {
  std::vector<std::pair<uint64_t, uint64_t>> r;
  void add(uint64_t p, uint64_t n) { r.emplace_back(p, p + n); }
  bool has(uint64_t i) const {
    for (auto [lo, hi] : r)
      if (i >= lo && i < hi) return true;
    return false;
  }
};

uint32_t load_u32(std::span<const uint8_t> mem, uint32_t p) {
  uint32_t v = 0;
  if (uint64_t(p) + 4 <= mem.size()) std::memcpy(&v, mem.data() + p, 4);
  return v;
}

void check_memory(const char* fn, std::span<const uint8_t> now, const std::vector<uint8_t>& before, const Allowed& ok) {
  if (std::memcmp(now.data(), before.data(), now.size()) == 0) return;
  for (size_t i = 0; i < now.size(); ++i)
    if (now[i] != before[i] && !ok.has(i)) {
      std::fprintf(stderr, "fuzz_nn_calls: %s wrote guest memory at %zu, outside what it may write\n", fn, i);
      std::abort();
    }
}

// The prologue (head bit 4): a well-formed load_by_name → init → set_input
// of every input → compute on named graph (head >> 5), so that most inputs
// start from a computed context (handles 0 and 1 for mode 3) whatever the
// mutations did. Its name, records and dims live in the top 1 KiB of
// memory (kScratch), its tensor data is the input's memory at kData.
struct TensorSpec {
  uint8_t type;
  std::vector<uint32_t> dims;
};
struct GraphSpec {
  const char* name;
  std::vector<TensorSpec> inputs;
};
const GraphSpec kGraphs[8] = {
    {"linear", {{1, {1, 4}}}},
    {"ints", {{3, {1, 4}}, {4, {1, 4}}}},
    {"types", {{0, {2}}, {2, {2}}, {5, {2}}}},
    {"mnist", {{1, {1, 1, 28, 28}}}},
    {"lin-onnx", {{1, {1, 4}}}},
    {"lin-tf", {{1, {1, 4}}}},
    {"tile", {{5, {2}}}},     // i64 repeat counts: the shape check before compute
    {"tilesum", {{5, {2}}}},
};
constexpr uint32_t kScratch = 65536 - 1024, kData = 1024;

Call raw_call(size_t fn, std::vector<uint32_t> raw, std::vector<uint8_t> modes = {}) {
  modes.resize(raw.size(), 0);  // mode 0: the value as is
  return Call{fn, 0, std::move(modes), std::move(raw)};
}

void prologue(std::span<uint8_t> mem, const GraphSpec& g, std::vector<Call>& calls) {
  uint8_t* s = mem.data() + kScratch;
  std::memset(s, 0, 1024);
  const uint32_t len = uint32_t(std::strlen(g.name));
  std::memcpy(s, g.name, len);
  calls.push_back(raw_call(kLoadByName, {kScratch, len, kScratch + 16}));
  calls.push_back(raw_call(kInit, {0, kScratch + 20}, {3, 0}));
  for (uint32_t i = 0; i < g.inputs.size(); ++i) {
    const TensorSpec& t = g.inputs[i];
    const uint32_t rec = kScratch + 32 + 32 * i, dims = kScratch + 256 + 32 * i;
    const uint32_t esize[6] = {2, 4, 8, 1, 4, 8};
    uint32_t n = esize[t.type];
    for (uint32_t d : t.dims) n *= d;
    const uint32_t r[5] = {dims, uint32_t(t.dims.size()), t.type, kData + 4096 * i, n};
    std::memcpy(mem.data() + rec, r, sizeof r);
    std::memcpy(mem.data() + dims, t.dims.data(), 4 * t.dims.size());
    calls.push_back(raw_call(kSetInput, {1, i, rec}, {3, 0, 0}));
  }
  calls.push_back(raw_call(kCompute, {1}, {3}));
}

void run_input(const uint8_t* data, size_t size) {
  Fixture& fx = fixture();
  Input in{data, size};
  const uint8_t head = in.u8();
  const size_t ncalls = (head & 15) + 1;
  std::vector<Call> calls;
  for (size_t i = 0; i < ncalls; ++i) {
    Call c;
    const uint8_t op = in.u8();
    c.fn = (op & 15) % kFns;
    const int who = (op >> 4) & 7;
    c.caller = who == 6 ? 1 : who == 7 ? 2 : 0;
    for (size_t p = 0; p < fx.types[c.fn].params.size(); ++p) {
      const uint8_t mode = in.u8();
      c.modes.push_back(mode);
      switch (mode & 7) {  // how many bytes the value takes (see resolve)
        case 0: c.raw.push_back(uint32_t(in.bytes(4))); break;
        case 1: c.raw.push_back(in.u8() & 15); break;
        case 3:
        case 4:
        case 5: c.raw.push_back(in.u8()); break;
        default: c.raw.push_back(uint32_t(in.bytes(2))); break;
      }
    }
    calls.push_back(std::move(c));
  }

  std::span<uint8_t>* mem = fx.mem;
  for (int i = 0; i < 2; ++i) {
    const size_t n = std::min(in.n, mem[i].size());
    std::memcpy(mem[i].data(), in.p, n);
    std::memset(mem[i].data() + n, 0, mem[i].size() - n);
  }
  if (head & 16) {
    std::vector<Call> pro;
    prologue(mem[0], kGraphs[head >> 5], pro);
    calls.insert(calls.begin(), pro.begin(), pro.end());
  }
  struct Handle {
    uint32_t h;
    int owner;
  };
  std::vector<Handle> got;         // every handle handed out in this input
  std::vector<uint32_t> handles;   // the same, for parameters of mode 3
  std::vector<uint8_t> before[2];
  bool computed = false, got_output = false;
  for (const Call& c : calls) {
    const char* fn = kNames[c.fn];
    std::vector<uint32_t> a;
    std::vector<wnn::Value> args;
    for (size_t p = 0; p < c.raw.size(); ++p) {
      a.push_back(resolve(c.modes[p], c.raw[p], handles));
      args.push_back(wnn::Value::i32(a.back()));
    }
    for (int i = 0; i < 2; ++i) before[i].assign(mem[i].begin(), mem[i].end());
    const uint32_t e = invoke(fx, c.caller, c.fn, args);
    if (c.caller == 2) {
      if (c.fn <= kGetOutput && c.fn != kCompute && e != 3) fail(fn, "without a memory: not missing_memory");
      continue;
    }
    const std::span<const uint8_t> m = mem[c.caller];
    Allowed ok;
    if (e == 0 && (c.fn == kLoad || c.fn == kLoadByName || c.fn == kLoadByNameWithConfig || c.fn == kInit)) {
      const uint32_t out = a.back();
      ok.add(out, 4);
      const uint32_t h = load_u32(m, out);
      if (std::find(handles.begin(), handles.end(), h) != handles.end()) fail(fn, "handed out a handle twice");
      handles.push_back(h);
      got.push_back({h, c.caller});
    }
    if (e == 0 && c.fn == kCompute) computed = true;
    if (e == 0 && c.fn == kComputeSingle) computed = true;
    if ((c.fn == kGetOutput || c.fn == kGetOutputSingle) && (e == 0 || e == 7)) {
      const uint32_t out = a[2], max = a[3], bw = a[4];
      const uint32_t written = load_u32(m, bw);
      ok.add(bw, 4);
      if (e == 0) {
        if (written > max) fail(fn, "success with bytes_written > out_max_bytes");
        ok.add(out, written);
        got_output = true;
      } else if (written <= max && written != load_u32(before[c.caller], bw)) {
        fail(fn, "too_large but bytes_written fits the buffer");
      }
    }
    check_memory(fn, m, before[c.caller], ok);
    check_memory(fn, mem[1 - c.caller], before[1 - c.caller], Allowed{});  // the other instance's memory
  }
  fx.inputs++;
  fx.computed += computed;
  fx.got_output += got_output;

  // Release every handle (graphs and contexts: the wrong kind is just
  // invalid_argument), then check that none is left: nothing carries over.
  for (const Handle& h : got) {
    invoke(fx, h.owner, kFinalize, {wnn::Value::i32(h.h)});
    invoke(fx, h.owner, kUnload, {wnn::Value::i32(h.h)});
  }
  for (const Handle& h : got)
    if (invoke(fx, h.owner, kCompute, {wnn::Value::i32(h.h)}) != 1 ||
        invoke(fx, h.owner, kInit, {wnn::Value::i32(h.h), wnn::Value::i32(0)}) != 1)
      fail("cleanup", ("handle " + std::to_string(h.h) + " survived unload/finalize_execution_context").c_str());

  if (DIR* d = ::opendir(fx.tmpdir.c_str())) {
    while (dirent* ent = ::readdir(d))
      if (std::strcmp(ent->d_name, ".") && std::strcmp(ent->d_name, "..") &&
          !empty_worker_dir(fx.tmpdir + "/" + ent->d_name)) {
        std::fprintf(stderr, "fuzz_nn_calls: temporary file %s/%s left behind\n", fx.tmpdir.c_str(), ent->d_name);
        std::abort();
      }
    ::closedir(d);
  }
  if (fx.fd_probe >= 0 && lowest_free_fd(fx.devnull) != fx.fd_probe) {
    char path[256] = {};
    const std::string fd = "/proc/self/fd/" + std::to_string(fx.fd_probe);
    (void)!::readlink(fd.c_str(), path, sizeof path - 1);
    std::fprintf(stderr, "fuzz_nn_calls: host fd leak (lowest free fd %d, was %d: %s)\n", lowest_free_fd(fx.devnull),
                 fx.fd_probe, path);
    std::abort();
  }
}

}  // namespace

#if WNN_FUZZ_ASAN
// OpenVINO keeps per-thread state (its streams executors' TBB observers, a
// few hundred bytes per compiled model and thread, bounded) where LSan does
// not look: thread_local storage of dlopen'ed libraries. Leaks whose stack
// passes through OpenVINO or TBB are theirs, not wnn's.
#include "nn/lsan_suppressions.h"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  warm_up(fixture());
  run_input(data, size);
  return 0;
}
