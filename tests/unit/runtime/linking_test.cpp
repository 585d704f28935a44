// Import matching and instantiation, with CompiledModules built by hand (no
// decoder or validator involved; code bodies stay empty as nothing runs them).
#include <gtest/gtest.h>

#include <map>

#include "runtime/linking.h"
#include "runtime/objects.h"
#include "valid/compiled_module.h"
#include "wnn/runtime.h"

namespace wnn {
namespace {

using enum ValType;

ConstExpr i32c(int32_t v) { return ConstExpr{{ConstInstr{0x41, uint64_t(int64_t(v))}}, 0}; }
ConstExpr i64c(int64_t v) { return ConstExpr{{ConstInstr{0x42, uint64_t(v)}}, 0}; }
ConstExpr f32c(uint32_t bits) { return ConstExpr{{ConstInstr{0x43, bits}}, 0}; }
ConstExpr f64c(uint64_t bits) { return ConstExpr{{ConstInstr{0x44, bits}}, 0}; }
ConstExpr gget(uint32_t i) { return ConstExpr{{ConstInstr{0x23, i}}, 0}; }
ConstExpr rfunc(uint32_t i) { return ConstExpr{{ConstInstr{0xD2, i}}, 0}; }
ConstExpr rnull(ValType t) { return ConstExpr{{ConstInstr{0xD0, uint64_t(t)}}, 0}; }

// A module under construction; `done()` fills in counts and code bodies.
struct Builder {
  std::shared_ptr<CompiledModule> cm = std::make_shared<CompiledModule>();
  Module& m = cm->module;

  uint32_t type(FuncType t) {
    m.types.push_back(std::move(t));
    return uint32_t(m.types.size() - 1);
  }
  Import& import(std::string mod, std::string name, ExternKind kind) {
    Import& imp = m.imports.emplace_back();
    imp.module = std::move(mod);
    imp.name = std::move(name);
    imp.kind = kind;
    return imp;
  }
  void import_func(std::string mod, std::string name, uint32_t type) {
    import(std::move(mod), std::move(name), ExternKind::Func).func_type = type;
  }
  void import_table(std::string mod, std::string name, TableType t) {
    import(std::move(mod), std::move(name), ExternKind::Table).table = t;
  }
  void import_memory(std::string mod, std::string name, MemoryType t) {
    import(std::move(mod), std::move(name), ExternKind::Memory).memory = t;
  }
  void import_global(std::string mod, std::string name, GlobalType t) {
    import(std::move(mod), std::move(name), ExternKind::Global).global = t;
  }
  uint32_t data(std::string_view bytes) {
    uint32_t off = uint32_t(m.bytes.size());
    m.bytes.insert(m.bytes.end(), bytes.begin(), bytes.end());
    return off;
  }
  void active_data(uint32_t mem, ConstExpr offset, std::string_view bytes) {
    DataSegment d;
    d.memory = mem;
    d.offset = std::move(offset);
    d.data_size = uint32_t(bytes.size());
    d.data_offset = data(bytes);
    m.datas.push_back(d);
  }
  void active_elem(uint32_t table, ConstExpr offset, std::vector<ConstExpr> items) {
    ElemSegment e;
    e.table = table;
    e.offset = std::move(offset);
    e.items = std::move(items);
    m.elems.push_back(std::move(e));
  }
  void exp(std::string name, ExternKind kind, uint32_t index) {
    m.exports.push_back(Export{std::move(name), kind, index});
  }
  std::shared_ptr<const CompiledModule> done() {
    m.num_imported_funcs = m.num_imported_tables = m.num_imported_memories = m.num_imported_globals = 0;
    for (const Import& i : m.imports) {
      switch (i.kind) {
        case ExternKind::Func: ++m.num_imported_funcs; break;
        case ExternKind::Table: ++m.num_imported_tables; break;
        case ExternKind::Memory: ++m.num_imported_memories; break;
        case ExternKind::Global: ++m.num_imported_globals; break;
      }
    }
    cm->code.resize(m.functions.size());
    m.codes.resize(m.functions.size());
    return cm;
  }
};

// Resolves imports from a map keyed by "module.name".
struct Imports {
  std::map<std::string, Extern> map;
  void add(const std::string& mod, const std::string& name, Extern e) { map[mod + "." + name] = e; }
  ImportResolver resolver() const {
    return [this](std::string_view mod, std::string_view name) -> std::optional<Extern> {
      auto it = map.find(std::string(mod) + "." + std::string(name));
      if (it == map.end()) return std::nullopt;
      return it->second;
    };
  }
};

Extern ext(FuncInst* f) { return {ExternKind::Func, f}; }
Extern ext(TableInst* t) { return {ExternKind::Table, t}; }
Extern ext(MemoryInst* m) { return {ExternKind::Memory, m}; }
Extern ext(GlobalInst* g) { return {ExternKind::Global, g}; }

HostFunction nop() {
  return [](HostContext&, uint64_t*) -> Expected<void> { return {}; };
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// --- limits subtyping -----------------------------------------------------

TEST(Linking, LimitsMatch) {
  using L = Limits;
  EXPECT_TRUE(limits_match(L{1, {}}, L{1, {}}));
  EXPECT_TRUE(limits_match(L{2, {}}, L{1, {}}));
  EXPECT_FALSE(limits_match(L{0, {}}, L{1, {}}));
  EXPECT_TRUE(limits_match(L{1, 5}, L{1, {}}));      // any max fits "no max"
  EXPECT_FALSE(limits_match(L{1, {}}, L{1, 5}));     // no max does not fit a max
  EXPECT_TRUE(limits_match(L{1, 5}, L{1, 5}));
  EXPECT_TRUE(limits_match(L{1, 4}, L{1, 5}));
  EXPECT_FALSE(limits_match(L{1, 6}, L{1, 5}));
  EXPECT_TRUE(limits_match(L{3, 3}, L{2, 4}));
  EXPECT_FALSE(limits_match(L{1, 3}, L{2, 4}));
  EXPECT_TRUE(limits_match(L{0, 0}, L{0, 0}));
}

// --- import errors ----------------------------------------------------------

TEST(Linking, UnknownImport) {
  Store store;
  Builder b;
  b.import_func("env", "f", b.type(FuncType{{I32}, {}}));
  Imports none;
  auto r = store.instantiate(b.done(), none.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Unlinkable);
  EXPECT_EQ(r.error().message, "unknown import \"env\" \"f\" (expected func (i32) -> ())");
  // An empty resolver is treated as resolving nothing.
  auto r2 = store.instantiate(b.cm, ImportResolver{});
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().kind, ErrorKind::Unlinkable);
}

TEST(Linking, FunctionTypeMustBeEqual) {
  Store store;
  Builder b;
  b.import_func("env", "f", b.type(FuncType{{I32}, {}}));
  auto cm = b.done();
  Imports imps;
  imps.add("env", "f", ext(store.create_host_function(FuncType{{I64}, {}}, nop())));
  auto r = store.instantiate(cm, imps.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Unlinkable);
  EXPECT_EQ(r.error().message,
            "incompatible import type for \"env\" \"f\": expected func (i32) -> (), got func (i64) -> ()");
  imps.add("env", "f", ext(store.create_host_function(FuncType{{I32}, {I32}}, nop())));
  EXPECT_FALSE(store.instantiate(cm, imps.resolver()).ok());
  imps.add("env", "f", ext(store.create_host_function(FuncType{{I32}, {}}, nop())));
  EXPECT_TRUE(store.instantiate(cm, imps.resolver()).ok());
}

TEST(Linking, KindMustMatch) {
  Store store;
  Builder b;
  b.import_func("env", "f", b.type(FuncType{}));
  auto cm = b.done();
  Imports imps;
  imps.add("env", "f", ext(store.create_global(GlobalType{I32, false}, Value::i32(0))));
  auto r = store.instantiate(cm, imps.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Unlinkable);
  EXPECT_EQ(r.error().message, "incompatible import type for \"env\" \"f\": expected func () -> (), got global i32");
}

TEST(Linking, TableLimitsUseCurrentSize) {
  Store store;
  Builder b;
  b.import_table("env", "t", TableType{FuncRef, Limits{3, 10}});
  auto cm = b.done();
  Imports imps;
  TableInst* t = *store.create_table(TableType{FuncRef, Limits{2, 10}});
  imps.add("env", "t", ext(t));
  auto r = store.instantiate(cm, imps.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "incompatible import type for \"env\" \"t\": expected table funcref min=3 max=10, got table funcref "
            "min=2 max=10");
  ASSERT_EQ(t->grow(1, 0), 2);  // now 3 elements: fits
  auto ok = store.instantiate(cm, imps.resolver());
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ((*ok)->tables.at(0), t);
}

TEST(Linking, TableMaxAndElemType) {
  Store store;
  Builder b;
  b.import_table("env", "t", TableType{FuncRef, Limits{1, 5}});
  auto cm = b.done();
  auto try_with = [&](TableType actual) {
    Imports imps;
    imps.add("env", "t", ext(*store.create_table(actual)));
    return store.instantiate(cm, imps.resolver()).ok();
  };
  EXPECT_FALSE(try_with(TableType{FuncRef, Limits{1, {}}}));
  EXPECT_FALSE(try_with(TableType{FuncRef, Limits{1, 6}}));
  EXPECT_TRUE(try_with(TableType{FuncRef, Limits{1, 5}}));
  EXPECT_TRUE(try_with(TableType{FuncRef, Limits{2, 3}}));
  EXPECT_FALSE(try_with(TableType{ExternRef, Limits{1, 5}}));
}

TEST(Linking, MemoryLimitsUseCurrentPages) {
  Store store;
  Builder b;
  b.import_memory("env", "m", MemoryType{Limits{2, {}}});
  auto cm = b.done();
  Imports imps;
  MemoryInst* mem = *store.create_memory(MemoryType{Limits{1, {}}});
  imps.add("env", "m", ext(mem));
  auto r = store.instantiate(cm, imps.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "incompatible import type for \"env\" \"m\": expected memory min=2, got memory min=1");
  ASSERT_EQ(mem->grow(1), 1);
  EXPECT_TRUE(store.instantiate(cm, imps.resolver()).ok());
}

TEST(Linking, MemoryMax) {
  Store store;
  Builder b;
  b.import_memory("env", "m", MemoryType{Limits{0, 2}});
  auto cm = b.done();
  auto try_with = [&](MemoryType actual) {
    Imports imps;
    imps.add("env", "m", ext(*store.create_memory(actual)));
    return store.instantiate(cm, imps.resolver()).ok();
  };
  EXPECT_FALSE(try_with(MemoryType{Limits{0, {}}}));
  EXPECT_FALSE(try_with(MemoryType{Limits{0, 3}}));
  EXPECT_TRUE(try_with(MemoryType{Limits{0, 2}}));
  EXPECT_TRUE(try_with(MemoryType{Limits{1, 1}}));
  EXPECT_FALSE(try_with(MemoryType{Limits{3, 3}}));
}

TEST(Linking, GlobalTypeAndMutability) {
  Store store;
  Builder b;
  b.import_global("env", "g", GlobalType{I32, true});
  auto cm = b.done();
  auto try_with = [&](GlobalType actual) {
    Imports imps;
    imps.add("env", "g", ext(store.create_global(actual, Value::i32(0))));
    return store.instantiate(cm, imps.resolver());
  };
  auto r = try_with(GlobalType{I32, false});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "incompatible import type for \"env\" \"g\": expected global mut i32, got global i32");
  EXPECT_FALSE(try_with(GlobalType{I64, true}).ok());
  EXPECT_TRUE(try_with(GlobalType{I32, true}).ok());
}

TEST(Linking, FirstBadImportIsReported) {
  Store store;
  Builder b;
  b.import_global("a", "ok", GlobalType{I32, false});
  b.import_global("b", "missing", GlobalType{I64, false});
  b.import_global("c", "also_missing", GlobalType{I64, false});
  Imports imps;
  imps.add("a", "ok", ext(store.create_global(GlobalType{I32, false}, Value::i32(1))));
  auto r = store.instantiate(b.done(), imps.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "unknown import \"b\" \"missing\" (expected global i64)");
}

// --- allocation and initialisation -----------------------------------------

TEST(Instantiate, FunctionsTypesAndExports) {
  Store store;
  Builder b;
  uint32_t t0 = b.type(FuncType{{I32}, {I32}});
  uint32_t t1 = b.type(FuncType{{V128}, {}});
  uint32_t t2 = b.type(FuncType{{I32}, {I32}});  // same as t0
  b.import_func("env", "h", t1);
  b.m.functions = {t0, t2, t1};
  b.m.function_names[2] = "second";
  b.m.tables.push_back(TableType{FuncRef, Limits{2, {}}});
  b.m.memories.push_back(MemoryType{Limits{1, {}}});
  b.m.globals.push_back(Global{GlobalType{I32, true}, i32c(5)});
  b.exp("mem", ExternKind::Memory, 0);
  b.exp("f1", ExternKind::Func, 1);
  b.exp("h", ExternKind::Func, 0);
  b.exp("g", ExternKind::Global, 0);
  b.exp("tab", ExternKind::Table, 0);
  auto cm = b.done();

  FuncInst* h = store.create_host_function(FuncType{{V128}, {}}, nop(), "host");
  Imports imps;
  imps.add("env", "h", ext(h));
  auto r = store.instantiate(cm, imps.resolver());
  ASSERT_TRUE(r.ok()) << r.error().message;
  Instance* inst = *r;

  EXPECT_EQ(inst->module, cm);
  ASSERT_EQ(inst->type_ids.size(), 3u);
  EXPECT_EQ(inst->type_ids[0], inst->type_ids[2]);
  EXPECT_NE(inst->type_ids[0], inst->type_ids[1]);
  EXPECT_EQ(inst->type_ids[1], h->type_id);

  ASSERT_EQ(inst->funcs.size(), 4u);
  EXPECT_EQ(inst->funcs[0], h);
  for (uint32_t i = 1; i < 4; ++i) {
    const FuncInst* f = inst->funcs[i];
    EXPECT_EQ(f->inst, inst);
    EXPECT_EQ(f->index, i);
    EXPECT_EQ(f->code, &cm->code[i - 1]);
    EXPECT_EQ(f->type, cm->module.types[cm->module.functions[i - 1]]);
    EXPECT_EQ(f->type_id, inst->type_ids[cm->module.functions[i - 1]]);
    EXPECT_FALSE(bool(f->host));
  }
  EXPECT_EQ(inst->funcs[1]->type_id, inst->funcs[2]->type_id);
  EXPECT_EQ(inst->funcs[2]->name, "second");
  EXPECT_EQ(inst->funcs[1]->name, "");
  EXPECT_EQ(inst->funcs[1]->param_slots, 1u);
  EXPECT_EQ(inst->funcs[1]->result_slots, 1u);
  EXPECT_EQ(inst->funcs[3]->param_slots, 2u);
  EXPECT_EQ(inst->funcs[3]->result_slots, 0u);

  ASSERT_EQ(inst->tables.size(), 1u);
  EXPECT_EQ(inst->tables[0]->elems, std::vector<Ref>(2, 0));
  ASSERT_EQ(inst->memories.size(), 1u);
  EXPECT_EQ(inst->memories[0]->size, kPageSize);
  ASSERT_EQ(inst->globals.size(), 1u);
  EXPECT_EQ(store.global_value(inst->globals[0]).as_u32(), 5u);

  const auto& ex = store.exports(inst);
  ASSERT_EQ(ex.size(), 5u);
  EXPECT_EQ(ex[0].first, "mem");
  EXPECT_EQ(ex[0].second.memory(), inst->memories[0]);
  EXPECT_EQ(ex[1].first, "f1");
  EXPECT_EQ(ex[1].second.func(), inst->funcs[1]);
  EXPECT_EQ(ex[2].second.func(), h);
  EXPECT_EQ(ex[3].second.global(), inst->globals[0]);
  EXPECT_EQ(ex[4].second.table(), inst->tables[0]);
  auto f = store.find_export(inst, "g");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->kind, ExternKind::Global);
  EXPECT_FALSE(store.find_export(inst, "nope").has_value());

  // A second instance of the same module gets its own objects.
  auto r2 = store.instantiate(cm, imps.resolver());
  ASSERT_TRUE(r2.ok());
  EXPECT_NE((*r2)->funcs[1], inst->funcs[1]);
  EXPECT_EQ((*r2)->funcs[1]->type_id, inst->funcs[1]->type_id);
  EXPECT_NE((*r2)->memories[0], inst->memories[0]);
}

TEST(Instantiate, GlobalInitialisers) {
  Store store;
  Builder b;
  b.import_global("env", "base", GlobalType{I32, false});
  b.import_global("env", "ext", GlobalType{ExternRef, false});
  b.m.functions = {b.type(FuncType{})};
  b.m.globals = {
      Global{GlobalType{I32, false}, i32c(-1)},
      Global{GlobalType{I64, false}, i64c(-2)},
      Global{GlobalType{F32, false}, f32c(0x3FC00000)},
      Global{GlobalType{F64, true}, f64c(0x3FF8000000000000)},
      Global{GlobalType{I32, false}, gget(0)},
      Global{GlobalType{FuncRef, false}, rfunc(0)},
      Global{GlobalType{FuncRef, false}, rnull(FuncRef)},
      Global{GlobalType{ExternRef, false}, gget(1)},
      Global{GlobalType{I64, false}, gget(3)},  // an earlier defined global
  };
  Imports imps;
  imps.add("env", "base", ext(store.create_global(GlobalType{I32, false}, Value::i32(1234))));
  imps.add("env", "ext", ext(store.create_global(GlobalType{ExternRef, false}, Value::ref(ExternRef, 0xABC))));
  auto r = store.instantiate(b.done(), imps.resolver());
  ASSERT_TRUE(r.ok()) << r.error().message;
  Instance* inst = *r;
  auto val = [&](size_t i) { return store.global_value(inst->globals[i]); };
  EXPECT_EQ(val(2).as_u32(), 0xFFFFFFFFu);
  EXPECT_EQ(val(2).type, I32);
  EXPECT_EQ(val(3).as_u64(), uint64_t(-2));
  EXPECT_EQ(val(4).as_f32(), 1.5f);
  EXPECT_EQ(val(5).as_f64(), 1.5);
  EXPECT_TRUE(store.global_type(inst->globals[5]).mut);
  EXPECT_EQ(val(6).as_u32(), 1234u);
  EXPECT_EQ(val(7).lo, Ref(inst->funcs[0]));
  EXPECT_EQ(val(8).lo, 0u);
  EXPECT_EQ(val(9).lo, 0xABCu);
  EXPECT_EQ(val(10).as_u64(), uint64_t(-2));
}

TEST(Instantiate, ElementSegments) {
  Store store;
  Builder b;
  b.import_global("env", "off", GlobalType{I32, false});
  uint32_t t = b.type(FuncType{});
  b.m.functions = {t, t};
  b.m.tables.push_back(TableType{FuncRef, Limits{6, {}}});
  b.active_elem(0, gget(0), {rfunc(1), rnull(FuncRef), rfunc(0)});  // at 2
  ElemSegment passive;
  passive.mode = SegmentMode::Passive;
  passive.items = {rfunc(0), rfunc(1)};
  b.m.elems.push_back(passive);
  ElemSegment decl;
  decl.mode = SegmentMode::Declarative;
  decl.items = {rfunc(1)};
  b.m.elems.push_back(decl);
  b.active_elem(0, i32c(5), {rfunc(0)});
  Imports imps;
  imps.add("env", "off", ext(store.create_global(GlobalType{I32, false}, Value::i32(2))));
  auto r = store.instantiate(b.done(), imps.resolver());
  ASSERT_TRUE(r.ok()) << r.error().message;
  Instance* inst = *r;
  Ref f0 = Ref(inst->funcs[0]), f1 = Ref(inst->funcs[1]);
  EXPECT_EQ(inst->tables[0]->elems, (std::vector<Ref>{0, 0, f1, 0, f0, f0}));
  ASSERT_EQ(inst->elems.size(), 4u);
  EXPECT_TRUE(inst->elems[0].refs.empty());  // active: dropped
  EXPECT_EQ(inst->elems[1].refs, (std::vector<Ref>{f0, f1}));  // passive: kept
  EXPECT_TRUE(inst->elems[2].refs.empty());  // declarative: dropped
  EXPECT_TRUE(inst->elems[3].refs.empty());
  EXPECT_EQ(inst->elems[1].type, FuncRef);
}

TEST(Instantiate, DataSegments) {
  Store store;
  Builder b;
  b.m.memories.push_back(MemoryType{Limits{1, {}}});
  b.active_data(0, i32c(10), "hello");
  DataSegment passive;
  passive.mode = SegmentMode::Passive;
  passive.data_size = 3;
  passive.data_offset = b.data("xyz");
  b.m.datas.push_back(passive);
  b.active_data(0, i32c(65536 - 2), "!!");  // ends exactly at the end: fits
  b.active_data(0, i32c(65536), "");        // empty at the end: fits
  auto cm = b.done();
  auto r = store.instantiate(cm, Imports{}.resolver());
  ASSERT_TRUE(r.ok()) << r.error().message;
  Instance* inst = *r;
  auto mem = store.memory_data(inst->memories[0]);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(mem.data()) + 10, 5), "hello");
  EXPECT_EQ(mem[9], 0);
  EXPECT_EQ(mem[15], 0);
  EXPECT_EQ(mem[65534], '!');
  ASSERT_EQ(inst->datas.size(), 4u);
  EXPECT_EQ(inst->datas[0].size, 0u);  // dropped
  EXPECT_EQ(inst->datas[1].size, 3u);  // passive: kept
  EXPECT_EQ(inst->datas[1].bytes, cm->module.bytes.data() + passive.data_offset);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(inst->datas[1].bytes), 3), "xyz");
}

TEST(Instantiate, DataOutOfBoundsTrapKeepsEarlierWrites) {
  Store store;
  MemoryInst* mem = *store.create_memory(MemoryType{Limits{1, {}}});
  Builder b;
  b.import_memory("env", "mem", MemoryType{Limits{1, {}}});
  b.active_data(0, i32c(0), "a");
  b.active_data(0, i32c(65535), "bc");  // one byte past the end
  b.active_data(0, i32c(1), "d");       // never reached
  Imports imps;
  imps.add("env", "mem", ext(mem));
  auto r = store.instantiate(b.done(), imps.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().trap, TrapKind::MemoryOutOfBounds);
  EXPECT_TRUE(contains(r.error().message, "out of bounds memory access")) << r.error().message;
  EXPECT_TRUE(contains(r.error().message, "data segment 1")) << r.error().message;
  EXPECT_EQ(mem->base[0], 'a');
  EXPECT_EQ(mem->base[1], 0);
  EXPECT_EQ(mem->base[65535], 0);  // the failing segment wrote nothing
}

TEST(Instantiate, ElemOutOfBoundsTrapKeepsEarlierWritesAndSkipsData) {
  Store store;
  TableInst* table = *store.create_table(TableType{FuncRef, Limits{3, {}}});
  MemoryInst* mem = *store.create_memory(MemoryType{Limits{1, {}}});
  Builder b;
  b.import_table("env", "tab", TableType{FuncRef, Limits{3, {}}});
  b.import_memory("env", "mem", MemoryType{Limits{1, {}}});
  uint32_t t = b.type(FuncType{});
  b.m.functions = {t};
  b.active_elem(0, i32c(0), {rfunc(0)});
  b.active_elem(0, i32c(2), {rfunc(0), rfunc(0)});  // 2 + 2 > 3
  b.active_data(0, i32c(0), "x");
  Imports imps;
  imps.add("env", "tab", ext(table));
  imps.add("env", "mem", ext(mem));
  auto r = store.instantiate(b.done(), imps.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().trap, TrapKind::TableOutOfBounds);
  EXPECT_TRUE(contains(r.error().message, "out of bounds table access")) << r.error().message;
  EXPECT_TRUE(contains(r.error().message, "element segment 1")) << r.error().message;
  // The function of the failed instance stays alive in the shared table.
  ASSERT_NE(table->elems[0], 0u);
  const FuncInst* f = reinterpret_cast<const FuncInst*>(table->elems[0]);
  EXPECT_NE(f->inst, nullptr);
  EXPECT_EQ(f->index, 0u);
  EXPECT_EQ(table->elems[2], 0u);
  EXPECT_EQ(mem->base[0], 0);  // data segments come after element segments
}

TEST(Instantiate, EmptySegmentOutOfBoundsStillTraps) {
  Store store;
  Builder b;
  b.m.tables.push_back(TableType{FuncRef, Limits{1, {}}});
  b.active_elem(0, i32c(2), {});
  auto r = store.instantiate(b.done(), Imports{}.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().trap, TrapKind::TableOutOfBounds);

  Builder d;
  d.m.memories.push_back(MemoryType{Limits{0, {}}});
  d.active_data(0, i32c(1), "");
  auto r2 = store.instantiate(d.done(), Imports{}.resolver());
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().trap, TrapKind::MemoryOutOfBounds);

  // Offsets are unsigned: -1 is 4 GiB - 1, far out of bounds.
  Builder n;
  n.m.memories.push_back(MemoryType{Limits{1, {}}});
  n.active_data(0, i32c(-1), "z");
  auto r3 = store.instantiate(n.done(), Imports{}.resolver());
  ASSERT_FALSE(r3.ok());
  EXPECT_EQ(r3.error().trap, TrapKind::MemoryOutOfBounds);
}

TEST(Instantiate, StartFunctionRuns) {
  Store store;
  int calls = 0;
  FuncInst* h = store.create_host_function(FuncType{}, [&](HostContext&, uint64_t*) -> Expected<void> {
    ++calls;
    return {};
  });
  Builder b;
  b.import_func("env", "start", b.type(FuncType{}));
  b.m.start = 0;
  Imports imps;
  imps.add("env", "start", ext(h));
  auto r = store.instantiate(b.done(), imps.resolver());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(calls, 1);
}

TEST(Instantiate, StartFunctionTrap) {
  Store store;
  FuncInst* h = store.create_host_function(FuncType{}, [](HostContext&, uint64_t*) -> Expected<void> {
    Error e(ErrorKind::Trap, "start failed");
    e.trap = TrapKind::HostError;
    return e;
  });
  Builder b;
  b.import_func("env", "start", b.type(FuncType{}));
  b.m.memories.push_back(MemoryType{Limits{1, {}}});
  b.active_data(0, i32c(0), "q");
  b.m.start = 0;
  Imports imps;
  imps.add("env", "start", ext(h));
  auto r = store.instantiate(b.done(), imps.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_TRUE(contains(r.error().message, "start failed")) << r.error().message;
}

TEST(Instantiate, TooLargeTableIsAnError) {
  Store store;
  Builder b;
  b.m.tables.push_back(TableType{FuncRef, Limits{uint64_t(UINT32_MAX), {}}});
  auto r = store.instantiate(b.done(), Imports{}.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(contains(r.error().message, "table 0")) << r.error().message;
  EXPECT_TRUE(contains(r.error().message, "exceed the limit of 10000000")) << r.error().message;
  EXPECT_EQ(r.error().kind, ErrorKind::Exhaustion);
}

TEST(Instantiate, InconsistentCompiledModuleIsRejected) {
  Store store;
  Builder b;
  b.m.functions = {b.type(FuncType{})};
  b.done();
  b.cm->code.clear();
  auto r = store.instantiate(b.cm, Imports{}.resolver());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Usage);
  EXPECT_FALSE(store.instantiate(nullptr, Imports{}.resolver()).ok());
}

}  // namespace
}  // namespace wnn
