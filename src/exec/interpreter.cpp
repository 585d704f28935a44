// The interpreter's entry point: set up a frame for a function called from
// the host, run the handler chain until `halt` or a trap, report traps with a
// backtrace.
#include "exec/interpreter.h"

#include "exec/guard.h"
#include "exec/native_stack.h"
#include "exec/tiering.h"

#include <sys/mman.h>

#include <algorithm>
#include <string>
#include <string_view>

namespace wnn::exec {

namespace {

// The entry frame returns here: ends the handler chain with TrapKind::None.
const Word kHaltCode[1] = {Word{.h = &op_halt}};

std::string describe(const FuncInst* f) {
  std::string s = current_code(f) ? "function " + std::to_string(f->index) : "host function";
  if (!f->name.empty()) s += " \"" + f->name + "\"";
  return s;
}

// The data of one backtrace line (Error::trace).
TrapFrame frame_of(const FuncInst* f) {
  TrapFrame fr;
  fr.func_name = f->name;
  if (!f->inst) {
    fr.host = true;
    return fr;
  }
  fr.func_index = f->index;
  if (!f->inst->module) return fr;  // an instance assembled by hand (interpreter tests)
  const Module& m = f->inst->module->module;
  if (f->index >= m.num_imported_funcs && f->index - m.num_imported_funcs < m.codes.size())
    fr.code_offset = m.codes[f->index - m.num_imported_funcs].offset;
  return fr;
}

void* map_zeroed(uint64_t bytes) {
  // MAP_NORESERVE: an 8 MiB value stack costs nothing until it is touched.
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

}  // namespace

// Starts the handler chain. The handlers (preserve_none) clobber every
// register but rsp/rbp, so the caller must save them all; keep that in a tiny
// frame of its own. Not instrumented by ASan: an ASan frame may keep its
// (fake) stack base in rbx, which clang 19 does not save around a
// preserve_none call.
[[gnu::noinline]] __attribute__((no_sanitize("address"))) TrapKind run_code(const Word* ip, Slot* fp, uint8_t* mem,
                                                                            Thread* th) {
  return ip->h(ip, fp, mem, th);
}

namespace {

// Runs the handler chain with guest memory faults turned into traps (see
// guard.h): a fault jumps back here, to the sigsetjmp.
[[gnu::noinline]] TrapKind run_guarded(const Word* ip, Slot* fp, uint8_t* mem, Thread* th) {
#if WNN_GUARD_PAGES
  GuardFrame g;
  g.thread = th;
  g.prev = t_guard;
  if (const int k = sigsetjmp(g.jump, 0)) {
    t_guard = g.prev;
    return TrapKind(k);
  }
  t_guard = &g;
  const TrapKind k = run_code(ip, fp, mem, th);
  t_guard = g.prev;
  return k;
#else
  return run_code(ip, fp, mem, th);
#endif
}

// Backtraces of deep recursion are cut down to the innermost and outermost
// few frames.
constexpr size_t kHeadFrames = 16;
constexpr size_t kTailFrames = 4;
// A trap passed on through host re-entries keeps at most this many lines.
constexpr size_t kMaxTraceLines = 64;
constexpr std::string_view kMoreLevels = "\n  ... more frames of outer calls";

}  // namespace

Executor::Executor(Store* store, const StoreConfig& config)
    : stack_slots_(std::max<uint64_t>(config.value_stack_slots, 1)),
      max_frames_(std::max<uint64_t>(config.max_call_depth, 1)) {
  th_.store = store;
  th_.fuel_limited = config.fuel != 0;
  th_.fuel_left = config.fuel;
#if WNN_GUARD_PAGES
  install_guard_handler();
#endif
}

Executor::~Executor() {
  if (stack_map_) munmap(stack_map_, stack_slots_ * sizeof(Slot));
  if (frames_map_) munmap(frames_map_, max_frames_ * sizeof(Frame));
}

bool Executor::ensure_stacks() {
  if (stack_map_) return true;
  void* s = map_zeroed(stack_slots_ * sizeof(Slot));
  void* f = map_zeroed(max_frames_ * sizeof(Frame));
  if (!s || !f) {
    if (s) munmap(s, stack_slots_ * sizeof(Slot));
    if (f) munmap(f, max_frames_ * sizeof(Frame));
    return false;
  }
  stack_map_ = s;
  frames_map_ = f;
  th_.stack_begin = static_cast<Slot*>(s);
  th_.stack_end = th_.stack_begin + stack_slots_;
  th_.frames_begin = th_.frames_top = static_cast<Frame*>(f);
  th_.frames_end = th_.frames_begin + max_frames_;
  return true;
}

Expected<void> Executor::call(FuncInst* func, uint64_t* slots) {
  // A host function re-entering wasm nests native frames: stop while the
  // thread still has its reserve (see native_stack.h). The frame-stack check
  // below counts frames across re-entries too (they share the Thread).
  const NativeStack ns = native_stack();
  if (ns.left < ns.reserve) {
    Error e(ErrorKind::Exhaustion, std::string(trap_message(TrapKind::CallStackExhausted)) + ": " +
                                       std::to_string(ns.left) + " bytes of native stack left, below the " +
                                       std::to_string(ns.reserve) + " reserved (host calls into wasm nested " +
                                       std::to_string(depth_) + " deep)\n  calling " + describe(func));
    e.trap = TrapKind::CallStackExhausted;
    return e;
  }
  if (!current_code(func)) {
    // Called by the embedder, not by wasm: there is no calling instance.
    HostContext ctx;
    ctx.store = th_.store;
    return func->host(ctx, slots);
  }
  if (!ensure_stacks()) {
    Error e(ErrorKind::Exhaustion, "call stack exhausted: cannot allocate the interpreter's stacks");
    e.trap = TrapKind::CallStackExhausted;
    return e;
  }

  Thread* th = &th_;
  // Compiled code checks its frames against this (the same reserve).
  if (ns.left != SIZE_MAX)
    th->native_limit = reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) - (ns.left - ns.reserve);
  const FunctionCode* code = current_code(func);
  // A nested call (host -> wasm) starts above everything the outer
  // activation still uses; see Thread::host_call_sp.
  Slot* fp = depth_ ? th->host_call_sp : th->stack_begin;
  const uint64_t need = std::max({code->frame_slots, code->param_slots, code->result_slots});
  if (fp > th->stack_end || uint64_t(th->stack_end - fp) < need || th->frames_top == th->frames_end) {
    Error e(ErrorKind::Exhaustion,
            std::string(trap_message(TrapKind::CallStackExhausted)) + "\n  calling " + describe(func));
    e.trap = TrapKind::CallStackExhausted;
    return e;
  }

  std::copy(slots, slots + code->param_slots, fp);
  std::fill(fp + code->param_slots, fp + code->local_slots, Slot(0));

  // Everything the outer activation (if any) expects back after we return,
  // also when a trap unwinds (or an exception passes through).
  struct Restore {
    Executor* ex;
    Frame* frames_top;
    Instance* inst;
    Slot* host_call_sp;
    Slot* jit_sp;
    FuncInst* const* jit_funcs;  // a trap does not come back through jit_enter
    GlobalInst* const* jit_globals;
    ~Restore() {
      Thread& t = ex->th_;
      t.frames_top = frames_top;
      t.host_call_sp = host_call_sp;
      t.jit_sp = jit_sp;
      t.jit_funcs = jit_funcs;
      t.jit_globals = jit_globals;
      enter_instance(&t, inst);
      t.trap_func = nullptr;
      --ex->depth_;
    }
  } restore{this, th->frames_top, th->inst, th->host_call_sp, th->jit_sp, th->jit_funcs, th->jit_globals};
  ++depth_;

  *th->frames_top++ = Frame{kHaltCode, fp, th->inst, func};
  th->trap_func = nullptr;
  uint8_t* mem = enter_instance(th, func->inst);
  const TrapKind kind = run_guarded(code->code.data(), fp, mem, th);

  if (kind != TrapKind::None) return trap_error(kind, restore.frames_top);
  std::copy(fp, fp + code->result_slots, slots);
  return {};
}

// `outer` is the first frame of this activation (the entry frame); frames
// [outer, th_.frames_top) were active at the trap, innermost last.
Error Executor::trap_error(TrapKind kind, const Frame* outer) {
  const Thread& th = th_;
  Error e(kind == TrapKind::CallStackExhausted ? ErrorKind::Exhaustion : ErrorKind::Trap, "");
  e.trap = kind;
  if (kind == TrapKind::Exit) {
    e.exit_code = th.exit_code;
    e.message = th.host_message.empty() ? "exit with code " + std::to_string(th.exit_code) : th.host_message;
    return e;
  }

  std::string msg;
  bool first = true;
  if (th.trap_func) {
    // A host function failed (or passed on a trap of wasm it called).
    // An empty message: the host raised the trap itself (e.g. interrupted
    // while it waited); a passed-on trap carries its wasm backtrace.
    msg = th.host_message.empty() ? trap_message(kind) : th.host_message;
    e.trace.assign(th.host_trace.begin(), th.host_trace.begin() + std::min(th.host_trace.size(), kMaxTraceLines));
    // Passed on through many levels of re-entry, the backtrace stops
    // growing (each level would copy it: quadratic).
    if (size_t(std::count(msg.begin(), msg.end(), '\n')) >= kMaxTraceLines || e.trace.size() >= kMaxTraceLines) {
      if (!msg.ends_with(kMoreLevels)) msg += kMoreLevels;
      e.message = std::move(msg);
      return e;
    }
    msg += (kind == TrapKind::HostError || th.host_message.empty() ? "\n  in " : "\n  called from ") +
           describe(th.trap_func);
    e.trace.push_back(frame_of(th.trap_func));
    first = false;
  } else {
    msg = trap_message(kind);
  }

  const size_t n = size_t(th.frames_top - outer);
  for (size_t k = 0; k < n; ++k) {  // k = 0 is the innermost frame
    if (k == kHeadFrames && n > kHeadFrames + kTailFrames) {
      msg += "\n  ... " + std::to_string(n - kHeadFrames - kTailFrames) + " more frames";
      k = n - kTailFrames - 1;
      continue;
    }
    const FuncInst* callee = th.frames_top[-1 - ptrdiff_t(k)].callee;
    msg += (first ? "\n  in " : "\n  called from ") + describe(callee);
    e.trace.push_back(frame_of(callee));
    first = false;
  }
  e.message = std::move(msg);
  return e;
}

}  // namespace wnn::exec
