// Import matching: does an object of the Store satisfy a module's import?
#include "runtime/linking.h"

#include "wnn/runtime.h"

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

std::string extern_type_string(const ExternType& t) {
  switch (t.kind) {
    case ExternKind::Func: return "func " + func_type_string(t.func);
    case ExternKind::Table: return table_string(t.table.elem, t.table.limits);
    case ExternKind::Memory: return "memory " + limits_string(t.memory.limits);
    case ExternKind::Global: return global_string(t.global);
  }
  return "?";
}

ExternType import_type(const Module& m, const Import& imp) {
  ExternType t;
  t.kind = imp.kind;
  if (imp.kind == ExternKind::Func && imp.func_type < m.types.size()) t.func = m.types[imp.func_type];
  t.table = imp.table;
  t.memory = imp.memory;
  t.global = imp.global;
  return t;
}

ExternType extern_type(const Extern& e) {
  ExternType t;
  t.kind = e.kind;
  switch (e.kind) {
    case ExternKind::Func: t.func = e.func()->type; break;
    case ExternKind::Table: t.table = TableType{e.table()->type.elem, current_limits(*e.table())}; break;
    case ExternKind::Memory: t.memory = MemoryType{current_limits(*e.memory())}; break;
    case ExternKind::Global: t.global = e.global()->type; break;
  }
  return t;
}

std::string import_type_string(const Module& m, const Import& imp) {
  if (imp.kind == ExternKind::Func && imp.func_type >= m.types.size()) return "func";
  return extern_type_string(import_type(m, imp));
}

std::string extern_type_string(const Extern& e) { return extern_type_string(extern_type(e)); }

std::vector<ImportType> module_imports(const CompiledModule& cm) {
  std::vector<ImportType> out;
  out.reserve(cm.module.imports.size());
  for (const Import& imp : cm.module.imports) out.push_back({imp.module, imp.name, import_type(cm.module, imp)});
  return out;
}

std::vector<ExportType> module_exports(const CompiledModule& cm) {
  const Module& m = cm.module;
  // Tables and memories in their index spaces: imports first.
  std::vector<TableType> tables;
  std::vector<MemoryType> memories;
  for (const Import& imp : m.imports) {
    if (imp.kind == ExternKind::Table) tables.push_back(imp.table);
    if (imp.kind == ExternKind::Memory) memories.push_back(imp.memory);
  }
  tables.insert(tables.end(), m.tables.begin(), m.tables.end());
  memories.insert(memories.end(), m.memories.begin(), m.memories.end());
  std::vector<ExportType> out;
  out.reserve(m.exports.size());
  for (const Export& ex : m.exports) {  // indices were checked by validation
    ExternType t;
    t.kind = ex.kind;
    switch (ex.kind) {
      case ExternKind::Func: t.func = m.types[cm.func_types[ex.index]]; break;
      case ExternKind::Table: t.table = tables[ex.index]; break;
      case ExternKind::Memory: t.memory = memories[ex.index]; break;
      case ExternKind::Global: t.global = cm.global_types[ex.index]; break;
    }
    out.push_back({ex.name, std::move(t)});
  }
  return out;
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
