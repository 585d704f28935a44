// Module-level validation (WebAssembly 2.0, section 3.4): index spaces, limits,
// constant expressions, segments, exports, start; then every body is
// validated and translated (function_translator.h, translator*.cpp).
#include "valid/validator.h"

#include <chrono>
#include <new>
#include <set>
#include <stdexcept>
#include <string>

#include "binary/decoder.h"
#include "exec/jit.h"
#include "exec/tiering.h"
#include "valid/function_translator.h"
#include "wnn/runtime.h"

namespace wnn::valid {
namespace {

Error invalid(std::string msg) { return Error(ErrorKind::Invalid, std::move(msg)); }

Expected<void> check_limits(const Limits& l, uint64_t bound, const char* what, const std::string& where) {
  if (l.min > bound || (l.max && *l.max > bound)) {
    if (std::string(what) == "memory") return invalid(where + ": memory size must be at most 65536 pages (4GiB)");
    return invalid(where + ": table size must be at most 2^32-1");
  }
  if (l.max && l.min > *l.max) return invalid(where + ": size minimum must not be greater than maximum");
  return {};
}

struct ConstChecker {
  const Module& m;
  const ModuleContext& cx;

  // A constant expression must leave exactly one value of type `want`.
  Expected<void> check(const ConstExpr& e, ValType want, const std::string& where) const {
    std::vector<ValType> stack;
    for (const ConstInstr& in : e.instrs) {
      switch (in.opcode) {
        case 0x41: stack.push_back(ValType::I32); break;
        case 0x42: stack.push_back(ValType::I64); break;
        case 0x43: stack.push_back(ValType::F32); break;
        case 0x44: stack.push_back(ValType::F64); break;
        case 0xD0: stack.push_back(ValType(uint8_t(in.imm))); break;
        case 0xFD0C: stack.push_back(ValType::V128); break;  // v128.const
        case 0xD2:
          if (in.imm >= cx.func_types.size()) return invalid(where + ": unknown function " + std::to_string(in.imm));
          stack.push_back(ValType::FuncRef);
          break;
        case 0x23: {
          // WebAssembly 2.0: only imported, immutable globals.
          if (in.imm >= m.num_imported_globals) return invalid(where + ": unknown global " + std::to_string(in.imm));
          if (cx.globals[in.imm].mut)
            return invalid(where + ": constant expression required (global " + std::to_string(in.imm) + " is mutable)");
          stack.push_back(cx.globals[in.imm].type);
          break;
        }
        default: return invalid(where + ": constant expression required");
      }
    }
    if (stack.size() != 1 || stack[0] != want)
      return invalid(where + ": type mismatch: constant expression must produce one " + val_type_name(want));
    return {};
  }
};

void collect_declared(const ConstExpr& e, std::vector<bool>& declared) {
  for (const ConstInstr& in : e.instrs)
    if (in.opcode == 0xD2 && in.imm < declared.size()) declared[in.imm] = true;
}

}  // namespace

bool stop_requested(const CompileOptions& options) {
  if (options.interrupt && options.interrupt->load(std::memory_order_relaxed)) return true;
  return options.deadline && std::chrono::steady_clock::now() >= *options.deadline;
}

Error interrupted_compile(const std::string& where) {
  Error e(ErrorKind::Exhaustion,
          std::string(trap_message(TrapKind::Interrupted)) + ": compilation stopped at " + where);
  e.trap = TrapKind::Interrupted;
  return e;
}

Expected<std::shared_ptr<const CompiledModule>> validate_module(Module module, const CompileOptions& options) {
  auto out = std::make_shared<CompiledModule>();
  const Module& m = module;

  ModuleContext cx{m, {}, {}, {}, 0, {}, &options};
  for (size_t i = 0; i < m.imports.size(); ++i) {
    const Import& im = m.imports[i];
    std::string where = "import " + std::to_string(i) + " \"" + im.module + "\" \"" + im.name + "\"";
    switch (im.kind) {
      case ExternKind::Func:
        if (im.func_type >= m.types.size()) return invalid(where + ": unknown type " + std::to_string(im.func_type));
        cx.func_types.push_back(im.func_type);
        break;
      case ExternKind::Table:
        WNN_TRY_VOID(check_limits(im.table.limits, 0xFFFFFFFFull, "table", where));
        cx.tables.push_back(im.table);
        break;
      case ExternKind::Memory:
        WNN_TRY_VOID(check_limits(im.memory.limits, kMaxPages, "memory", where));
        ++cx.num_memories;
        break;
      case ExternKind::Global: cx.globals.push_back(im.global); break;
    }
  }
  for (size_t i = 0; i < m.functions.size(); ++i) {
    if (m.functions[i] >= m.types.size())
      return invalid("function " + std::to_string(m.num_imported_funcs + i) + ": unknown type " +
                     std::to_string(m.functions[i]));
    cx.func_types.push_back(m.functions[i]);
  }
  for (size_t i = 0; i < m.tables.size(); ++i) {
    WNN_TRY_VOID(check_limits(m.tables[i].limits, 0xFFFFFFFFull, "table", "table " + std::to_string(cx.tables.size())));
    cx.tables.push_back(m.tables[i]);
  }
  for (size_t i = 0; i < m.memories.size(); ++i) {
    WNN_TRY_VOID(check_limits(m.memories[i].limits, kMaxPages, "memory", "memory " + std::to_string(cx.num_memories)));
    ++cx.num_memories;
  }
  if (cx.num_memories > 1) return invalid("multiple memories are not supported (WebAssembly 2.0 allows one)");

  // Functions that ref.func may name: those referenced outside function bodies.
  cx.declared_funcs.assign(cx.func_types.size(), false);
  for (const Global& g : m.globals) collect_declared(g.init, cx.declared_funcs);
  for (const ElemSegment& e : m.elems)
    for (const ConstExpr& item : e.items) collect_declared(item, cx.declared_funcs);
  for (const Export& ex : m.exports)
    if (ex.kind == ExternKind::Func && ex.index < cx.declared_funcs.size()) cx.declared_funcs[ex.index] = true;

  ConstChecker cc{m, cx};
  for (size_t i = 0; i < m.globals.size(); ++i) {
    const Global& g = m.globals[i];
    std::string where = "global " + std::to_string(m.num_imported_globals + i);
    WNN_TRY_VOID(cc.check(g.init, g.type.type, where + " initializer"));
  }
  for (const Global& g : m.globals) cx.globals.push_back(g.type);

  std::set<std::string> names;
  for (const Export& ex : m.exports) {
    std::string where = "export \"" + ex.name + "\"";
    if (!names.insert(ex.name).second) return invalid(where + ": duplicate export name");
    switch (ex.kind) {
      case ExternKind::Func:
        if (ex.index >= cx.func_types.size()) return invalid(where + ": unknown function " + std::to_string(ex.index));
        break;
      case ExternKind::Table:
        if (ex.index >= cx.tables.size()) return invalid(where + ": unknown table " + std::to_string(ex.index));
        break;
      case ExternKind::Memory:
        if (ex.index >= cx.num_memories) return invalid(where + ": unknown memory " + std::to_string(ex.index));
        break;
      case ExternKind::Global:
        if (ex.index >= cx.globals.size()) return invalid(where + ": unknown global " + std::to_string(ex.index));
        break;
    }
  }

  if (m.start) {
    if (*m.start >= cx.func_types.size())
      return invalid("start function: unknown function " + std::to_string(*m.start));
    const FuncType& t = m.types[cx.func_types[*m.start]];
    if (!t.params.empty() || !t.results.empty())
      return invalid("start function " + std::to_string(*m.start) + " must have type () -> (), has " +
                     func_type_string(t));
  }

  for (size_t i = 0; i < m.elems.size(); ++i) {
    const ElemSegment& e = m.elems[i];
    std::string where = "elem segment " + std::to_string(i);
    for (size_t k = 0; k < e.items.size(); ++k)
      WNN_TRY_VOID(cc.check(e.items[k], e.type, where + " item " + std::to_string(k)));
    if (e.mode == SegmentMode::Active) {
      if (e.table >= cx.tables.size()) return invalid(where + ": unknown table " + std::to_string(e.table));
      if (cx.tables[e.table].elem != e.type)
        return invalid(where + ": type mismatch: segment of " + val_type_name(e.type) + " for a table of " +
                       val_type_name(cx.tables[e.table].elem));
      WNN_TRY_VOID(cc.check(e.offset, ValType::I32, where + " offset"));
    }
  }
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const DataSegment& d = m.datas[i];
    if (d.mode != SegmentMode::Active) continue;
    std::string where = "data segment " + std::to_string(i);
    if (d.memory >= cx.num_memories) return invalid(where + ": unknown memory " + std::to_string(d.memory));
    WNN_TRY_VOID(cc.check(d.offset, ValType::I32, where + " offset"));
  }

  out->code.reserve(m.functions.size());
  for (uint32_t i = 0; i < m.functions.size(); ++i) {
    if (stop_requested(options))
      return interrupted_compile("function " + std::to_string(m.num_imported_funcs + i) + " of " +
                                 std::to_string(m.num_imported_funcs + m.functions.size()));
    WNN_TRY(fc, translate_function(cx, i));
    out->code.push_back(std::move(fc));
  }

  out->func_types = std::move(cx.func_types);
  out->global_types = std::move(cx.globals);
  out->declared_funcs = std::move(cx.declared_funcs);
  out->module = std::move(module);
  if (options.profiling == Profiling::PerfMap)
    out->perf_map_name = options.profile_name.empty() ? "module" : options.profile_name;
  return std::shared_ptr<const CompiledModule>(std::move(out));
}

}  // namespace wnn::valid

namespace wnn {

// Host memory exhaustion while decoding or translating is an error, not an
// abort (the limits in binary/decoder.h keep honest modules far from it).
Expected<std::shared_ptr<const CompiledModule>> compile(std::vector<uint8_t> bytes, const CompileOptions& options) {
  try {
    WNN_TRY(m, binary::decode_module(std::move(bytes)));
    WNN_TRY(cm, valid::validate_module(std::move(m), options));
    // Not shared yet: the compiler tier may still replace its code.
    if (options.tier == Tier::Jit) {
      exec::JitOptions jo;
      jo.compile_options = &options;
      jo.level = options.jit_level;
      jo.exact_fuel = options.exact_fuel;
      WNN_TRY_VOID(exec::jit_compile(const_cast<CompiledModule&>(*cm), jo));
    } else if (options.tier == Tier::Auto) {
      exec::enable_tiering(cm, options);
    }
    return cm;
  } catch (const std::bad_alloc&) {
    return Error(ErrorKind::Exhaustion, "out of host memory while compiling the module");
  } catch (const std::length_error&) {
    return Error(ErrorKind::Exhaustion, "out of host memory while compiling the module");
  }
}

Expected<void> validate(std::span<const uint8_t> bytes) {
  // Validation and translation are one pass (src/valid/translator.h).
  WNN_TRY_VOID(compile(std::vector<uint8_t>(bytes.begin(), bytes.end())));
  return {};
}

}  // namespace wnn
