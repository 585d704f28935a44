// The runtime side of the compiler tier: loading libwnn_jit.so and
// libwnn_jit_link.so, the helpers compiled code calls, and the interpreter
// instruction that enters compiled code.
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
#include "exec/tiering.h"
#include "support/build_id.h"
#include "support/executable_dir.h"
#include "valid/function_translator.h"
#include "valid/opcode_info.h"

namespace wnn::exec {

namespace {

// Compiled code runs only inside Executor::call's guard frame: a trap jumps
// there like a guest memory fault, with the frames it pushed still on the
// Thread's frame stack for the backtrace.
[[noreturn]] void jit_trap(Thread*, uint32_t kind) { siglongjmp(t_guard->jump, int(kind)); }

// One of the compiler tier's modules, found next to wnn or where the build put it.
struct Module {
  std::string path;
  void* handle = nullptr;
  std::string error;  // when there is no handle
};

[[maybe_unused]] std::string module_path(const char* name, const char* built) {
  for (const std::string& p : {executable_dir() + "/" + name, std::string(built)})
    if (::access(p.c_str(), F_OK) == 0) return p;
  return "";
}

[[maybe_unused]] Module open_module(const char* name, const char* built) {
  Module m;
  m.path = module_path(name, built);
  if (m.path.empty()) {
    m.error = std::string(name) + " is missing (looked next to wnn and at " + built + ")";
    return m;
  }
  m.handle = ::dlopen(m.path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!m.handle) {
    const char* e = ::dlerror();
    m.error = e ? e : "dlopen(" + m.path + ") failed";
  }
  return m;
}

// The compiler (libwnn_jit.so) and the linker (libwnn_jit_link.so), each
// loaded on first use: a run from cached code never loads the compiler.
struct Compiler {
  JitCompileObjectFn compile_object = nullptr;
  std::string error;
};
struct Linker {
  JitLinkObjectFn link_object = nullptr;
  JitTargetFn target = nullptr;
  std::string build;  // both modules' build ids
  std::string error;
};

[[maybe_unused]] constexpr const char* kNoTier =
    "this wnn was built without the compiler tier (LLVM 19 not found; scripts/setup installs llvm-19-dev)";

[[maybe_unused]] Compiler load_compiler() {
  Compiler c;
#ifdef WNN_JIT_MODULE
  const Module m = open_module(WNN_JIT_MODULE_NAME, WNN_JIT_MODULE);
  if (!m.handle) c.error = m.error;
  if (m.handle) c.compile_object = reinterpret_cast<JitCompileObjectFn>(::dlsym(m.handle, "wnn_jit_compile_object"));
  if (m.handle && !c.compile_object) c.error = m.path + " lacks wnn_jit_compile_object (a stale build?)";
#else
  c.error = kNoTier;
#endif
  return c;
}

[[maybe_unused]] Linker load_linker() {
  Linker l;
#ifdef WNN_JIT_MODULE
  // The key of cached code names the compiler that made it: its build id,
  // read from the file, which this run may never load.
  const std::string compiler = module_path(WNN_JIT_MODULE_NAME, WNN_JIT_MODULE);
  const std::string compiler_id = compiler.empty() ? "" : elf_build_id(compiler);
  if (compiler_id.empty()) {
    l.error = compiler.empty() ? WNN_JIT_MODULE_NAME " is missing (looked next to wnn and at " WNN_JIT_MODULE ")"
                               : compiler + " has no build id";
    return l;
  }
  const Module m = open_module(WNN_JIT_LINK_MODULE_NAME, WNN_JIT_LINK_MODULE);
  if (!m.handle) {
    l.error = m.error;
    return l;
  }
  l.link_object = reinterpret_cast<JitLinkObjectFn>(::dlsym(m.handle, "wnn_jit_link_object"));
  l.target = reinterpret_cast<JitTargetFn>(::dlsym(m.handle, "wnn_jit_target"));
  l.build = compiler_id + "+" + elf_build_id(m.path);
  if (!l.link_object || !l.target) {
    l.link_object = nullptr;
    l.error = m.path + " lacks wnn_jit_link_object or wnn_jit_target (a stale build?)";
  }
#else
  l.error = kNoTier;
#endif
  return l;
}

#if !WNN_GUARD_PAGES
Error no_guard_pages() { return Error(ErrorKind::Usage, "the compiler tier needs guard pages (x86-64 Linux)"); }
#endif

// The loaded compiler, or why there is none.
Expected<const Compiler*> compiler() {
#if !WNN_GUARD_PAGES
  return no_guard_pages();
#else
  static const Compiler c = load_compiler();
  if (!c.compile_object) return Error(ErrorKind::Usage, "compiler tier unavailable: " + c.error);
  return &c;
#endif
}

// The loaded linker, or why there is none.
Expected<const Linker*> linker() {
#if !WNN_GUARD_PAGES
  return no_guard_pages();
#else
  static const Linker l = load_linker();
  if (!l.link_object) return Error(ErrorKind::Usage, "compiler tier unavailable: " + l.error);
  return &l;
#endif
}

const JitRuntime& runtime() {
  static const JitRuntime rt{.run = run_code,
                             .trap = jit_trap,
                             .refill_budget = jit_refill_budget,
                             .reserve_budget = reserve_budget,
                             .enter = op_jit_enter,
                             .halt = op_halt,
                             .call = op_call,
                             .call_indirect = op_call_indirect,
                             .memory_size = op_memory_size,
                             .memory_grow = op_memory_grow,
                             .memory_fill = op_memory_fill,
                             .memory_copy = op_memory_copy,
                             .memory_init = op_memory_init,
                             .data_drop = op_data_drop,
                             .table_get = op_table_get,
                             .table_set = op_table_set,
                             .table_size = op_table_size,
                             .table_grow = op_table_grow,
                             .table_fill = op_table_fill,
                             .table_copy = op_table_copy,
                             .table_init = op_table_init,
                             .elem_drop = op_elem_drop,
                             .simd_op = valid::simd_op,
                             .stop_requested = valid::stop_requested,
                             .interrupted_compile = valid::interrupted_compile,
                             .refill_budget_at_loop = jit_refill_budget_at_loop,
                             .full_loop_entry = jit_full_loop_entry};
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

Expected<void> jit_load(JitPart part) {
  if (part == JitPart::Compiler) {
    WNN_TRY(c, compiler());
    (void)c;
  }
  WNN_TRY(l, linker());
  (void)l;
  return {};
}

Expected<std::vector<uint8_t>> jit_compile_object(const CompiledModule& m, std::span<const uint32_t> defined,
                                                  const JitOptions& options) {
  WNN_TRY(c, compiler());
  return c->compile_object(m, defined, runtime(), options);
}

Expected<JitLinked> jit_link_object(const CompiledModule& m, std::span<const uint8_t> object) {
  WNN_TRY(l, linker());
  install_guard_handler();
  return l->link_object(m, object, runtime());
}

Expected<JitTarget> jit_target() {
  WNN_TRY(l, linker());
  static const JitTarget t = [&] {
    JitTarget t = l->target();
    t.build = l->build;
    return t;
  }();
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
      key = cache->module_key(m.module.bytes, jit_code_variant(options.exact_fuel));
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
