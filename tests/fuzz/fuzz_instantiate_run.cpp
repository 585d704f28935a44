// Fuzz target (b): instantiate and run modules.
//
// The input is taken as a module. If it compiles, its imports are all from
// the `spectest` host module (print functions, globals, table, memory), and
// it provably terminates quickly (see `bounded` below), it is instantiated
// (start function included) and every exported function is invoked with
// arguments derived from the input. Traps and link errors are fine; crashes,
// sanitizer reports and hangs are not.
//
// Termination: wnn has no fuel or epoch limit yet (issue 7 item 4), so a
// module that loops forever would hang the fuzzer. Instead of a fork and an
// alarm per input (slow, and the child's coverage is lost), modules are run
// only when their cost is statically bounded:
//   - no `loop` instruction in any body (all other control flow is forward);
//   - no cycle in the call graph, where call_indirect/return_call_indirect/
//     call_ref may call any function that can become a reference (elem
//     segment items, ref.func in global initialisers and bodies);
//   - the worst-case count of executed instructions, summed over the call
//     DAG (bulk memory/table operations weigh kBulkCost), is below kBudget;
//   - memories and tables stay small: min <= 256 pages / 100000 elements,
//     and a declared max within those limits if the module can grow them.
// This is a filter on what gets run, not a soundness requirement of wnn:
// loops are exercised by the spec tests and will be fuzzed once fuel exists.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "wnn/runtime.h"

namespace {

constexpr uint64_t kBudget = 2'000'000;
constexpr uint64_t kBulkCost = 20'000;
constexpr uint64_t kMaxPages = 256;
constexpr uint64_t kMaxTableElems = 100'000;

struct Reader {
  const uint8_t* p;
  const uint8_t* end;
  bool ok = true;
  uint8_t byte() {
    if (p >= end) {
      ok = false;
      return 0;
    }
    return *p++;
  }
  uint64_t leb() {  // unsigned or signed, we only need to skip or read small values
    uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      uint8_t b = byte();
      if (shift < 64) v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    ok = false;
    return v;
  }
  void skip(size_t n) {
    if (size_t(end - p) < n) {
      ok = false;
      p = end;
    } else {
      p += n;
    }
  }
};

struct BodyFacts {
  bool has_loop = false;
  bool indirect = false;            // call_indirect, return_call_indirect, call_ref
  bool grows_memory = false, grows_table = false;
  uint64_t instrs = 0, bulk = 0;
  std::vector<uint32_t> calls;      // direct callees, one entry per call site
  std::vector<uint32_t> refs;       // ref.func operands
};

// Walks a *validated* body: immediates only need to be skipped correctly.
bool scan_body(const uint8_t* b, const uint8_t* e, BodyFacts& f) {
  Reader r{b, e};
  // locals were decoded separately: Code::body_offset is the first instruction
  while (r.ok && r.p < r.end) {
    uint8_t op = r.byte();
    ++f.instrs;
    switch (op) {
      case 0x03: f.has_loop = true; r.leb(); break;
      case 0x02: case 0x04: r.leb(); break;  // blocktype (s33)
      case 0x0C: case 0x0D: case 0x20: case 0x21: case 0x22: case 0x23: case 0x24:
      case 0x25: case 0x26: r.leb(); break;
      case 0xD2: f.refs.push_back(uint32_t(r.leb())); break;
      case 0x0E: {
        uint64_t n = r.leb();
        for (uint64_t i = 0; i <= n && r.ok; ++i) r.leb();
        break;
      }
      case 0x10: case 0x12: f.calls.push_back(uint32_t(r.leb())); break;
      case 0x11: case 0x13: f.indirect = true; r.leb(); r.leb(); break;
      case 0x14: case 0x15: f.indirect = true; r.leb(); break;
      case 0x1C: {
        uint64_t n = r.leb();
        for (uint64_t i = 0; i < n && r.ok; ++i) r.byte();
        break;
      }
      case 0x3F: r.leb(); break;
      case 0x40: f.grows_memory = true; r.leb(); break;
      case 0x41: case 0x42: r.leb(); break;
      case 0x43: r.skip(4); break;
      case 0x44: r.skip(8); break;
      case 0xD0: r.byte(); break;
      default:
        if (op >= 0x28 && op <= 0x3E) {
          r.leb();
          r.leb();
        } else if (op == 0xFC) {
          uint64_t sub = r.leb();
          switch (sub) {
            case 8: r.leb(); r.leb(); ++f.bulk; break;
            case 9: case 13: r.leb(); break;
            case 10: r.leb(); r.leb(); ++f.bulk; break;
            case 11: r.leb(); ++f.bulk; break;
            case 12: case 14: r.leb(); r.leb(); ++f.bulk; break;
            case 15: f.grows_table = true; r.leb(); break;
            case 16: r.leb(); break;
            case 17: r.leb(); ++f.bulk; break;
            default: break;  // 0..7: saturating truncations
          }
        } else if (op == 0xFD) {
          uint64_t sub = r.leb();
          if (sub <= 11 || sub == 92 || sub == 93) {
            r.leb();
            r.leb();
          } else if (sub == 12 || sub == 13) {
            r.skip(16);
          } else if (sub >= 21 && sub <= 34) {
            r.byte();
          } else if (sub >= 84 && sub <= 91) {
            r.leb();
            r.leb();
            r.byte();
          }
        }
        break;
    }
  }
  return r.ok;
}

bool small_limits(const wnn::Limits& l, uint64_t max_allowed, bool can_grow) {
  if (l.min > max_allowed) return false;
  if (can_grow && (!l.max || *l.max > max_allowed)) return false;
  return true;
}

// True when running this module (start + every export once) is cheap.
bool bounded(const wnn::Module& m) {
  const size_t nimp = m.num_imported_funcs;
  const size_t n = nimp + m.codes.size();
  std::vector<BodyFacts> facts(m.codes.size());
  bool grows_memory = false, grows_table = false, any_indirect = false;
  for (size_t i = 0; i < m.codes.size(); ++i) {
    const wnn::Code& c = m.codes[i];
    if (uint64_t(c.body_offset) + c.body_size > m.bytes.size()) return false;
    const uint8_t* b = m.bytes.data() + c.body_offset;
    if (!scan_body(b, b + c.body_size, facts[i])) return false;
    if (facts[i].has_loop) return false;
    grows_memory |= facts[i].grows_memory;
    grows_table |= facts[i].grows_table;
    any_indirect |= facts[i].indirect;
  }
  for (const auto& t : m.tables)
    if (!small_limits(t.limits, kMaxTableElems, grows_table)) return false;
  for (const auto& mem : m.memories)
    if (!small_limits(mem.limits, kMaxPages, grows_memory)) return false;

  // Worst-case cost per function over the call DAG (memoised DFS; a cycle
  // means unbounded). Imported (host) functions cost 1.
  enum : uint8_t { kNew, kActive, kDone };
  std::vector<uint8_t> state(n, kNew);
  std::vector<uint64_t> cost(n, 1);
  uint64_t max_any = 1;  // bound for an indirect call: the dearest function
  (void)any_indirect;
  // An indirect call counts as a call to each possible target (cycle check),
  // with the cost of the dearest one.
  bool cyclic = false;
  auto add = [](uint64_t a, uint64_t b) { return a + b < a || a + b > kBudget * 4 ? kBudget * 4 : a + b; };
  std::vector<std::pair<uint32_t, size_t>> stack;  // (function, next edge)
  // Functions an indirect call may reach: those that can become references
  // (elem segment items, ref.func in global initialisers and in bodies; the
  // only imported table and globals, spectest's, hold no function references).
  std::vector<uint32_t> targets;
  {
    std::vector<bool> seen(n, false);
    auto note = [&](uint64_t x) {
      if (x >= nimp && x < n && !seen[x]) {
        seen[x] = true;
        targets.push_back(uint32_t(x));
      }
    };
    for (const auto& el : m.elems)
      for (const auto& item : el.items)
        for (const auto& ins : item.instrs)
          if (ins.opcode == 0xD2) note(ins.imm);
    for (const auto& g : m.globals)
      for (const auto& ins : g.init.instrs)
        if (ins.opcode == 0xD2) note(ins.imm);
    for (const auto& bf : facts)
      for (uint32_t x : bf.refs) note(x);
  }
  auto edges_of = [&](uint32_t f, size_t k, uint32_t& to) -> bool {
    const BodyFacts& bf = facts[f - nimp];
    if (k < bf.calls.size()) {
      to = bf.calls[k];
      return true;
    }
    k -= bf.calls.size();
    if (bf.indirect && k < targets.size()) {
      to = targets[k];
      return true;
    }
    return false;
  };
  for (uint32_t root = uint32_t(nimp); root < n && !cyclic; ++root) {
    if (state[root] != kNew) continue;
    stack.push_back({root, 0});
    state[root] = kActive;
    while (!stack.empty() && !cyclic) {
      auto& [f, k] = stack.back();
      uint32_t to;
      if (edges_of(f, k, to)) {
        ++k;
        if (to < nimp || state[to] == kDone) continue;
        if (state[to] == kActive) {
          cyclic = true;
          break;
        }
        state[to] = kActive;
        stack.push_back({to, 0});
        continue;
      }
      // all callees done: compute f's cost
      const BodyFacts& bf = facts[f - nimp];
      uint64_t c = add(bf.instrs, bf.bulk * kBulkCost);
      for (uint32_t callee : bf.calls) c = add(c, cost[callee]);
      if (bf.indirect) {
        uint64_t dearest = 1;
        for (uint32_t t : targets) dearest = std::max(dearest, cost[t]);
        // every indirect call site may call the dearest function
        c = add(c, dearest > kBudget ? kBudget * 4 : dearest * std::min<uint64_t>(bf.instrs, kBudget));
      }
      cost[f] = c;
      max_any = std::max(max_any, c);
      state[f] = kDone;
      stack.pop_back();
    }
  }
  if (cyclic) return false;
  // start + one call of each export
  uint64_t total = m.start ? cost[*m.start] : 0;
  for (const auto& e : m.exports)
    if (e.kind == wnn::ExternKind::Func && e.index < n) total = add(total, cost[e.index]);
  return total <= kBudget;
}

struct Spectest {
  std::vector<std::pair<std::string, wnn::Extern>> objects;
};

void make_spectest(wnn::Store& store, Spectest& out) {
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
    wnn::FuncInst* f = store.create_host_function(
        wnn::FuncType{p.params, {}}, [](wnn::HostContext&, uint64_t*) -> wnn::Expected<void> { return {}; },
        std::string("spectest.") + p.name);
    out.objects.push_back({p.name, wnn::Extern{wnn::ExternKind::Func, f}});
  }
  auto global = [&](const char* name, ValType t, wnn::Value v) {
    out.objects.push_back({name, wnn::Extern{wnn::ExternKind::Global, store.create_global({t, false}, v)}});
  };
  global("global_i32", ValType::I32, wnn::Value::i32(666));
  global("global_i64", ValType::I64, wnn::Value::i64(666));
  global("global_f32", ValType::F32, wnn::Value::f32(666.6f));
  global("global_f64", ValType::F64, wnn::Value::f64(666.6));
  wnn::TableType tt;
  tt.elem = ValType::FuncRef;
  tt.limits = wnn::Limits{10, 20};
  if (auto t = store.create_table(tt)) out.objects.push_back({"table", wnn::Extern{wnn::ExternKind::Table, *t}});
  wnn::MemoryType mt;
  mt.limits = wnn::Limits{1, 2};
  if (auto mem = store.create_memory(mt)) out.objects.push_back({"memory", wnn::Extern{wnn::ExternKind::Memory, *mem}});
}

// Arguments derived from the input: mostly small values, some edge cases.
struct ArgGen {
  uint64_t state;
  uint64_t next() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    uint64_t x = state >> 11;
    switch (x & 7) {
      case 0: case 1: return 0;
      case 2: return 1;
      case 3: return ~uint64_t(0);
      case 4: return (x >> 3) & 0xffff;
      case 5: return uint64_t(1) << ((x >> 3) & 63);
      default: return x * 0x9E3779B97F4A7C15ull;
    }
  }
};

// WNN_FUZZ_STATS=1: at exit, how far the inputs got (to tune the filter).
struct Stats {
  uint64_t inputs = 0, compiled = 0, imports_ok = 0, bounded = 0, instantiated = 0, calls = 0;
  bool on = std::getenv("WNN_FUZZ_STATS") != nullptr;
  ~Stats() {
    if (on)
      std::fprintf(stderr, "fuzz_instantiate_run: %llu inputs, %llu compiled, %llu spectest-only, %llu bounded, "
                   "%llu instantiated, %llu calls\n", (unsigned long long)inputs, (unsigned long long)compiled,
                   (unsigned long long)imports_ok, (unsigned long long)bounded, (unsigned long long)instantiated,
                   (unsigned long long)calls);
  }
};
Stats stats;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ++stats.inputs;
  auto compiled = wnn::compile(std::vector<uint8_t>(data, data + size));
  if (!compiled) return 0;
  ++stats.compiled;
  const wnn::Module& m = wnn::module_of(**compiled);
  for (const auto& imp : m.imports)
    if (imp.module != "spectest") return 0;
  ++stats.imports_ok;
  if (!bounded(m)) return 0;
  ++stats.bounded;

  wnn::StoreConfig config;
  config.max_call_depth = 2000;
  config.value_stack_slots = 1 << 16;
  wnn::Store store(config);
  Spectest spectest;
  make_spectest(store, spectest);
  auto inst = store.instantiate(*compiled, [&](std::string_view mod, std::string_view name) -> std::optional<wnn::Extern> {
    if (mod != "spectest") return std::nullopt;
    for (const auto& [n, e] : spectest.objects)
      if (n == name) return e;
    return std::nullopt;
  });
  if (!inst) return 0;
  ++stats.instantiated;

  uint64_t seed = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < size; ++i) seed = (seed ^ data[i]) * 0x100000001b3ull;
  ArgGen gen{seed};
  for (const auto& [name, ext] : store.exports(*inst)) {
    wnn::FuncInst* f = ext.func();
    if (!f) continue;
    std::vector<wnn::Value> args;
    for (wnn::ValType t : store.func_type(f).params) {
      switch (t) {
        case wnn::ValType::I32: args.push_back(wnn::Value::i32(uint32_t(gen.next()))); break;
        case wnn::ValType::I64: args.push_back(wnn::Value::i64(gen.next())); break;
        case wnn::ValType::F32: args.push_back(wnn::Value::f32_bits(uint32_t(gen.next()))); break;
        case wnn::ValType::F64: args.push_back(wnn::Value::f64_bits(gen.next())); break;
        case wnn::ValType::V128: args.push_back(wnn::Value::v128(gen.next(), gen.next())); break;
        default: args.push_back(wnn::Value::ref(t, 0)); break;
      }
    }
    ++stats.calls;
    (void)store.invoke(f, args);
  }
  return 0;
}
