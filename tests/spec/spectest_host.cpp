// The "spectest" host module that the test suite imports from: print
// functions, four constant globals, a table and a memory (as in the reference
// interpreter's spectest.ml).
#include <cinttypes>
#include <cstdio>

#include "spec.h"
#include "wnn/runtime.h"

namespace wnn_spec {
namespace {

using wnn::ValType;

void print_slot(ValType t, uint64_t slot) {
  wnn::Value v;
  v.type = t;
  v.lo = (t == ValType::I32 || t == ValType::F32) ? (slot & 0xffffffffu) : slot;
  std::printf(" %s", describe_value(v).c_str());
}

}  // namespace

bool make_spectest(wnn::Store& store, int verbosity, ExternMap& out, std::string& error) {
  struct PrintFn {
    const char* name;
    std::vector<ValType> params;
  };
  const PrintFn prints[] = {
      {"print", {}},
      {"print_i32", {ValType::I32}},
      {"print_i64", {ValType::I64}},
      {"print_f32", {ValType::F32}},
      {"print_f64", {ValType::F64}},
      {"print_i32_f32", {ValType::I32, ValType::F32}},
      {"print_f64_f64", {ValType::F64, ValType::F64}},
  };
  for (const PrintFn& p : prints) {
    wnn::FuncType type{p.params, {}};
    std::string name = p.name;
    wnn::HostFunction fn = [params = p.params, name, verbosity](wnn::HostContext&,
                                                                uint64_t* slots) -> wnn::Expected<void> {
      if (verbosity >= 2) {
        std::printf("    spectest.%s:", name.c_str());
        for (size_t i = 0; i < params.size(); ++i) print_slot(params[i], slots[i]);
        std::printf("\n");
        std::fflush(stdout);
      }
      return {};
    };
    wnn::FuncInst* f = store.create_host_function(type, std::move(fn), "spectest." + name);
    out[name] = wnn::Extern{wnn::ExternKind::Func, f};
  }

  auto global = [&](const char* name, ValType t, wnn::Value v) {
    wnn::GlobalInst* g = store.create_global(wnn::GlobalType{t, false}, v);
    out[name] = wnn::Extern{wnn::ExternKind::Global, g};
  };
  global("global_i32", ValType::I32, wnn::Value::i32(666));
  global("global_i64", ValType::I64, wnn::Value::i64(666));
  global("global_f32", ValType::F32, wnn::Value::f32(666.6f));
  global("global_f64", ValType::F64, wnn::Value::f64(666.6));

  wnn::TableType table_type;
  table_type.elem = ValType::FuncRef;
  table_type.limits = wnn::Limits{10, 20};
  auto table = store.create_table(table_type);
  if (!table) {
    error = "spectest.table: " + table.error().message;
    return false;
  }
  out["table"] = wnn::Extern{wnn::ExternKind::Table, *table};

  wnn::MemoryType memory_type;
  memory_type.limits = wnn::Limits{1, 2};
  auto memory = store.create_memory(memory_type);
  if (!memory) {
    error = "spectest.memory: " + memory.error().message;
    return false;
  }
  out["memory"] = wnn::Extern{wnn::ExternKind::Memory, *memory};
  return true;
}

}  // namespace wnn_spec
