// The module generator (module_gen.h): module structure and encoding; the
// bodies come from module_gen_body.cpp.
#include <optional>
#include <string>

#include "module_gen_internal.h"

namespace wnn_test {
namespace gen {
namespace {

// Differential entry point for function f: constant arguments, results
// with floats canonicalised and reinterpreted as integers, v128s as two i64s.
Buf entry_body(Module& m, Src& in, uint32_t f, Types& results_out) {
  const FuncSig& s = m.sig(f);  // m is not changed here
  Buf b, code;
  Types locals;
  emit_const(code, I32, kLoopBudget);
  code.u8(0x24);
  code.uleb(m.nuser_globals);
  for (VT t : s.params) emit_any_const(code, in, t);
  code.u8(0x10);
  code.uleb(f);
  for (size_t i = s.results.size(); i-- > 0;) {  // into locals, last result first
    code.u8(0x21);
    code.uleb(i);
  }
  for (size_t i = 0; i < s.results.size(); ++i) {
    VT t = s.results[i];
    code.u8(0x20);
    code.uleb(i);
    if (t == V128) {  // as two i64s (its float lanes are canonical already)
      code.u8(0xFD);  // i64x2.extract_lane 0; local.get i; i64x2.extract_lane 1
      code.uleb(29);
      code.u8(0);
      code.u8(0x20);
      code.uleb(i);
      code.u8(0xFD);
      code.uleb(29);
      code.u8(1);
      results_out.push_back(I64);
      results_out.push_back(I64);
      continue;
    }
    if (t == F32 || t == F64) {  // x == x ? x : canonical NaN, as bits
      emit_const(code, t, t == F32 ? kCanonNan32 : kCanonNan64);
      code.u8(0x20);
      code.uleb(i);
      code.u8(0x20);
      code.uleb(i);
      code.u8(t == F32 ? 0x5B : 0x61);
      code.u8(0x1B);
      code.u8(t == F32 ? 0xBC : 0xBD);
    }
    results_out.push_back(t == F32 ? I32 : t == F64 ? I64 : t);
  }
  code.u8(0x0B);
  b.uleb(s.results.size());
  for (VT t : s.results) {
    b.uleb(1);
    b.u8(t);
  }
  b.append(code);
  return b;
}

// Differential: a hash of the globals and the whole memory, exported last
// so that both engines' final states are compared too.
Buf state_body(const Module& m) {
  Buf c;  // locals: 0 address (i32), 1 hash (i64), 2 f32 and 3 f64 scratch
  auto mix = [&c] {  // hash = (hash ^ top) * prime
    c.u8(0x20);
    c.uleb(1);
    c.u8(0x85);
    emit_const(c, I64, 0x100000001b3ull);
    c.u8(0x7E);
    c.u8(0x21);
    c.uleb(1);
  };
  for (size_t g = 0; g < m.nuser_globals; ++g) {
    const VT t = m.globals[g].t;
    c.u8(0x23);
    c.uleb(g);
    if (t == F32 || t == F64) {  // canonical NaN, as bits
      const uint32_t s = t == F32 ? 2 : 3;
      c.u8(0x22);
      c.uleb(s);
      emit_const(c, t, t == F32 ? kCanonNan32 : kCanonNan64);
      c.u8(0x20);
      c.uleb(s);
      c.u8(0x20);
      c.uleb(s);
      c.u8(t == F32 ? 0x5B : 0x61);
      c.u8(0x1B);
      c.u8(t == F32 ? 0xBC : 0xBD);
    }
    if (t == I32 || t == F32) c.u8(0xAD);  // i64.extend_i32_u
    mix();
  }
  // block loop (br_if 1 (i32.ge_u addr (memory.size << 16))) mix(i64.load addr) addr += 8 br 0 end end
  const uint8_t loop_head[] = {0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x3F, 0x00, 0x41, 0x10,
                               0x74, 0x4F, 0x0D, 0x01, 0x20, 0x00, 0x29, 0x03, 0x00};
  c.b.insert(c.b.end(), std::begin(loop_head), std::end(loop_head));
  mix();
  const uint8_t loop_tail[] = {0x20, 0x00, 0x41, 0x08, 0x6A, 0x21, 0x00, 0x0C, 0x00, 0x0B, 0x0B, 0x20, 0x01, 0x0B};
  c.b.insert(c.b.end(), std::begin(loop_tail), std::end(loop_tail));
  Buf b;
  b.uleb(4);
  for (VT t : {I32, I64, F32, F64}) {
    b.uleb(1);
    b.u8(t);
  }
  b.append(c);
  return b;
}

}  // namespace
}  // namespace gen

std::vector<uint8_t> generate_module(std::span<const uint8_t> data, const GenConfig& config) {
  using namespace gen;
  Src in(data);
  Module m;
  m.cfg = config;
  const bool diff = config.differential;

  if (!diff && in.flip(30)) {  // spectest imports
    m.import_names = {"print_i32", "print_f64"};
    m.func_types.push_back(m.type_index({{I32}, {}}));
    m.func_types.push_back(m.type_index({{F64}, {}}));
    m.nimports = 2;
  }
  m.ngen = 1 + in.below(diff ? 6 : 8);
  for (uint32_t i = 0; i < m.ngen; ++i) {
    FuncSig s;
    if (i > 0 && in.flip(30)) {  // share a type: more call_indirect matches
      m.func_types.push_back(m.func_types[m.nimports + in.below(i)]);
      continue;
    }
    for (uint32_t n = in.below(4); n > 0; --n) s.params.push_back(in.any_type());
    for (uint32_t n = in.below(3); n > 0; --n) s.results.push_back(in.any_type());
    m.func_types.push_back(m.type_index(s));
  }
  const uint32_t nfuncs = m.nimports + m.ngen;

  for (uint32_t n = 1 + in.below(4); n > 0; --n) {
    VT t = in.type();
    m.globals.push_back({t, !in.flip(15), random_bits(in, t)});
  }
  m.nuser_globals = m.globals.size();
  if (diff) m.globals.push_back({I32, true, kLoopBudget});

  m.mem_min = in.flip(10) ? 0 : 1 + in.below(2);
  m.mem_max = m.mem_min + in.below(3);
  m.table_min = nfuncs + in.below(4);
  m.table_max = m.table_min + in.below(4);
  m.elem_offset = in.below(2);
  uint32_t nelems = m.table_min - m.elem_offset;
  nelems -= std::min(nelems, in.below(3));  // some empty slots at the end
  for (; nelems > 0; --nelems) m.elems.push_back(in.below(nfuncs));
  m.table1_min = in.below(5);
  m.table1_max = m.table1_min + in.below(8);
  for (uint32_t n = in.below(5); n > 0; --n) m.passive_elems.push_back(in.below(nfuncs));
  for (uint32_t n = in.below(4); n > 0; --n) {
    Module::Data d;
    for (uint32_t len = in.below(33); len > 0; --len) d.bytes.push_back(in.byte());
    d.passive = m.mem_min == 0 || in.flip(30);
    d.offset = d.passive ? 0 : in.below(uint32_t(m.mem_bytes() - d.bytes.size() + 1));
    if (!d.passive && in.flip(2)) d.offset = uint32_t(m.mem_bytes() - in.below(8));  // may not fit: no instance
    m.datas.push_back(std::move(d));
  }

  // Bodies share an instruction budget; each takes a part of what is left.
  int budget = 2000;
  for (uint32_t f = m.nimports; f < nfuncs; ++f) {
    const int mine = int(in.below(uint32_t(std::max(budget, 1)))) + 1;
    budget -= mine;
    m.bodies.push_back(generate_body(m, in, f, mine));
  }
  std::vector<Types> entry_results;
  if (diff)
    for (uint32_t f = 0; f < nfuncs; ++f) {
      Types r;
      m.bodies.push_back(entry_body(m, in, f, r));
      m.func_types.push_back(m.type_index({{}, r}));
    }
  if (diff) {
    m.bodies.push_back(state_body(m));
    m.func_types.push_back(m.type_index({{}, {I64}}));
  }
  std::optional<uint32_t> start;
  if (!diff && in.flip(15)) {
    uint32_t f = m.nimports + in.below(m.ngen);
    if (m.sig(f).params.empty() && m.sig(f).results.empty()) start = f;
  }

  Buf mod, sec;
  mod.b = wnn::test::header();
  sec.uleb(m.types.size());
  for (const FuncSig& s : m.types) {
    sec.u8(0x60);
    sec.uleb(s.params.size());
    for (VT t : s.params) sec.u8(t);
    sec.uleb(s.results.size());
    for (VT t : s.results) sec.u8(t);
  }
  mod.section(wnn::test::kType, sec);
  if (m.nimports) {
    sec = {};
    sec.uleb(m.nimports);
    for (uint32_t i = 0; i < m.nimports; ++i) {
      sec.name("spectest");
      sec.name(m.import_names[i]);
      sec.u8(0);
      sec.uleb(m.func_types[i]);
    }
    mod.section(wnn::test::kImport, sec);
  }
  sec = {};
  sec.uleb(m.func_types.size() - m.nimports);
  for (size_t i = m.nimports; i < m.func_types.size(); ++i) sec.uleb(m.func_types[i]);
  mod.section(wnn::test::kFunction, sec);
  sec = {};
  sec.uleb(2);
  for (auto [lo, hi] : {std::pair{m.table_min, m.table_max}, std::pair{m.table1_min, m.table1_max}}) {
    sec.u8(0x70);
    sec.u8(1);
    sec.uleb(lo);
    sec.uleb(hi);
  }
  mod.section(wnn::test::kTable, sec);
  sec = {};
  sec.uleb(1);
  sec.u8(1);
  sec.uleb(m.mem_min);
  sec.uleb(m.mem_max);
  mod.section(wnn::test::kMemory, sec);
  sec = {};
  sec.uleb(m.globals.size());
  for (const Global& g : m.globals) {
    sec.u8(g.t);
    sec.u8(g.mut ? 1 : 0);
    emit_const(sec, g.t, g.init);
    sec.u8(0x0B);
  }
  mod.section(wnn::test::kGlobal, sec);
  sec = {};
  if (diff) {
    sec.uleb(nfuncs + 1);
    for (uint32_t f = 0; f < nfuncs; ++f) {
      sec.name("e" + std::to_string(f));
      sec.u8(0);
      sec.uleb(nfuncs + f);
    }
    sec.name("state");
    sec.u8(0);
    sec.uleb(2 * nfuncs);
  } else {
    sec.uleb(m.ngen + 2);
    for (uint32_t f = m.nimports; f < nfuncs; ++f) {
      sec.name("f" + std::to_string(f));
      sec.u8(0);
      sec.uleb(f);
    }
    sec.name("memory");
    sec.u8(2);
    sec.uleb(0);
    sec.name("table");
    sec.u8(1);
    sec.uleb(0);
  }
  mod.section(wnn::test::kExport, sec);
  if (start) {
    sec = {};
    sec.uleb(*start);
    mod.section(wnn::test::kStart, sec);
  }
  sec = {};
  sec.uleb(3);
  sec.u8(0);  // 0: active, table 0
  emit_const(sec, I32, m.elem_offset);
  sec.u8(0x0B);
  sec.uleb(m.elems.size());
  for (uint32_t e : m.elems) sec.uleb(e);
  sec.u8(1);  // 1: passive, for table.init
  sec.u8(0);
  sec.uleb(m.passive_elems.size());
  for (uint32_t e : m.passive_elems) sec.uleb(e);
  sec.u8(3);  // 2: declarative, every function: ref.func may name any
  sec.u8(0);
  sec.uleb(nfuncs);
  for (uint32_t f = 0; f < nfuncs; ++f) sec.uleb(f);
  mod.section(wnn::test::kElement, sec);
  if (!m.datas.empty()) {
    sec = {};
    sec.uleb(m.datas.size());
    mod.section(wnn::test::kDataCount, sec);
  }
  sec = {};
  sec.uleb(m.bodies.size());
  for (const Buf& b : m.bodies) {
    sec.uleb(b.b.size());
    sec.append(b);
  }
  mod.section(wnn::test::kCode, sec);
  if (!m.datas.empty()) {
    sec = {};
    sec.uleb(m.datas.size());
    for (const Module::Data& d : m.datas) {
      if (d.passive) {
        sec.u8(1);
      } else {
        sec.u8(0);
        emit_const(sec, I32, d.offset);
        sec.u8(0x0B);
      }
      sec.uleb(d.bytes.size());
      sec.b.insert(sec.b.end(), d.bytes.begin(), d.bytes.end());
    }
    mod.section(wnn::test::kData, sec);
  }
  return std::move(mod.b);
}

std::vector<uint8_t> seed_bytes(uint64_t seed, uint64_t max_bytes) {
  uint64_t s = seed;
  auto next = [&s] {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  s = next();
  std::vector<uint8_t> bytes(64 + next() % max_bytes);
  for (auto& b : bytes) b = uint8_t(next());
  return bytes;
}

}  // namespace wnn_test
