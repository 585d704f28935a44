// The runtime side of the compiler tier: loading libwnn_jit.so, the helpers
// compiled code calls, and the interpreter instruction that enters compiled
// code.
#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <csetjmp>
#include <mutex>
#include <optional>
#include <string>

#include "cache/code_cache.h"
#include "exec/guard.h"
#include "exec/handler.h"
#include "exec/interpreter.h"
#include "exec/jit.h"
#include "support/executable_dir.h"
#include "valid/function_translator.h"
#include "valid/opcode_info.h"

namespace wnn::exec {

namespace {

// Compiled code runs only inside Executor::call's guard frame: a trap jumps
// there like a guest memory fault, with the frames it pushed still on the
// Thread's frame stack for the backtrace.
[[noreturn]] void jit_trap(Thread*, uint32_t kind) { siglongjmp(t_guard->jump, int(kind)); }

struct Loaded {
  JitCompileObjectFn compile_object = nullptr;
  JitLinkObjectFn link_object = nullptr;
  JitTargetFn target = nullptr;
  std::string error;
};

[[maybe_unused]] Loaded load() {
  Loaded l;
#ifdef WNN_JIT_MODULE
  std::string path;
  for (const std::string& p : {executable_dir() + "/" WNN_JIT_MODULE_NAME, std::string(WNN_JIT_MODULE)})
    if (::access(p.c_str(), F_OK) == 0) {
      path = p;
      break;
    }
  if (path.empty()) {
    l.error = WNN_JIT_MODULE_NAME " is missing (looked next to wnn and at " WNN_JIT_MODULE ")";
    return l;
  }
  void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char* e = ::dlerror();
    l.error = e ? e : "dlopen(" + path + ") failed";
    return l;
  }
  l.compile_object = reinterpret_cast<JitCompileObjectFn>(::dlsym(h, "wnn_jit_compile_object"));
  l.link_object = reinterpret_cast<JitLinkObjectFn>(::dlsym(h, "wnn_jit_link_object"));
  l.target = reinterpret_cast<JitTargetFn>(::dlsym(h, "wnn_jit_target"));
  if (!l.compile_object || !l.link_object || !l.target) {
    l.compile_object = nullptr;
    l.error = path + " lacks wnn_jit_compile_object, wnn_jit_link_object or wnn_jit_target (a stale build?)";
  }
#else
  l.error = "this wnn was built without the compiler tier (LLVM 19 not found; scripts/setup installs llvm-19-dev)";
#endif
  return l;
}

// The loaded compiler tier, or why there is none.
Expected<const Loaded*> loaded() {
#if !WNN_GUARD_PAGES
  return Error(ErrorKind::Usage, "the compiler tier needs guard pages (x86-64 Linux)");
#else
  static const Loaded l = load();
  if (!l.compile_object) return Error(ErrorKind::Usage, "compiler tier unavailable: " + l.error);
  return &l;
#endif
}

const JitRuntime& runtime() {
  static const JitRuntime rt{
      run_code,       jit_trap,       jit_refill_budget, reserve_budget,        op_jit_enter,
      op_halt,        op_call,        op_call_indirect,  op_memory_size,        op_memory_grow,
      op_memory_fill, op_memory_copy, op_memory_init,    op_data_drop,          op_table_get,
      op_table_set,   op_table_size,  op_table_grow,     op_table_fill,         op_table_copy,
      op_table_init,  op_elem_drop,   valid::simd_op,    valid::stop_requested, valid::interrupted_compile};
  return rt;
}

}  // namespace

// (entry) — reached through a call from the interpreter, Executor::call or a
// table. The compiled function pushes its own frame, so the caller's is
// popped here and used to return.
// The call into compiled code, in a function of its own (under ASan, locals
// of a handler may need a realigned frame, which the handlers' preserve_none
// convention cannot have: clang's backend aborts). Compiled code finds its
// instance's functions and globals through the Thread; an entry from
// compiled code of another instance (through a stub) gets them back after.
[[gnu::noinline]] static void enter_compiled(JitEntry entry, Thread* th, uint8_t* mem, Slot* fp) {
  FuncInst* const* const funcs = th->jit_funcs;
  GlobalInst* const* const globals = th->jit_globals;
  th->jit_funcs = th->inst->funcs.data();
  th->jit_globals = th->inst->globals.data();
  entry(th, mem, fp);
  th->jit_funcs = funcs;
  th->jit_globals = globals;
}

WNN_HANDLER(jit_enter) {
  const Frame f = *--th->frames_top;
  Slot* const saved = th->jit_sp;
  th->jit_sp = fp;
  enter_compiled(reinterpret_cast<JitEntry>(layout::JitEnter::read(ip).entry), th, mem, fp);
  th->jit_sp = saved;
  if (f.caller_inst != th->inst) [[unlikely]]
    mem = enter_instance(th, f.caller_inst);
  fp = f.caller_fp;
  JUMP(f.ret_ip);
}

// As enter_compiled, for a loop entry.
[[gnu::noinline]] static void enter_compiled_loop(JitLoopEntry entry, Thread* th, uint8_t* mem, Slot* fp,
                                                  uint32_t loop) {
  FuncInst* const* const funcs = th->jit_funcs;
  GlobalInst* const* const globals = th->jit_globals;
  th->jit_funcs = th->inst->funcs.data();
  th->jit_globals = th->inst->globals.data();
  entry(th, mem, fp, loop);
  th->jit_funcs = funcs;
  th->jit_globals = globals;
}

WNN_HANDLER(jit_enter_loop) {
  const Frame f = *--th->frames_top;
  Slot* const saved = th->jit_sp;
  th->jit_sp = fp;
  const layout::JitEnterLoop o = layout::JitEnterLoop::read(ip);
  enter_compiled_loop(reinterpret_cast<JitLoopEntry>(o.entry), th, mem, fp, o.loop);
  th->jit_sp = saved;
  if (f.caller_inst != th->inst) [[unlikely]]
    mem = enter_instance(th, f.caller_inst);
  fp = f.caller_fp;
  JUMP(f.ret_ip);
}

Expected<void> jit_load() {
  WNN_TRY(l, loaded());
  (void)l;
  return {};
}

Expected<std::vector<uint8_t>> jit_compile_object(const CompiledModule& m, std::span<const uint32_t> defined,
                                                  const JitOptions& options) {
  WNN_TRY(l, loaded());
  return l->compile_object(m, defined, runtime(), options);
}

Expected<JitLinked> jit_link_object(const CompiledModule& m, std::span<const uint8_t> object) {
  WNN_TRY(l, loaded());
  install_guard_handler();
  return l->link_object(m, object, runtime());
}

Expected<JitTarget> jit_target() {
  WNN_TRY(l, loaded());
  static const JitTarget t = l->target();
  return t;
}

FunctionCode jit_function_code(const CompiledModule& m, uint32_t defined, JitEntry entry) {
  const FuncType& ft = m.module.types[m.module.functions[defined]];
  FunctionCode fc;
  for (ValType t : ft.params) fc.param_slots += t == ValType::V128 ? 2 : 1;
  for (ValType t : ft.results) fc.result_slots += t == ValType::V128 ? 2 : 1;
  fc.local_slots = fc.param_slots;
  fc.frame_slots = std::max(fc.param_slots, fc.result_slots);
  fc.code = layout::encode(op_jit_enter, layout::JitEnter{.entry = reinterpret_cast<uint64_t>(entry)});
  return fc;
}

void jit_install(CompiledModule& m, JitLinked linked) {
  for (const auto& [index, entry] : linked.entries) m.code[index] = jit_function_code(m, index, entry);
  m.native = std::move(linked.owner);
}

std::string jit_batch_name(std::span<const uint32_t> defined, JitLevel level) {
  const std::string name = cache::CodeCache::batch_name(defined);
  return level == JitLevel::Quick ? name + "-quick" : name;
}

JitLevel jit_batch_level(std::string_view name) { return name.ends_with("-quick") ? JitLevel::Quick : JitLevel::Full; }

Expected<cache::CodeIdentity> jit_code_identity() {
  WNN_TRY(t, jit_target());
  return cache::CodeIdentity{cache::wnn_version(), t.build, t.llvm, t.cpu};
}

Expected<void> jit_compile(CompiledModule& m, const JitOptions& options) {
  const CompileOptions* co = options.compile_options;
  const std::string batch = jit_batch_name({}, options.level);
  std::optional<cache::CodeCache> cache;
  std::string key;
  if (co && !co->code_cache_dir.empty() && options.dump_function == UINT32_MAX) {
    WNN_TRY(id, jit_code_identity());
    if (auto c = cache::CodeCache::open(co->code_cache_dir, co->code_cache_max_bytes, std::move(id))) {
      cache = std::move(*c);
      key = cache->module_key(m.module.bytes);
      if (auto object = cache->load(key, batch))
        if (auto linked = jit_link_object(m, *object)) {
          jit_install(m, std::move(*linked));
          return {};
        }
    }
  }
  WNN_TRY(object, jit_compile_object(m, {}, options));
  // A full or read-only cache costs the next run a compilation, not this one.
  if (cache && cache->store(key, batch, object)) cache::note_code(cache->dir(), m.module.bytes);
  WNN_TRY(linked, jit_link_object(m, object));
  jit_install(m, std::move(linked));
  return {};
}

}  // namespace wnn::exec
