// The spectest host module (spectest_host.h).
#include "spectest_host.h"

#include <vector>

#include "wnn/runtime.h"

namespace wnn_test {

bool make_spectest(wnn::Store& store, ExternMap& out, std::string& error, SpectestPrint print) {
  using wnn::ValType;
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
    std::string name = p.name;
    wnn::HostFunction fn = [params = p.params, name, print](wnn::HostContext&, uint64_t* slots) -> wnn::Expected<void> {
      if (print) print(name, params, slots);
      return {};
    };
    wnn::FuncInst* f = store.create_host_function(wnn::FuncType{p.params, {}}, std::move(fn), "spectest." + name);
    out[name] = wnn::Extern{wnn::ExternKind::Func, f};
  }

  auto global = [&](const char* name, ValType t, wnn::Value v) {
    out[name] = wnn::Extern{wnn::ExternKind::Global, store.create_global(wnn::GlobalType{t, false}, v)};
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

std::optional<wnn::Extern> resolve_spectest(const ExternMap& objects, std::string_view module, std::string_view name) {
  if (module != "spectest") return std::nullopt;
  auto it = objects.find(name);
  if (it == objects.end()) return std::nullopt;
  return it->second;
}

}  // namespace wnn_test
