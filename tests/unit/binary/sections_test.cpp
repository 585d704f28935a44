// Contents of each known section.
#include <gtest/gtest.h>

#include "decode_checks.h"

namespace wnn::binary::test {
namespace {

TEST(TypeSection, ParamsAndResults) {
  auto m = decode(module({section(kType, vec({{0x60, 0x02, 0x7F, 0x7E, 0x01, 0x7D},
                                              {0x60, 0x04, 0x7C, 0x7B, 0x70, 0x6F, 0x00},
                                              {0x60, 0x00, 0x02, 0x7F, 0x7F}}))}));
  ASSERT_TRUE(Decodes(m));
  ASSERT_EQ(m->types.size(), 3u);
  EXPECT_EQ(m->types[0].params, (std::vector<ValType>{ValType::I32, ValType::I64}));
  EXPECT_EQ(m->types[0].results, (std::vector<ValType>{ValType::F32}));
  EXPECT_EQ(m->types[1].params,
            (std::vector<ValType>{ValType::F64, ValType::V128, ValType::FuncRef, ValType::ExternRef}));
  EXPECT_TRUE(m->types[1].results.empty());
  EXPECT_EQ(m->types[2].results.size(), 2u);
}

TEST(TypeSection, FormMustBe0x60) {
  for (uint8_t form : {0x00, 0x40, 0x5F, 0x61, 0x7F, 0xE0}) {
    auto r = decode(module({section(kType, vec({{form, 0x00, 0x00}}))}));
    EXPECT_TRUE(Malformed(r, "malformed function type")) << int(form);
    EXPECT_TRUE(Malformed(r, "type section, type 0, at offset 11")) << int(form);
  }
}

TEST(TypeSection, BadValueTypes) {
  for (uint8_t t : {0x00, 0x40, 0x60, 0x6E, 0x71, 0x7A, 0x80, 0xFF}) {
    EXPECT_TRUE(Malformed(decode(module({section(kType, vec({{0x60, 0x01, t, 0x00}}))})), "malformed value type"))
        << int(t);
    EXPECT_TRUE(Malformed(decode(module({section(kType, vec({{0x60, 0x00, 0x01, t}}))})), "malformed value type"))
        << int(t);
  }
}

TEST(ImportSection, AllKindsAndCounters) {
  Bytes imports = vec({
      cat({name_bytes("env"), name_bytes("f"), {0x00, 0x00}}),
      cat({name_bytes("env"), name_bytes("t"), {0x01, 0x6F, 0x01, 0x02, 0x03}}),
      cat({name_bytes("env"), name_bytes("m"), {0x02, 0x00, 0x01}}),
      cat({name_bytes("env"), name_bytes("g"), {0x03, 0x7E, 0x01}}),
      cat({name_bytes(""), name_bytes(""), {0x00, 0x00}}),
  });
  auto m = decode(module({type_void(), section(kImport, imports)}));
  ASSERT_TRUE(Decodes(m));
  ASSERT_EQ(m->imports.size(), 5u);
  EXPECT_EQ(m->imports[0].module, "env");
  EXPECT_EQ(m->imports[0].name, "f");
  EXPECT_EQ(m->imports[0].kind, ExternKind::Func);
  EXPECT_EQ(m->imports[1].kind, ExternKind::Table);
  EXPECT_EQ(m->imports[1].table.elem, ValType::ExternRef);
  EXPECT_EQ(m->imports[1].table.limits.min, 2u);
  EXPECT_EQ(m->imports[1].table.limits.max, 3u);
  EXPECT_EQ(m->imports[2].kind, ExternKind::Memory);
  EXPECT_EQ(m->imports[2].memory.limits.min, 1u);
  EXPECT_FALSE(m->imports[2].memory.limits.max.has_value());
  EXPECT_EQ(m->imports[3].kind, ExternKind::Global);
  EXPECT_EQ(m->imports[3].global.type, ValType::I64);
  EXPECT_TRUE(m->imports[3].global.mut);
  EXPECT_EQ(m->imports[4].name, "");
  EXPECT_EQ(m->num_imported_funcs, 2u);
  EXPECT_EQ(m->num_imported_tables, 1u);
  EXPECT_EQ(m->num_imported_memories, 1u);
  EXPECT_EQ(m->num_imported_globals, 1u);
  EXPECT_EQ(m->total_funcs(), 2u);
}

// The look ahead wnn run uses to start the wasi-nn worker early: the module
// names in the order of first use, from a prefix of the module too.
TEST(ImportSection, ImportedModulesFromTheSectionAlone) {
  Bytes imports = vec({
      cat({name_bytes("wasi_snapshot_preview1"), name_bytes("fd_write"), {0x00, 0x00}}),
      cat({name_bytes("wasi_ephemeral_nn"), name_bytes("load"), {0x00, 0x00}}),
      cat({name_bytes("wasi_snapshot_preview1"), name_bytes("proc_exit"), {0x00, 0x00}}),
  });
  const Bytes bytes = module({type_void(), section(0, cat({name_bytes("x"), {1, 2, 3}})), section(kImport, imports),
                              section(kFunction, vec({{0x00}}))});
  EXPECT_EQ(imported_modules(bytes), (std::vector<std::string>{"wasi_snapshot_preview1", "wasi_ephemeral_nn"}));
  // The prefix up to the end of the import section is enough; one byte less is not.
  const size_t import_end = bytes.size() - 4;
  EXPECT_EQ(imported_modules(std::span(bytes).first(import_end)).size(), 2u);
  EXPECT_TRUE(imported_modules(std::span(bytes).first(import_end - 1)).empty());
  // No import section, another section first, not a module, a malformed import: none.
  EXPECT_TRUE(imported_modules(module({type_void(), section(kFunction, vec({{0x00}}))})).empty());
  EXPECT_TRUE(imported_modules(Bytes{'\0', 'a', 's', 'x', 1, 0, 0, 0}).empty());
  EXPECT_TRUE(imported_modules(module({section(kImport, cat({{0x01, 0x00, 0x00, 0x07}}))})).empty());
  EXPECT_TRUE(imported_modules(Bytes{}).empty());
}

TEST(ImportSection, MalformedKind) {
  for (uint8_t kind : {0x04, 0x05, 0x80, 0xFF}) {
    auto r = decode(module({section(kImport, cat({{0x01, 0x00, 0x00, kind}}))}));
    EXPECT_TRUE(Malformed(r, "malformed import kind")) << int(kind);
    EXPECT_TRUE(Malformed(r, "import section, import 0, at offset 13")) << int(kind);
    EXPECT_TRUE(
        Malformed(decode(module({section(kImport, cat({{0x01, 0x00, 0x00, kind, 0x00}}))})), "malformed import kind"));
  }
}

TEST(ImportSection, TruncatedImport) {
  Bytes one = cat({name_bytes("spectest"), name_bytes("print_i32"), {0x00, 0x00}});
  auto r = decode(module({section(kType, vec({{0x60, 0x01, 0x7F, 0x00}})), section(kImport, cat({{0x02}, one}))}));
  EXPECT_TRUE(Malformed(r, "unexpected end"));
  EXPECT_TRUE(Malformed(r, "import 1"));
}

TEST(FunctionSection, TypeIndices) {
  auto m = decode(module({section(kFunction, vec({{0x00}, {0x05}, {0xFF, 0x01}})), codes(3)}));
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->functions, (std::vector<uint32_t>{0, 5, 255}));
}

TEST(TableSection, TypesAndLimits) {
  auto m = decode(module({section(kTable, vec({{0x70, 0x00, 0x00}, {0x6F, 0x01, 0x01, 0x80, 0x01}}))}));
  ASSERT_TRUE(Decodes(m));
  ASSERT_EQ(m->tables.size(), 2u);
  EXPECT_EQ(m->tables[0].elem, ValType::FuncRef);
  EXPECT_EQ(m->tables[0].limits, (Limits{0, std::nullopt}));
  EXPECT_EQ(m->tables[1].elem, ValType::ExternRef);
  EXPECT_EQ(m->tables[1].limits, (Limits{1, 128}));
}

TEST(TableSection, Malformed) {
  EXPECT_TRUE(Malformed(decode(module({section(kTable, vec({{0x7F, 0x00, 0x00}}))})), "malformed reference type"));
  EXPECT_TRUE(Malformed(decode(module({section(kTable, vec({{0x70, 0x02, 0x00}}))})), "malformed limits flags"));
  EXPECT_TRUE(Malformed(decode(module({section(kTable, vec({{0x70, 0x02, 0x00}}))})), "integer too large"));
  EXPECT_TRUE(Malformed(decode(module({section(kTable, vec({{0x70, 0x81, 0x00, 0x00, 0x00}}))})),
                        "integer representation too long"));
  EXPECT_TRUE(Malformed(decode(module({section(kTable, {0x01})})), "unexpected end"));
  EXPECT_TRUE(Malformed(decode(module({section(kTable, vec({{0x70, 0x01, 0x00}}))})), "unexpected end"));
}

TEST(MemorySection, LimitsAreOnlyRead) {
  // Range checks (min <= max, <= 65536 pages) are the validator's job.
  auto m = decode(module({section(
      kMemory,
      vec({{0x00, 0x00}, {0x01, 0x02, 0x01}, {0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}}))}));
  ASSERT_TRUE(Decodes(m));
  ASSERT_EQ(m->memories.size(), 3u);
  EXPECT_EQ(m->memories[0].limits, (Limits{0, std::nullopt}));
  EXPECT_EQ(m->memories[1].limits, (Limits{2, 1}));
  EXPECT_EQ(m->memories[2].limits, (Limits{0xFFFFFFFFu, 0xFFFFFFFFu}));
}

TEST(MemorySection, Malformed) {
  EXPECT_TRUE(Malformed(decode(module({section(kMemory, vec({{0x02, 0x01}}))})), "malformed limits flags"));
  EXPECT_TRUE(Malformed(decode(module({section(kMemory, vec({{0x03, 0x01, 0x02}}))})), "shared memory"));
  EXPECT_TRUE(Malformed(decode(module({section(kMemory, vec({{0x04, 0x01}}))})), "malformed limits flags"));
  EXPECT_TRUE(Malformed(decode(module({section(kMemory, vec({{0x10, 0x00}}))})), "malformed limits flags"));
  EXPECT_TRUE(
      Malformed(decode(module({section(kMemory, vec({{0x81, 0x00, 0x00}}))})), "integer representation too long"));
  // min as a u32: 2^32 does not fit.
  EXPECT_TRUE(
      Malformed(decode(module({section(kMemory, vec({{0x00, 0x80, 0x80, 0x80, 0x80, 0x10}}))})), "integer too large"));
  EXPECT_TRUE(Malformed(decode(module({section(kMemory, {0x01})})), "unexpected end"));
}

TEST(GlobalSection, TypesAndInit) {
  auto m = decode(module({section(kGlobal, vec({cat({{0x7F, 0x00}, i32_const_expr(-5)}),
                                                {0x7E, 0x01, 0x42, 0x2A, 0x0B},
                                                {0x6F, 0x00, 0xD0, 0x6F, 0x0B}}))}));
  ASSERT_TRUE(Decodes(m));
  ASSERT_EQ(m->globals.size(), 3u);
  EXPECT_EQ(m->globals[0].type.type, ValType::I32);
  EXPECT_FALSE(m->globals[0].type.mut);
  ASSERT_EQ(m->globals[0].init.instrs.size(), 1u);
  EXPECT_EQ(m->globals[0].init.instrs[0].opcode, 0x41);
  EXPECT_EQ(m->globals[0].init.instrs[0].imm, uint64_t(int64_t(-5)));
  EXPECT_EQ(m->globals[0].init.offset, 13u);
  EXPECT_TRUE(m->globals[1].type.mut);
  EXPECT_EQ(m->globals[1].init.instrs[0].imm, 42u);
  EXPECT_EQ(m->globals[2].type.type, ValType::ExternRef);
}

TEST(GlobalSection, Malformed) {
  for (uint8_t mut : {0x02, 0x04, 0x80, 0xFF})
    EXPECT_TRUE(Malformed(decode(module({section(kGlobal, vec({cat({{0x7F, mut}, i32_const_expr(0)})}))})),
                          "malformed mutability"));
  EXPECT_TRUE(
      Malformed(decode(module({section(kImport, vec({cat({name_bytes("m"), name_bytes("g"), {0x03, 0x7F, 0x02}})}))})),
                "malformed mutability"));
  EXPECT_TRUE(Malformed(decode(module({section(kGlobal, vec({cat({{0x60, 0x00}, i32_const_expr(0)})}))})),
                        "malformed value type"));
  auto r = decode(module({section(kGlobal, {0x02, 0x7F, 0x00, 0x41, 0x00, 0x0B})}));
  EXPECT_TRUE(Malformed(r, "unexpected end"));
  EXPECT_TRUE(Malformed(r, "global section, global 1"));
}

TEST(ExportSection, KindsAndIndices) {
  auto m = decode(module(
      {section(kExport, vec({cat({name_bytes("f"), {0x00, 0x03}}), cat({name_bytes("t"), {0x01, 0x00}}),
                             cat({name_bytes("m"), {0x02, 0x00}}), cat({name_bytes("g"), {0x03, 0x80, 0x01}})}))}));
  ASSERT_TRUE(Decodes(m));
  ASSERT_EQ(m->exports.size(), 4u);
  EXPECT_EQ(m->exports[0].name, "f");
  EXPECT_EQ(m->exports[0].index, 3u);
  EXPECT_EQ(m->exports[1].kind, ExternKind::Table);
  EXPECT_EQ(m->exports[2].kind, ExternKind::Memory);
  EXPECT_EQ(m->exports[3].kind, ExternKind::Global);
  EXPECT_EQ(m->exports[3].index, 128u);
}

TEST(ExportSection, Malformed) {
  EXPECT_TRUE(Malformed(decode(module({section(kExport, vec({cat({name_bytes("f"), {0x04, 0x00}})}))})),
                        "malformed export kind"));
  EXPECT_TRUE(
      Malformed(decode(module({section(kExport, cat({{0x02}, name_bytes("f1"), {0x00, 0x00}}))})), "unexpected end"));
}

TEST(StartSection, Index) {
  auto m = decode(module({section(kStart, {0x85, 0x01})}));
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->start, 133u);
  EXPECT_TRUE(Malformed(decode(module({section(kStart, {})})), "unexpected end"));
}

TEST(CodeSection, LocalsAndBodyRange) {
  // Body: 3 local decls (0 i32, 2 i64, 1 v128), then i32.const 1, drop, end.
  Bytes body = {0x03, 0x00, 0x7F, 0x02, 0x7E, 0x01, 0x7B, 0x41, 0x01, 0x1A, 0x0B};
  Bytes code = cat({{0x01}, uleb(body.size()), body});
  auto m = decode(module({type_void(), funcs(1), section(kCode, code)}));
  ASSERT_TRUE(Decodes(m));
  ASSERT_EQ(m->codes.size(), 1u);
  const Code& c = m->codes[0];
  ASSERT_EQ(c.locals.size(), 3u);
  EXPECT_EQ(c.locals[0].count, 0u);
  EXPECT_EQ(c.locals[1].count, 2u);
  EXPECT_EQ(c.locals[1].type, ValType::I64);
  EXPECT_EQ(c.locals[2].type, ValType::V128);
  // header 8 + type 6 + function 4 + code id/size 2 + count 1 = 21: entry size field.
  EXPECT_EQ(c.offset, 21u);
  EXPECT_EQ(c.body_offset, 29u);
  EXPECT_EQ(c.body_size, 4u);
  EXPECT_EQ(m->bytes[c.body_offset], 0x41);
  EXPECT_EQ(m->bytes[c.body_offset + c.body_size - 1], 0x0B);
}

TEST(CodeSection, BodiesAreNotDecoded) {
  // 0xFF is no instruction, but the validator reports that, not the decoder.
  Bytes code = cat({{0x01, 0x03, 0x00, 0xFF, 0x0B}});
  EXPECT_TRUE(Decodes(decode(module({type_void(), funcs(1), section(kCode, code)}))));
}

TEST(CodeSection, MissingEnd) {
  // Two bodies; the first lacks its end.
  Bytes code = {0x02, 0x04, 0x00, 0x41, 0x01, 0x1A, 0x05, 0x00, 0x41, 0x01, 0x1A, 0x0B};
  auto r = decode(module({type_void(), funcs(2), section(kCode, code)}));
  EXPECT_TRUE(Malformed(r, "END opcode expected"));
  EXPECT_TRUE(Malformed(r, "code section, function 0, at offset 26"));
  // Body with only the locals vector.
  EXPECT_TRUE(Malformed(decode(module({type_void(), funcs(1), section(kCode, {0x01, 0x01, 0x00})})), "unexpected end"));
  // Size 0.
  EXPECT_TRUE(Malformed(decode(module({type_void(), funcs(1), section(kCode, {0x01, 0x00})})), "unexpected end"));
  // Body size beyond the section.
  EXPECT_TRUE(
      Malformed(decode(module({type_void(), funcs(1), section(kCode, {0x01, 0x05, 0x00, 0x0B})})), "unexpected end"));
}

TEST(CodeSection, ErrorNamesFunctionIndexInIndexSpace) {
  // One imported function, so the second defined function is function 2.
  Bytes imp = section(kImport, vec({cat({name_bytes("m"), name_bytes("f"), {0x00, 0x00}})}));
  Bytes code = {0x02, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x00};
  auto r = decode(module({type_void(), imp, funcs(2), section(kCode, code)}));
  EXPECT_TRUE(Malformed(r, "code section, function 2, at offset"));
  EXPECT_TRUE(Malformed(r, "END opcode expected"));
}

TEST(CodeSection, LocalCounts) {
  auto with_locals = [](Bytes decls) {
    Bytes body = cat({decls, {0x0B}});
    return decode(module({type_void(), funcs(1), section(kCode, cat({{0x01}, uleb(body.size()), body}))}));
  };
  // Exactly 2^32-1 locals is accepted by the decoder.
  EXPECT_TRUE(Decodes(with_locals(cat({{0x01}, uleb(0xFFFFFFFFu), {0x7F}}))));
  EXPECT_TRUE(Decodes(with_locals(cat({{0x02}, uleb(0xFFFFFFFEu), {0x7F}, uleb(1), {0x7E}}))));
  EXPECT_TRUE(Malformed(with_locals(cat({{0x02}, uleb(0xFFFFFFFFu), {0x7F}, uleb(2), {0x7E}})), "too many locals"));
  EXPECT_TRUE(Malformed(with_locals(cat({{0x02}, uleb(0xFFFFFFFFu), {0x7F}, uleb(1), {0x7E}})), "too many locals"));
  Bytes quarter = cat({uleb(0x40000000u)});
  EXPECT_TRUE(Malformed(with_locals(cat({{0x04}, quarter, {0x7F}, quarter, {0x7E}, quarter, {0x7D}, quarter, {0x7C}})),
                        "too many locals"));
  // A single count must fit in a u32.
  EXPECT_TRUE(Malformed(with_locals({0x02, 0x80, 0x80, 0x80, 0x80, 0x10, 0x7F, 0x02, 0x7E}), "integer too large"));
  EXPECT_TRUE(Malformed(with_locals({0x01, 0x01, 0x40}), "malformed value type"));
  // More declarations than bytes.
  EXPECT_TRUE(Malformed(with_locals({0x7F}), "unexpected end"));
}

TEST(DataCountSection, Value) {
  auto m = decode(module({section(kDataCount, {0x00})}));
  ASSERT_TRUE(Decodes(m));
  EXPECT_EQ(m->data_count, 0u);
  EXPECT_TRUE(Malformed(decode(module({section(kDataCount, {0x80})})), "unexpected end"));
}

}  // namespace
}  // namespace wnn::binary::test
