// Random i32 programs (locals, tee, blocks/loops/ifs with params and results,
// br/br_if/br_table/return carrying values, select, drop, calls, a global,
// loads and stores) are run through the
// translator and interpreter and compared with a direct evaluation of the
// program here: a differential test of local.get elision, result patching and
// branch copies.
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <optional>
#include <sstream>

#include "compile_checks.h"
#include "rng.h"
#include "wnn/runtime.h"

namespace wnn::valid::test {
using namespace wnn::test;
namespace {

using enum ValType;

constexpr int kParams = 3, kLocals = 4, kResults = 2;  // few locals: more aliasing
constexpr int kMaxArity = 2;

enum class K {
  Get,
  Set,
  Tee,
  Const,
  Bin,
  Drop,
  Select,
  Block,
  Loop,
  If,
  Br,
  BrIf,
  BrTable,
  Call,
  GGet,
  GSet,
  Load,
  Store
};

struct Ins {
  Ins(K kind, uint32_t i = 0, int arity = 0) : k(kind), imm(i), p(arity) {}
  K k;
  uint32_t imm = 0;               // local, constant, opcode, or branch depth
  int p = 0, r = 0;               // block type; for branches: the label's arity
  std::vector<Ins> body, other;   // block/loop/then; else
  std::vector<uint32_t> table;    // br_table targets (last = default)
};

struct Label {
  int arity;
  bool target;  // loops are never branched to (no back edges: programs terminate)
};

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_{seed} {}

  std::vector<Ins> function() {
    labels_ = {{kResults, true}};
    return body(3, 0, kResults);
  }

 private:
  // A sequence starting at height h that ends with exactly r values, or
  // with an unconditional branch.
  std::vector<Ins> body(int depth, int h, int r) {
    std::vector<Ins> out;
    int n = int(rng_.below(11));
    for (int i = 0; i < n; ++i) {
      switch (rng_.below(17)) {
        case 0:
        case 1:
        case 2:
          out.push_back({K::Get, rng_.below(kLocals)});
          ++h;
          break;
        case 3:
          out.push_back({K::Const, uint32_t(rng_.next())});
          ++h;
          break;
        case 4:
        case 5:
        case 6:
          if (h >= 1) {
            bool set = rng_.below(2);
            out.push_back({set ? K::Set : K::Tee, rng_.below(kLocals)});
            if (set) --h;
          }
          break;
        case 7:
          if (h >= 2) {
            out.push_back({K::Bin, kBinops[rng_.below(4)]});
            --h;
          }
          break;
        case 8:
          if (h >= 1) {
            out.push_back({K::Drop});
            --h;
          }
          break;
        case 9:
          if (h >= 2) {
            cond(out, 1);
            out.push_back({K::Select});
            --h;
          }
          break;
        case 10:
        case 11:
          if (depth > 0) h = block(out, depth, h);
          break;
        case 14:  // call $g: (i32 i32) -> (i32 i32)
          if (h >= 2) out.push_back({K::Call});
          break;
        case 15:
          if (h >= 1 && rng_.below(2)) {
            out.push_back({K::GSet});
            --h;
          } else {
            out.push_back({K::GGet});
            ++h;
          }
          break;
        case 16:  // an address (local & 0xFC), then a load, or a local stored there
          cond(out, 0xFC);
          if (rng_.below(2)) {
            out.push_back({K::Load});
            ++h;
          } else {
            out.push_back({K::Get, rng_.below(kLocals)});
            out.push_back({K::Store});
          }
          break;
        default: {
          int l = target_label();
          if (l < 0 || h < labels_[l].arity) break;
          cond(out, 1);
          out.push_back({K::BrIf, uint32_t(labels_.size() - 1 - l), labels_[l].arity});
          break;
        }
      }
    }
    if (rng_.below(5) == 0 && ends_with_branch(out, h)) return out;
    while (h > r) {
      if (h >= 2 && rng_.below(2))
        out.push_back({K::Bin, kBinops[rng_.below(4)]});
      else
        out.push_back({K::Drop});
      --h;
    }
    for (; h < r; ++h) out.push_back(rng_.below(2) ? Ins{K::Get, rng_.below(kLocals)} : Ins{K::Const, rng_.below(100)});
    return out;
  }

  int block(std::vector<Ins>& out, int depth, int h) {
    K k = std::array{K::Block, K::Loop, K::If}[rng_.below(3)];
    Ins b{k};
    b.p = int(rng_.below(uint32_t(std::min(h, kMaxArity) + 1)));
    b.r = int(rng_.below(kMaxArity + 1));
    if (k == K::If) cond(out, 1);
    labels_.push_back({k == K::Loop ? b.p : b.r, k != K::Loop});
    b.body = body(depth - 1, b.p, b.r);
    if (k == K::If) b.other = body(depth - 1, b.p, b.r);
    labels_.pop_back();
    int after = h - b.p + b.r;
    out.push_back(std::move(b));
    return after;
  }

  // Pushes a condition: local.get x, i32.const mask, i32.and.
  void cond(std::vector<Ins>& out, uint32_t mask) {
    out.push_back({K::Get, rng_.below(kLocals)});
    out.push_back({K::Const, mask});
    out.push_back({K::Bin, 0x71});
  }

  int target_label() {
    for (int tries = 0; tries < 4; ++tries) {
      int l = int(rng_.below(uint32_t(labels_.size())));
      if (labels_[l].target) return l;
    }
    return -1;
  }

  bool ends_with_branch(std::vector<Ins>& out, int h) {
    int l = target_label();
    if (l < 0 || h < labels_[l].arity) return false;
    uint32_t depth = uint32_t(labels_.size() - 1 - l);
    if (rng_.below(2)) {
      out.push_back({K::Br, depth, labels_[l].arity});
      return true;
    }
    Ins t{K::BrTable, 0, labels_[l].arity};
    for (size_t i = 0; i < labels_.size(); ++i)
      if (labels_[i].target && labels_[i].arity == labels_[l].arity)
        t.table.push_back(uint32_t(labels_.size() - 1 - i));
    for (int i = int(rng_.below(3)); i > 0; --i) t.table.push_back(t.table[rng_.below(uint32_t(t.table.size()))]);
    t.table.push_back(depth);
    cond(out, 3);
    out.push_back(std::move(t));
    return true;
  }

  static constexpr uint32_t kBinops[4] = {0x6A, 0x6B, 0x6C, 0x73};  // add sub mul xor
  Rng rng_;
  std::vector<Label> labels_;
};

uint32_t binop(uint32_t op, uint32_t a, uint32_t b) {
  switch (op) {
    case 0x6A: return a + b;
    case 0x6B: return a - b;
    case 0x6C: return a * b;
    case 0x71: return a & b;
    default: return a ^ b;
  }
}

// Direct evaluation.
// The callee $g: (a, b) -> (b + 1, a * 3).
Bytes callee_body() { return {0x20, 1, 0x41, 1, 0x6A, 0x20, 0, 0x41, 3, 0x6C, 0x0B}; }

// Instance state that outlives one call.
struct State {
  uint32_t global = 0;
  uint32_t mem[64] = {};  // the first 256 bytes of memory, as words
};

struct Eval {
  explicit Eval(State& s) : state(s) {}
  State& state;
  std::vector<uint32_t> st;
  uint32_t locals[kLocals] = {};
  std::vector<uint32_t> carried;

  uint32_t pop() {
    uint32_t v = st.back();
    st.pop_back();
    return v;
  }
  int branch(uint32_t depth, int arity) {
    carried.assign(st.end() - arity, st.end());
    return int(depth);
  }
  // -1: fell through; otherwise the depth of the branch target.
  int run(const std::vector<Ins>& seq) {
    for (const Ins& in : seq) {
      switch (in.k) {
        case K::Get: st.push_back(locals[in.imm]); break;
        case K::Set: locals[in.imm] = pop(); break;
        case K::Tee: locals[in.imm] = st.back(); break;
        case K::Const: st.push_back(in.imm); break;
        case K::Bin: {
          uint32_t b = pop(), a = pop();
          st.push_back(binop(in.imm, a, b));
          break;
        }
        case K::Drop: pop(); break;
        case K::Select: {
          uint32_t c = pop(), b = pop(), a = pop();
          st.push_back(c ? a : b);
          break;
        }
        case K::Block:
        case K::Loop:
        case K::If: {
          bool then = in.k != K::If || pop() != 0;
          size_t base = st.size() - size_t(in.p);
          int res = run(then ? in.body : in.other);
          if (res == 0) {
            st.resize(base);
            st.insert(st.end(), carried.begin(), carried.end());
          } else if (res > 0) {
            return res - 1;
          }
          break;
        }
        case K::Br: return branch(in.imm, in.p);
        case K::BrIf:
          if (pop()) return branch(in.imm, in.p);
          break;
        case K::BrTable: {
          uint32_t i = pop();
          return branch(i < in.table.size() - 1 ? in.table[i] : in.table.back(), in.p);
        }
        case K::Call: {
          uint32_t b = pop(), a = pop();
          st.push_back(b + 1);
          st.push_back(a * 3);
          break;
        }
        case K::GGet: st.push_back(state.global); break;
        case K::GSet: state.global = pop(); break;
        case K::Load: st.push_back(state.mem[pop() / 4]); break;
        case K::Store: {
          uint32_t v = pop();
          state.mem[pop() / 4] = v;
          break;
        }
      }
    }
    return -1;
  }
};

void emit(const std::vector<Ins>& seq, Bytes& out) {
  auto bt = [](const Ins& in) -> Bytes {
    if (in.p == 0 && in.r == 0) return {0x40};
    if (in.p == 0 && in.r == 1) return {0x7F};
    return uleb(uint64_t(1 + in.p * (kMaxArity + 1) + in.r));
  };
  for (const Ins& in : seq) {
    switch (in.k) {
      case K::Get: append(out, cat({{0x20}, uleb(in.imm)})); break;
      case K::Set: append(out, cat({{0x21}, uleb(in.imm)})); break;
      case K::Tee: append(out, cat({{0x22}, uleb(in.imm)})); break;
      case K::Const: append(out, i32_const(int32_t(in.imm))); break;
      case K::Bin: out.push_back(uint8_t(in.imm)); break;
      case K::Drop: out.push_back(0x1A); break;
      case K::Select: out.push_back(0x1B); break;
      case K::Block:
      case K::Loop:
      case K::If:
        out.push_back(in.k == K::Block ? 0x02 : in.k == K::Loop ? 0x03 : 0x04);
        append(out, bt(in));
        emit(in.body, out);
        if (in.k == K::If) {
          out.push_back(0x05);
          emit(in.other, out);
        }
        out.push_back(0x0B);
        break;
      case K::Br: append(out, cat({{0x0C}, uleb(in.imm)})); break;
      case K::BrIf: append(out, cat({{0x0D}, uleb(in.imm)})); break;
      case K::BrTable:
        append(out, cat({{0x0E}, uleb(in.table.size() - 1)}));
        for (uint32_t t : in.table) append(out, uleb(t));
        break;
      case K::Call: append(out, {0x10, 0x00}); break;
      case K::GGet: append(out, {0x23, 0x00}); break;
      case K::GSet: append(out, {0x24, 0x00}); break;
      case K::Load: append(out, {0x28, 0x02, 0x00}); break;
      case K::Store: append(out, {0x36, 0x02, 0x00}); break;
    }
  }
}

std::string hex(const Bytes& b) {
  std::ostringstream s;
  for (uint8_t x : b) s << std::hex << (x < 16 ? "0" : "") << int(x) << ' ';
  return s.str();
}

TEST(Differential, RandomProgramsAgreeWithDirectEvaluation) {
  const std::vector<std::array<uint32_t, kParams>> inputs = {{0, 0, 0},          {1, 2, 3}, {5, 0, 7},
                                                             {0xFFFFFFFF, 6, 1}, {2, 3, 0}, {7, 7, 6}};
  // $WNN_DIFF_SEEDS runs more programs (e.g. 100000 for a longer search).
  uint64_t seeds = 400;
  if (const char* env = std::getenv("WNN_DIFF_SEEDS"); env && *env) seeds = std::strtoull(env, nullptr, 10);
  uint64_t compared = 0;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    std::vector<Ins> prog = Gen(seed * 0x9E3779B97F4A7C15ull).function();
    Bytes code;
    emit(prog, code);
    code.push_back(0x0B);
    ModuleBuilder m;
    uint32_t ft = m.type({I32, I32, I32}, {I32, I32});
    for (int p = 0; p <= kMaxArity; ++p)
      for (int r = 0; r <= kMaxArity; ++r)
        m.type(std::vector<ValType>(size_t(p), I32), std::vector<ValType>(size_t(r), I32));
    m.func(1 + 2 * (kMaxArity + 1) + 2, callee_body());  // function 0: $g (i32 i32) -> (i32 i32)
    m.export_func("f", m.func(ft, code, {{kLocals - kParams, I32}}));
    m.memory(1);
    m.global(I32, true, i32_const(0));
    auto c = compile(m.build());
    ASSERT_TRUE(c.ok()) << "seed " << seed << ": " << c.error().message << "\nbody: " << hex(code);
    StoreConfig config;
    config.value_stack_slots = 1 << 14;  // a small stack: one store per program
    Store store(config);
    auto inst = store.instantiate(*c, [](std::string_view, std::string_view) { return std::optional<Extern>{}; });
    ASSERT_TRUE(inst.ok()) << inst.error().message;
    FuncInst* f = store.find_export(*inst, "f")->func();
    State state;
    for (const auto& in : inputs) {
      Eval ev(state);
      for (int i = 0; i < kParams; ++i) ev.locals[i] = in[size_t(i)];
      std::vector<uint32_t> want =
          ev.run(prog) >= 0 ? ev.carried : std::vector<uint32_t>(ev.st.end() - kResults, ev.st.end());
      auto r = store.invoke(f, std::vector<Value>{Value::i32(in[0]), Value::i32(in[1]), Value::i32(in[2])});
      ASSERT_TRUE(r.ok()) << r.error().message;
      std::vector<uint32_t> got;
      for (const Value& v : *r) got.push_back(v.as_u32());
      ASSERT_EQ(got, want) << "seed " << seed << ", inputs " << in[0] << " " << in[1] << " " << in[2]
                           << "\nbody: " << hex(code);
      ++compared;
    }
  }
  EXPECT_EQ(compared, seeds * inputs.size());
}

}  // namespace
}  // namespace wnn::valid::test
