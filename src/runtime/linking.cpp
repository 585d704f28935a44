// Import matching: does an object of the Store satisfy a module's import?
#include "runtime/linking.h"

namespace wnn {

namespace {

std::string limits_string(const Limits& l) {
  std::string s = "min=" + std::to_string(l.min);
  if (l.max) s += " max=" + std::to_string(*l.max);
  return s;
}

std::string global_string(const GlobalType& g) {
  return std::string("global ") + (g.mut ? "mut " : "") + val_type_name(g.type);
}

std::string table_string(ValType elem, const Limits& l) {
  return std::string("table ") + val_type_name(elem) + " " + limits_string(l);
}

// Tables and memories are matched on their current size, not the size they
// were declared with: a table that has grown satisfies a larger minimum.
Limits current_limits(const TableInst& t) { return {t.elems.size(), t.type.limits.max}; }
Limits current_limits(const MemoryInst& m) { return {m.pages(), m.type.limits.max}; }

}  // namespace

bool limits_match(const Limits& actual, const Limits& expected) {
  if (actual.min < expected.min) return false;
  if (!expected.max) return true;
  return actual.max && *actual.max <= *expected.max;
}

std::string import_type_string(const Module& m, const Import& imp) {
  switch (imp.kind) {
    case ExternKind::Func:
      if (imp.func_type < m.types.size()) return "func " + func_type_string(m.types[imp.func_type]);
      return "func";
    case ExternKind::Table: return table_string(imp.table.elem, imp.table.limits);
    case ExternKind::Memory: return "memory " + limits_string(imp.memory.limits);
    case ExternKind::Global: return global_string(imp.global);
  }
  return "?";
}

std::string extern_type_string(const Extern& e) {
  switch (e.kind) {
    case ExternKind::Func: return "func " + func_type_string(e.func()->type);
    case ExternKind::Table: return table_string(e.table()->type.elem, current_limits(*e.table()));
    case ExternKind::Memory: return "memory " + limits_string(current_limits(*e.memory()));
    case ExternKind::Global: return global_string(e.global()->type);
  }
  return "?";
}

Expected<void> check_import(const Module& m, const Import& imp, const Extern& actual) {
  bool ok = false;
  if (actual.kind == imp.kind && actual.object) {
    switch (imp.kind) {
      case ExternKind::Func:
        ok = imp.func_type < m.types.size() && actual.func()->type == m.types[imp.func_type];
        break;
      case ExternKind::Table: {
        const TableInst& t = *actual.table();
        ok = t.type.elem == imp.table.elem && limits_match(current_limits(t), imp.table.limits);
        break;
      }
      case ExternKind::Memory: ok = limits_match(current_limits(*actual.memory()), imp.memory.limits); break;
      case ExternKind::Global: {
        const GlobalType& g = actual.global()->type;
        ok = g.type == imp.global.type && g.mut == imp.global.mut;
        break;
      }
    }
  }
  if (ok) return {};
  return Error(ErrorKind::Unlinkable, "incompatible import type for \"" + imp.module + "\" \"" + imp.name +
                                          "\": expected " + import_type_string(m, imp) + ", got " +
                                          (actual.object ? extern_type_string(actual) : "nothing"));
}

}  // namespace wnn
