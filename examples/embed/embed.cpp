// An embedder of wnn in one page: load a module, link a typed host
// function, instantiate, call an export, and read a trap as data.
//   embed guest.wasm
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

#include "wnn/runtime.h"
#include "wnn/typed.h"

int main(int argc, char** argv) {
  if (argc != 2) return std::fprintf(stderr, "usage: embed MODULE.wasm\n"), 2;
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) return std::fprintf(stderr, "cannot open %s\n", argv[1]), 1;
  std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};

  // 1. Compile: decode, validate, translate. Errors are values.
  auto module = wnn::compile(std::move(bytes));
  if (!module) return std::fprintf(stderr, "compile: %s\n", module.error().message.c_str()), 1;
  for (const wnn::ImportType& imp : wnn::module_imports(**module))
    std::printf("import %s.%s: %s\n", imp.module.c_str(), imp.name.c_str(), wnn::extern_type_string(imp.type).c_str());

  // 2. A host function from a C++ lambda: its signature is the Wasm type.
  wnn::Store store;
  wnn::FuncInst* scale = wnn::wrap(store, [](int32_t i, double x) { return i * x; }, "scale");

  // 3. Instantiate, resolving imports by (module, name).
  auto instance = store.instantiate(*module, [&](std::string_view mod, std::string_view name) {
    return mod == "env" && name == "scale" ? std::optional(wnn::Extern{wnn::ExternKind::Func, scale}) : std::nullopt;
  });
  if (!instance) return std::fprintf(stderr, "instantiate: %s\n", instance.error().message.c_str()), 1;

  // 4. Call an export through its C++ signature (checked once, here).
  auto func = [&](const char* name) {
    auto e = store.find_export(*instance, name);
    return e ? e->func() : nullptr;  // typed() rejects a null function
  };
  auto sum = wnn::typed<double(int32_t, double)>(store, func("sum_scaled"));
  if (!sum) return std::fprintf(stderr, "%s\n", sum.error().message.c_str()), 1;
  auto total = sum->call(4, 0.5);
  if (!total) return std::fprintf(stderr, "sum_scaled: %s\n", total.error().message.c_str()), 1;
  std::printf("sum_scaled(4, 0.5) = %g\n", *total);

  // 5. A trap is an Error too: its kind, and the frames as data.
  auto ratio = wnn::typed<int32_t(int32_t, int32_t)>(store, func("ratio"));
  if (!ratio) return std::fprintf(stderr, "%s\n", ratio.error().message.c_str()), 1;
  auto r = ratio->call(7, 0);
  if (r) return std::fprintf(stderr, "ratio(7, 0) did not trap\n"), 1;
  std::printf("ratio(7, 0) trapped: %s\n", wnn::trap_message(r.error().trap));
  for (const wnn::TrapFrame& f : r.error().trace)
    std::printf("  at function %u \"%s\" (code at byte %u)\n", f.func_index, f.func_name.c_str(), f.code_offset);
  return 0;
}
