// Import/export types of a compiled module and of a Store's objects, and
// validate-only on good, malformed and invalid bytes.
#include <gtest/gtest.h>

#include "api_test_util.h"

namespace wnn {
namespace {

using api_test::load;
using api_test::wasm_bytes;

TEST(Introspection, ImportsInModuleOrderWithTheirTypes) {
  auto m = load("objects");
  ASSERT_TRUE(m);
  const std::vector<ImportType> imports = module_imports(*m);
  ASSERT_EQ(imports.size(), 3u);
  EXPECT_EQ(imports[0].module, "env");
  EXPECT_EQ(imports[0].name, "f");
  EXPECT_EQ(imports[0].type.kind, ExternKind::Func);
  EXPECT_EQ(imports[0].type.func, (FuncType{{ValType::I32, ValType::I64}, {ValType::F32}}));
  EXPECT_EQ(imports[1].name, "t");
  EXPECT_EQ(imports[1].type.kind, ExternKind::Table);
  EXPECT_EQ(imports[1].type.table.elem, ValType::FuncRef);
  EXPECT_EQ(imports[1].type.table.limits, (Limits{1, 10}));
  EXPECT_EQ(imports[2].name, "g");
  EXPECT_EQ(imports[2].type.kind, ExternKind::Global);
  EXPECT_EQ(imports[2].type.global.type, ValType::I64);
  EXPECT_TRUE(imports[2].type.global.mut);
}

TEST(Introspection, ExportsOfDefinedAndImportedObjects) {
  auto m = load("objects");
  ASSERT_TRUE(m);
  std::vector<std::string> lines;
  for (const ExportType& e : module_exports(*m)) lines.push_back(e.name + ": " + extern_type_string(e.type));
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "id: func (v128) -> (v128)",
                       "tab: table externref min=2 max=4",
                       "t_again: table funcref min=1 max=10",  // the import, index 0 of the table space
                       "mem: memory min=1 max=3",
                       "counter: global mut i32",
                       "fixed: global f64",
                       "g_again: global mut i64",
                       "counter_get: func () -> (i32)",
                       "mem_pages: func () -> (i32)",
                       "tab_size: func () -> (i32)",
                   }));
}

TEST(Introspection, AStoresObjectsAtTheirCurrentSize) {
  Store store;
  auto mem = store.create_memory(MemoryType{Limits{1, 5}});
  ASSERT_TRUE(mem);
  ASSERT_TRUE(store.grow_memory(*mem, 2));
  const ExternType t = store.extern_type(Extern{ExternKind::Memory, *mem});
  EXPECT_EQ(t.kind, ExternKind::Memory);
  EXPECT_EQ(t.memory.limits, (Limits{3, 5}));
  GlobalInst* g = store.create_global(GlobalType{ValType::F32, true}, Value::f32(1));
  EXPECT_EQ(extern_type_string(store.extern_type(Extern{ExternKind::Global, g})), "global mut f32");
}

TEST(Validate, AcceptsAValidModule) {
  const std::vector<uint8_t> bytes = wasm_bytes("objects");
  ASSERT_FALSE(bytes.empty());
  EXPECT_TRUE(validate(bytes));
}

TEST(Validate, RejectsMalformedBytes) {
  // Byte strings no WAT can express: not a module at all.
  const std::vector<uint8_t> bad_magic = {0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00};
  auto r = validate(bad_magic);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Malformed);
  EXPECT_FALSE(validate(std::vector<uint8_t>{}));
  std::vector<uint8_t> truncated = wasm_bytes("objects");
  truncated.resize(truncated.size() / 2);
  auto t = validate(truncated);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::Malformed);
}

TEST(Validate, RejectsAnInvalidModuleWithCompilesError) {
  const std::vector<uint8_t> bytes = wasm_bytes("invalid");
  ASSERT_FALSE(bytes.empty());
  auto r = validate(bytes);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Invalid);
  auto c = compile(bytes);
  ASSERT_FALSE(c);
  EXPECT_EQ(r.error().message, c.error().message);
}

}  // namespace
}  // namespace wnn
