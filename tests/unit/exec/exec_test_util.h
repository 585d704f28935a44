// Helpers for interpreter unit tests: hand-assemble internal code and run it
// through an Executor, with instances, memories and tables built by hand.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exec/code.h"
#include "exec/interpreter.h"
#include "runtime/objects.h"

namespace wnn::exec::test {

// Appends instruction words. Branch targets are word positions (here()).
struct Asm {
  std::vector<Word> w;

  size_t here() const { return w.size(); }
  Asm& op(Handler h) {
    Word x{};
    x.h = h;
    w.push_back(x);
    return *this;
  }
  Asm& ab(uint32_t a, uint32_t b = 0) {
    Word x{};
    x.a = a;
    x.b = b;
    w.push_back(x);
    return *this;
  }
  Asm& u64(uint64_t v) {
    Word x{};
    x.u64 = v;
    w.push_back(x);
    return *this;
  }

  Asm& unop(Handler h, uint32_t dst, uint32_t src) { return op(h).ab(dst, src); }
  Asm& binop(Handler h, uint32_t dst, uint32_t a, uint32_t b) { return op(h).ab(dst, a).ab(b); }
  Asm& konst(uint32_t dst, uint64_t v) { return op(&op_const).ab(dst).u64(v); }
  Asm& copy(uint32_t dst, uint32_t src) { return op(&op_copy).ab(dst, src); }
  Asm& ret() { return op(&op_return); }
  Asm& call(uint32_t func, uint32_t base) { return op(&op_call).ab(func, base); }
  Asm& call_indirect(uint32_t type, uint32_t table, uint32_t index, uint32_t base) {
    return op(&op_call_indirect).ab(type, table).ab(index, base);
  }
  // (addr/dst, src/addr) (offset)
  Asm& mem(Handler h, uint32_t x, uint32_t y, uint32_t offset) { return op(h).ab(x, y).ab(offset); }

  // A branch to a known (backward) target.
  Asm& branch(Handler h, size_t target, uint32_t cond = 0) {
    size_t at = here();
    op(h);
    Word x{};
    x.a = uint32_t(int32_t(int64_t(target) - int64_t(at)));  // Br/BrCond: (target, cond)
    x.b = cond;
    w.push_back(x);
    return *this;
  }
  // A forward branch: returns its position for patch().
  size_t branch_fwd(Handler h, uint32_t cond = 0) {
    size_t at = here();
    branch(h, at, cond);
    return at;
  }
  void patch(size_t at, size_t target) { w[at + 1].a = uint32_t(int32_t(int64_t(target) - int64_t(at))); }
};

// The result of running a function: its trap (None if it returned) and slots.
struct Outcome {
  TrapKind trap = TrapKind::None;
  std::vector<uint64_t> slots;
  std::string message;
  uint64_t operator[](size_t i) const { return slots.at(i); }
};

inline uint64_t f32b(float f) { return std::bit_cast<uint32_t>(f); }
inline uint64_t f64b(double d) { return std::bit_cast<uint64_t>(d); }
inline float as_f32(uint64_t s) { return std::bit_cast<float>(uint32_t(s)); }
inline double as_f64(uint64_t s) { return std::bit_cast<double>(s); }

// One instance with hand-made functions, memory 0, tables, globals.
class Env {
 public:
  explicit Env(StoreConfig config = {}) : ex(nullptr, config) {}

  // Adds a wasm function (index = its position in inst.funcs).
  FuncInst* func(const Asm& a, uint32_t params, uint32_t locals, uint32_t results, uint32_t frame,
                 std::string name = {}, uint32_t type_id = 0) {
    FunctionCode& c = codes.emplace_back();
    c.code = a.w;
    c.param_slots = params;
    c.local_slots = locals;
    c.result_slots = results;
    c.frame_slots = frame;
    FuncInst& f = funcs.emplace_back();
    f.inst = &inst;
    f.code = &c;
    f.param_slots = params;
    f.result_slots = results;
    f.type_id = type_id;
    f.index = uint32_t(inst.funcs.size());
    f.name = std::move(name);
    inst.funcs.push_back(&f);
    return &f;
  }
  // Replaces the code of a function added earlier (for forward references).
  void set_code(FuncInst* f, const Asm& a) { const_cast<FunctionCode*>(f->code)->code = a.w; }

  FuncInst* host(HostFunction fn, uint32_t params, uint32_t results, std::string name = {}, uint32_t type_id = 0) {
    FuncInst& f = funcs.emplace_back();
    f.host = std::move(fn);
    f.param_slots = params;
    f.result_slots = results;
    f.type_id = type_id;
    f.index = uint32_t(inst.funcs.size());
    f.name = std::move(name);
    inst.funcs.push_back(&f);
    return &f;
  }

  MemoryInst* memory(uint64_t pages, std::optional<uint64_t> max = std::nullopt) {
    MemoryType t;
    t.limits.min = pages;
    t.limits.max = max;
    auto m = MemoryInst::create(t);
    EXPECT_TRUE(m.ok());
    mems.push_back(std::move(*m));
    inst.memories.push_back(mems.back().get());
    return mems.back().get();
  }

  TableInst* table(uint32_t size, std::optional<uint64_t> max = std::nullopt) {
    auto& t = tables.emplace_back(std::make_unique<TableInst>());
    t->type.limits.min = size;
    t->type.limits.max = max;
    t->elems.assign(size, 0);
    inst.tables.push_back(t.get());
    return t.get();
  }

  GlobalInst* global(uint64_t v0, uint64_t v1 = 0) {
    auto& g = globals.emplace_back(std::make_unique<GlobalInst>());
    g->value[0] = v0;
    g->value[1] = v1;
    inst.globals.push_back(g.get());
    return g.get();
  }

  // Runs f with `args`; the buffer is sized for params and results.
  Outcome run(FuncInst* f, std::vector<uint64_t> args = {}) {
    Outcome r;
    r.slots = std::move(args);
    r.slots.resize(std::max<size_t>({r.slots.size(), f->param_slots, f->result_slots, 1}));
    auto res = ex.call(f, r.slots.data());
    if (!res.ok()) {
      r.trap = res.error().trap;
      r.message = res.error().message;
    }
    return r;
  }

  Instance inst;
  std::deque<FunctionCode> codes;
  std::deque<FuncInst> funcs;
  std::vector<std::unique_ptr<MemoryInst>> mems;
  std::vector<std::unique_ptr<TableInst>> tables;
  std::vector<std::unique_ptr<GlobalInst>> globals;
  Executor ex;
};

// Runs one unary op: fp[0] = op(fp[0]).
inline Outcome unary(Handler h, uint64_t a) {
  Env env;
  Asm code;
  code.unop(h, 0, 0).ret();
  return env.run(env.func(code, 1, 1, 1, 1), {a});
}

// Runs one binary op: fp[0] = op(fp[0], fp[1]); the result goes to a third
// slot first so that dst != sources is exercised too.
inline Outcome binary(Handler h, uint64_t a, uint64_t b) {
  Env env;
  Asm code;
  code.binop(h, 2, 0, 1).copy(0, 2).ret();
  return env.run(env.func(code, 2, 2, 1, 3), {a, b});
}

}  // namespace wnn::exec::test
