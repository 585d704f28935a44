// Function bodies of the module generator. Bodies are built by a walk that
// keeps the validator's view of the operand stack (types per control
// frame): each step picks an instruction, first pushing simple values
// (constants, local.get, global.get) for any operand the stack does not
// already hold, so every step is valid. A frame ends by dropping or pushing
// values until its stack is its result types; after br/br_table/return/
// unreachable the frame ends at once (its stack is then polymorphic).
#include "module_gen_internal.h"

namespace wnn_test::gen {
namespace {

struct Op {
  uint8_t prefix, code;  // prefix 0: one-byte opcode
  VT in, out;
};

// Conversions, reinterpretations and sign extensions: one operand, one result.
constexpr Op kConversions[] = {
    {0, 0xA7, I64, I32}, {0, 0xA8, F32, I32}, {0, 0xA9, F32, I32}, {0, 0xAA, F64, I32}, {0, 0xAB, F64, I32},
    {0, 0xAC, I32, I64}, {0, 0xAD, I32, I64}, {0, 0xAE, F32, I64}, {0, 0xAF, F32, I64}, {0, 0xB0, F64, I64},
    {0, 0xB1, F64, I64}, {0, 0xB2, I32, F32}, {0, 0xB3, I32, F32}, {0, 0xB4, I64, F32}, {0, 0xB5, I64, F32},
    {0, 0xB6, F64, F32}, {0, 0xB7, I32, F64}, {0, 0xB8, I32, F64}, {0, 0xB9, I64, F64}, {0, 0xBA, I64, F64},
    {0, 0xBB, F32, F64}, {0, 0xBC, F32, I32}, {0, 0xBD, F64, I64}, {0, 0xBE, I32, F32}, {0, 0xBF, I64, F64},
    {0, 0xC0, I32, I32}, {0, 0xC1, I32, I32}, {0, 0xC2, I64, I64}, {0, 0xC3, I64, I64}, {0, 0xC4, I64, I64},
    {0xFC, 0, F32, I32}, {0xFC, 1, F32, I32}, {0xFC, 2, F64, I32}, {0xFC, 3, F64, I32}, {0xFC, 4, F32, I64},
    {0xFC, 5, F32, I64}, {0xFC, 6, F64, I64}, {0xFC, 7, F64, I64},
};

struct MemOp {
  uint8_t code;
  VT t;
  uint8_t align;  // natural alignment, log2
};
constexpr MemOp kLoads[] = {{0x28, I32, 2}, {0x29, I64, 3}, {0x2A, F32, 2}, {0x2B, F64, 3}, {0x2C, I32, 0},
                            {0x2D, I32, 0}, {0x2E, I32, 1}, {0x2F, I32, 1}, {0x30, I64, 0}, {0x31, I64, 0},
                            {0x32, I64, 1}, {0x33, I64, 1}, {0x34, I64, 2}, {0x35, I64, 2}};
constexpr MemOp kStores[] = {{0x36, I32, 2}, {0x37, I64, 3}, {0x38, F32, 2}, {0x39, F64, 3}, {0x3A, I32, 0},
                             {0x3B, I32, 1}, {0x3C, I64, 0}, {0x3D, I64, 1}, {0x3E, I64, 2}};

// Per-type opcode ranges: unary, binary, test (eqz), compare.
struct NumOps {
  uint8_t un_lo, un_hi, bin_lo, bin_hi, cmp_lo, cmp_hi;
  int eqz;  // -1: none
};
const NumOps& num_ops(VT t) {
  static constexpr NumOps i32{0x67, 0x69, 0x6A, 0x78, 0x46, 0x4F, 0x45}, i64{0x79, 0x7B, 0x7C, 0x8A, 0x51, 0x5A, 0x50},
      f32{0x8B, 0x91, 0x92, 0x98, 0x5B, 0x60, -1}, f64{0x99, 0x9F, 0xA0, 0xA6, 0x61, 0x66, -1};
  return t == I32 ? i32 : t == I64 ? i64 : t == F32 ? f32 : f64;
}

// Generates one function body.
class Body : public Walk {
 public:
  Body(Module& m, Src& in, uint32_t func, int budget) : m_(m), in_(in), func_(func), budget_(budget) {
    const FuncSig& s = m.sig(func);
    locals_ = s.params;
    nparams_ = locals_.size();
    for (uint32_t n = in.below(6); n > 0; --n) locals_.push_back(in.any_type());
    nuser_ = locals_.size();
  }

  Buf run() {
    const FuncSig& s = m_.sig(func_);
    ctl_.push_back({kFunc, {}, s.results, 0});
    while (!ctl_.empty()) {
      Ctl& c = ctl_.back();
      if (c.dead || budget_ <= 0 || in_.done() || in_.below(256) < (ctl_.size() > 1 ? 10u : 2u)) {
        close();
        continue;
      }
      --budget_;
      if (height() > 10) {
        consume();
      } else {
        step();
      }
    }
    Buf body;  // locals, grouped in runs of one type
    std::vector<std::pair<uint32_t, VT>> runs;
    for (size_t i = nparams_; i < locals_.size(); ++i) {
      if (!runs.empty() && runs.back().second == locals_[i])
        ++runs.back().first;
      else
        runs.push_back({1, locals_[i]});
    }
    body.uleb(runs.size());
    for (auto [n, t] : runs) {
      body.uleb(n);
      body.u8(t);
    }
    body.append(out_);
    return body;
  }

 private:
  enum Kind : uint8_t { kFunc, kBlock, kLoop, kIf, kElse, kLoopWrap };
  struct Ctl {
    Kind kind;
    Types params, results;
    size_t base;        // stack height below the frame's params
    bool dead = false;  // after an unconditional branch: only `end`/`else` may follow
    bool plain = false;  // a loop kept free of calls and stubs (below)
    int counter = -1;    // a counted loop's counter local (falls by 1 a trip; a rising loop's j)
  };

  Module& m_;
  Src& in_;
  uint32_t func_;
  int budget_;
  Buf out_;
  Types locals_;
  size_t nparams_ = 0, nuser_ = 0;  // locals below nuser_ are the generated code's to use
  Types stack_;
  std::vector<Ctl> ctl_;
  int loops_ = 0;
  // Open "plain" loops: no calls, table or bulk instructions, memory.size or
  // memory.grow inside, so that the compiler tier's charge-free copy of
  // counted loops (src/jit/charged_loops.cpp) gets generated code to run.
  int plain_ = 0;
  int scratch_[2] = {-1, -1};  // f32 and f64 locals of canonicalize()
  int scratch_v128_ = -1;

  // Walk, for module_gen_simd.cpp.
  Src& in() override { return in_; }
  Buf& out() override { return out_; }
  bool diff() const override { return m_.cfg.differential; }
  uint32_t scratch(VT t) override {
    int& s = t == V128 ? scratch_v128_ : scratch_[t == F32 ? 0 : 1];
    if (s < 0) s = int(new_local(t));
    return uint32_t(s);
  }
  size_t height() const { return stack_.size() - ctl_.back().base; }
  static const Types& label(const Ctl& c) { return c.kind == kLoop ? c.params : c.results; }
  void op(uint8_t code) { out_.u8(code); }
  void pop(size_t n = 1) override { stack_.resize(stack_.size() - n); }
  void push(VT t) override { stack_.push_back(t); }
  uint32_t new_local(VT t) {
    locals_.push_back(t);
    return uint32_t(locals_.size() - 1);
  }
  bool top_is(const Types& ts) const {
    return height() >= ts.size() && std::equal(ts.begin(), ts.end(), stack_.end() - ts.size());
  }
  // The top of the frame's stack gets the types `ts`: values there already
  // (those matching a prefix of `ts`) are used, the rest pushed.
  void need(const Types& ts) override {
    size_t k = in_.flip(15) ? 0 : std::min(ts.size(), height());
    while (k > 0 && !std::equal(ts.begin(), ts.begin() + long(k), stack_.end() - long(k))) --k;
    for (size_t i = k; i < ts.size(); ++i) push_value(ts[i]);
  }

  // A branch or `if` condition: a comparison, a variable, 0 or 1, or any constant (rarely:
  // random constants are almost never 0, which would make most branches taken).
  void push_condition() {
    const uint32_t r = in_.below(8);
    if (r < 3) {
      const VT t = in_.type();
      push_value(t);
      push_value(t);
      const NumOps& n = num_ops(t);
      op(uint8_t(n.cmp_lo + in_.below(n.cmp_hi - n.cmp_lo + 1u)));
      pop(2);
      push(I32);
    } else if (r < 5 && nuser_ > 0) {
      push_value(I32);
    } else {
      emit_const(out_, I32, r < 7 ? r & 1 : int_bits(in_, false));
      push(I32);
    }
  }

  // A simple value: a constant, a local or a global.
  void push_value(VT t) {
    if (t == V128 && in_.flip(30)) {  // v128: also a splat of a simple scalar
      static constexpr VT kSplat[] = {I32, I32, I32, I64, F32, F64};
      static constexpr uint8_t kSplatOp[] = {15, 16, 17, 18, 19, 20};
      const uint32_t i = in_.below(6);
      push_value(kSplat[i]);
      canonicalize();
      op(0xFD);
      out_.uleb(kSplatOp[i]);
      pop();
      push(V128);
      return;
    }
    uint32_t choice = in_.below(8);
    if (choice >= 4 && choice < 7) {
      std::vector<uint32_t> ok;
      for (uint32_t i = 0; i < nuser_; ++i)
        if (locals_[i] == t) ok.push_back(i);
      if (!ok.empty()) {
        op(0x20);
        out_.uleb(ok[in_.below(uint32_t(ok.size()))]);
        push(t);
        return;
      }
    } else if (choice == 7) {
      std::vector<uint32_t> ok;
      for (uint32_t i = 0; i < m_.nuser_globals; ++i)
        if (m_.globals[i].t == t) ok.push_back(i);
      if (!ok.empty()) {
        op(0x23);
        out_.uleb(ok[in_.below(uint32_t(ok.size()))]);
        push(t);
        return;
      }
    }
    emit_any_const(out_, in_, t);
    push(t);
  }

  // An address: mostly inside the memory's initial size, sometimes near or past its end.
  // In a counted loop often base -+ counter * stride, which steps through the
  // memory as arrays do (the compiler tier checks such loops' accesses once,
  // before the loop: src/jit/fault_free_loops.cpp).
  void push_address() override {
    uint64_t bytes = m_.mem_bytes();
    auto loop = std::find_if(ctl_.rbegin(), ctl_.rend(), [](const Ctl& c) { return c.kind == kLoop; });
    if (loop != ctl_.rend() && loop->counter >= 0 && in_.flip(60)) {
      static constexpr uint32_t kStrides[] = {1, 2, 4, 8, 16, 64};
      const uint32_t span = uint32_t(std::min<uint64_t>(bytes + 64, 0xFFFFFFFFu));
      emit_const(out_, I32, in_.flip(90) ? in_.below(span) : int_bits(in_, false));
      op(0x20);
      out_.uleb(uint32_t(loop->counter));
      emit_const(out_, I32, kStrides[in_.below(std::size(kStrides))]);
      op(0x6C);                             // i32.mul
      op(in_.flip(50) ? 0x6A : 0x6B);       // i32.add, i32.sub
      push(I32);
      return;
    }
    uint64_t a;
    switch (in_.below(64)) {
      case 0: a = bytes + in_.below(64) - 32; break;
      case 1: a = int_bits(in_, false); break;
      default: a = in_.below(uint32_t(bytes > 64 ? bytes - 64 : 64)); break;
    }
    emit_const(out_, I32, a);
    push(I32);
  }

  void push_small_i32(uint32_t n) {
    if (!in_.flip(5)) {
      emit_const(out_, I32, in_.below(n));
      push(I32);
    } else {
      push_value(I32);
    }
  }

  // Differential mode: replaces a NaN on the top of the stack by the
  // positive canonical NaN, so that no nondeterministic NaN bits escape.
  void canonicalize() override {
    VT t = stack_.back();
    if (!diff() || (t != F32 && t != F64)) return;
    const uint32_t s = scratch(t);
    op(0x22);  // local.tee s; canon-nan; local.get s; local.get s; eq; select
    out_.uleb(uint32_t(s));
    emit_const(out_, t, t == F32 ? kCanonNan32 : kCanonNan64);
    for (int i = 0; i < 2; ++i) {
      op(0x20);
      out_.uleb(uint32_t(s));
    }
    op(t == F32 ? 0x5B : 0x61);
    op(0x1B);
  }

  // Offsets: mostly small, sometimes past a page or anywhere.
  void memarg(uint8_t natural) override {
    out_.uleb(in_.below(natural + 1u));
    const uint32_t r = in_.below(128);
    out_.uleb(r < 100 ? in_.below(16) : r < 126 ? in_.below(256) : r < 127 ? in_.below(70000) : int_bits(in_, false));
  }

  // Too many values: use some up.
  void consume() {
    VT t = stack_.back();
    if (in_.flip(50)) {
      op(0x1A);
      pop();
      return;
    }
    for (uint32_t i = 0; i < nuser_; ++i)
      if (locals_[i] == t) {
        op(0x21);
        out_.uleb(i);
        pop();
        return;
      }
    op(0x1A);
    pop();
  }

  // Ends the innermost frame: its stack becomes its result types.
  void close() {
    Ctl& c = ctl_.back();
    if (!c.dead) fit(c.results);
    if (c.kind == kIf && (c.params != c.results || in_.flip(50))) {
      op(0x05);
      stack_.resize(c.base);
      for (VT t : c.params) push(t);
      c.kind = kElse;
      c.dead = false;
      return;
    }
    op(0x0B);
    const Kind kind = c.kind;
    plain_ -= c.plain;
    const size_t base = c.base;
    const Types results = c.results;
    ctl_.pop_back();
    stack_.resize(base);
    for (VT t : results) push(t);
    if (kind == kLoop) --loops_;
    if (kind == kLoop && !ctl_.empty() && ctl_.back().kind == kLoopWrap) {
      op(0x0B);  // the wrapper block has the same type and base
      ctl_.pop_back();
    }
  }

  // Drops values above the longest prefix that matches `ts`, pushes the rest.
  void fit(const Types& ts) {
    const size_t base = ctl_.back().base;
    size_t k = 0;
    while (k < ts.size() && base + k < stack_.size() && stack_[base + k] == ts[k]) ++k;
    while (stack_.size() > base + k) {
      op(0x1A);
      pop();
    }
    for (size_t i = k; i < ts.size(); ++i) push_value(ts[i]);
  }

  void end_dead() {
    stack_.resize(ctl_.back().base);
    ctl_.back().dead = true;
  }

  // A block type: params from the top of the stack, random results.
  FuncSig block_sig() {
    FuncSig s;
    uint32_t np = in_.below(uint32_t(std::min<size_t>(height(), 2)) + 1);
    s.params.assign(stack_.end() - np, stack_.end());
    for (uint32_t n = in_.below(3); n > 0; --n) s.results.push_back(in_.type());
    return s;
  }
  void emit_blocktype(const FuncSig& s) {
    if (s.params.empty() && s.results.empty())
      op(0x40);
    else if (s.params.empty() && s.results.size() == 1)
      op(s.results[0]);
    else
      out_.sleb(m_.type_index(s));
  }

  void step();
  void numeric();
  void memory();
  void table();
  void emit_ref();
  void push_table_index(uint32_t size);
  void control();
  void call();
  void branch();
  void loop();
  void rising_bounds(uint32_t j, uint32_t n, uint32_t d, bool nonzero_step);
  void count_down_loop_budget();
  void exit_loop_if(const FuncSig& s);
  void open_loop(const FuncSig& s, size_t base, bool plain, int counter);
  void rising_loop(const FuncSig& s, size_t base);
  void array_loop();
  void lane_move(uint32_t vec, uint32_t scratch, uint32_t counter, uint32_t stride, uint32_t span, bool falling);
  void emit_i32x4(uint32_t c, uint32_t d);
};

void Body::numeric() {
  // The operand type: mostly the type on the top of the stack.
  VT t = height() > 0 && stack_.back() != V128 && in_.flip(75) ? stack_.back() : in_.type();
  const NumOps& n = num_ops(t);
  switch (in_.below(6)) {
    case 0: {  // unary
      need({t});
      uint8_t code = uint8_t(n.un_lo + in_.below(n.un_hi - n.un_lo + 1u));
      if (t == I32 && in_.flip(30)) code = uint8_t(0xC0 + in_.below(2));
      if (t == I64 && in_.flip(30)) code = uint8_t(0xC2 + in_.below(3));
      op(code);
      return;
    }
    case 1:
    case 2: {  // binary
      need({t, t});
      uint8_t code = uint8_t(n.bin_lo + in_.below(n.bin_hi - n.bin_lo + 1u));
      if (code == 0x98 || code == 0xA6) canonicalize();  // copysign takes the sign bit
      op(code);
      pop();
      return;
    }
    case 3: {  // compare, eqz
      if (n.eqz >= 0 && in_.flip(25)) {
        need({t});
        op(uint8_t(n.eqz));
      } else {
        need({t, t});
        op(uint8_t(n.cmp_lo + in_.below(n.cmp_hi - n.cmp_lo + 1u)));
        pop();
      }
      pop();
      push(I32);
      return;
    }
    default: {  // conversion from t (or from anything)
      std::vector<const Op*> ok;
      for (const Op& c : kConversions)
        if (c.in == t) ok.push_back(&c);
      const Op& c = *ok[in_.below(uint32_t(ok.size()))];
      need({c.in});
      if (c.prefix == 0 && (c.code == 0xBC || c.code == 0xBD)) canonicalize();  // reinterpret
      if (c.prefix) {
        op(c.prefix);
        out_.uleb(c.code);
      } else {
        op(c.code);
      }
      pop();
      push(c.out);
      return;
    }
  }
}

void Body::memory() {
  const uint32_t what = in_.below(8);
  switch (plain_ && what >= 6 ? 0 : what) {
    case 0:
    case 1:
    case 2: {  // load
      const MemOp& l = kLoads[in_.below(std::size(kLoads))];
      if (!top_is({I32}) || in_.flip(90)) push_address();
      op(l.code);
      memarg(l.align);
      pop();
      push(l.t);
      return;
    }
    case 3:
    case 4:
    case 5: {  // store
      const MemOp& s = kStores[in_.below(std::size(kStores))];
      if (!top_is({I32, s.t}) || in_.flip(90)) {
        push_address();
        push_value(s.t);
      }
      canonicalize();
      op(s.code);
      memarg(s.align);
      pop(2);
      return;
    }
    case 6:
      if (in_.flip(50)) {
        op(0x3F);
        op(0);
        push(I32);
      } else {
        push_small_i32(3);
        op(0x40);
        op(0);
      }
      return;
    default: {  // bulk: fill, copy, init, data.drop (rarely: it empties the segment)
      const uint32_t which = m_.datas.empty() ? in_.below(2) : in_.flip(5) ? 3 : in_.below(3);
      const uint32_t seg = m_.datas.empty() ? 0 : in_.below(uint32_t(m_.datas.size()));
      if (which == 3) {
        op(0xFC);
        out_.uleb(9);
        out_.uleb(seg);
        return;
      }
      push_address();
      if (which == 0) {
        push_value(I32);
        push_small_i32(300);
      } else if (which == 1) {
        push_address();
        push_small_i32(300);
      } else {  // mostly within the segment
        const uint32_t len = uint32_t(m_.datas[seg].bytes.size());
        const uint32_t from = in_.below(len + 1);
        emit_const(out_, I32, from);
        push(I32);
        push_small_i32(len - from + 1);
      }
      op(0xFC);
      out_.uleb(which == 0 ? 11 : which == 1 ? 10 : 8);
      if (which == 2) out_.uleb(seg);
      out_.u8(0);
      if (which == 1) out_.u8(0);
      pop(3);
      return;
    }
  }
}

// A funcref, emitted but not tracked on the type stack: the table
// instructions that take one consume it right away.
void Body::emit_ref() {
  const uint32_t nfuncs = m_.nimports + m_.ngen;
  switch (in_.below(3)) {
    case 0:
      op(0xD0);  // ref.null func
      op(0x70);
      return;
    case 1:
      op(0xD2);  // ref.func (declared by element segment 2)
      out_.uleb(in_.below(nfuncs));
      return;
    default: {  // table.get of a slot that is mostly there
      const uint32_t t = in_.below(2);
      emit_const(out_, I32, in_.below((t == 0 ? m_.table_min : m_.table1_min) + 1));
      op(0x25);
      out_.uleb(t);
      return;
    }
  }
}

// A table index: mostly inside the initial size, sometimes just past it.
void Body::push_table_index(uint32_t size) {
  emit_const(out_, I32, in_.flip(10) ? size + in_.below(4) : in_.below(std::max(size, 1u)));
  push(I32);
}

// table.get/set/size/grow/fill/copy/init, elem.drop, ref.null/func/is_null.
// Differential mode changes only table 1: call_indirect goes through table 0,
// whose contents must stay as generated (no recursion through it).
void Body::table() {
  const uint32_t t = diff() || in_.flip(50) ? 1 : 0;
  const uint32_t size = t == 0 ? m_.table_min : m_.table1_min;
  switch (in_.below(9)) {
    case 0:  // (ref.is_null (table.get t i))
      push_table_index(size);
      op(0x25);
      out_.uleb(t);
      op(0xD1);
      return;  // i32 in, i32 out
    case 1:  // table.set t i ref
      push_table_index(size);
      emit_ref();
      op(0x26);
      out_.uleb(t);
      pop();
      return;
    case 2:  // table.size
      op(0xFC);
      out_.uleb(16);
      out_.uleb(t);
      push(I32);
      return;
    case 3:  // table.grow t ref n: the old size, or -1 past the maximum
      emit_ref();
      push_small_i32(6);
      op(0xFC);
      out_.uleb(15);
      out_.uleb(t);
      return;  // n in, result out
    case 4:  // table.fill t i ref n
      push_table_index(size);
      emit_ref();
      push_small_i32(size + 2);
      op(0xFC);
      out_.uleb(17);
      out_.uleb(t);
      pop(2);
      return;
    case 5: {  // table.copy t src: d s n
      const uint32_t src = in_.below(2);
      push_table_index(size);
      push_table_index(src == 0 ? m_.table_min : m_.table1_min);
      push_small_i32(4);
      op(0xFC);
      out_.uleb(14);
      out_.uleb(t);
      out_.uleb(src);
      pop(3);
      return;
    }
    case 6: {  // table.init t seg: d s n, mostly the passive segment within its length
      const uint32_t seg = in_.flip(15) ? 0 : 1;
      const uint32_t len = seg == 1 ? uint32_t(m_.passive_elems.size()) : 0;
      push_table_index(size);
      const uint32_t from = in_.below(len + 1);
      emit_const(out_, I32, from);
      push(I32);
      push_small_i32(len - from + 2);
      op(0xFC);
      out_.uleb(12);
      out_.uleb(seg);
      out_.uleb(t);
      pop(3);
      return;
    }
    case 7:  // elem.drop (rarely: it empties the segment)
      if (in_.flip(20)) {
        op(0xFC);
        out_.uleb(13);
        out_.uleb(in_.below(3));
      }
      return;
    default:  // ref.is_null of a fresh reference
      emit_ref();
      op(0xD1);
      push(I32);
      return;
  }
}

void Body::call() {
  const uint32_t nfuncs = m_.nimports + m_.ngen;
  if (in_.flip(65)) {  // direct
    uint32_t callee;
    if (diff()) {
      if (func_ + 1 >= nfuncs) return;
      callee = func_ + 1 + in_.below(nfuncs - func_ - 1);
    } else {
      callee = in_.below(nfuncs);
    }
    const FuncSig& s = m_.sig(callee);
    need(s.params);
    op(0x10);
    out_.uleb(callee);
    pop(s.params.size());
    for (VT t : s.results) push(t);
    return;
  }
  // call_indirect: mostly through a filled slot with its function's type;
  // sometimes an empty slot, one past the end, or another type.
  std::vector<uint32_t> good, bad;
  for (uint32_t i = 0; i < m_.table_min + 2; ++i) {
    const uint32_t e = i - m_.elem_offset;
    if (i < m_.elem_offset || e >= m_.elems.size())
      bad.push_back(i);
    else if (!diff() || m_.elems[e] > func_)  // differential: no recursion
      good.push_back(i);
  }
  const bool use_good = !good.empty() && !in_.flip(15);
  const uint32_t slot = use_good ? good[in_.below(uint32_t(good.size()))] : bad[in_.below(uint32_t(bad.size()))];
  uint32_t type = m_.func_types[in_.below(nfuncs)];
  if (use_good && !in_.flip(15)) type = m_.func_types[m_.elems[slot - m_.elem_offset]];
  if (in_.flip(5)) type = in_.below(uint32_t(m_.types.size()));
  const FuncSig s = m_.types[type];
  need(s.params);
  if (diff() || !in_.flip(20)) {
    emit_const(out_, I32, slot);
    push(I32);
  } else {
    push_value(I32);
  }
  op(0x11);
  out_.uleb(type);
  out_.u8(0);
  pop(s.params.size() + 1);
  for (VT t : s.results) push(t);
}

void Body::branch() {
  const uint32_t depth = in_.below(uint32_t(ctl_.size()));
  const Types lt = label(ctl_[ctl_.size() - 1 - depth]);
  switch (in_.below(4)) {
    case 0:  // br
      need(lt);
      op(0x0C);
      out_.uleb(depth);
      end_dead();
      return;
    case 1: {  // br_table over the labels of the same type
      std::vector<uint32_t> same;
      for (uint32_t d = 0; d < ctl_.size(); ++d)
        if (label(ctl_[ctl_.size() - 1 - d]) == lt) same.push_back(d);
      need(lt);
      push_small_i32(5);
      op(0x0E);
      uint32_t n = in_.below(5);
      out_.uleb(n);
      for (uint32_t i = 0; i <= n; ++i) out_.uleb(i == n ? depth : same[in_.below(uint32_t(same.size()))]);
      end_dead();
      return;
    }
    default:  // br_if
      need(lt);
      push_condition();
      op(0x0D);
      out_.uleb(depth);
      pop();
      return;
  }
}

// In differential mode (and mostly when fuzzing) a loop is wrapped in a block
// of the same type and exits through it once its counter (or, in
// differential mode, the global loop budget) runs out.
//
// A "stepping" loop counts down by 64 or 32 from mem32[0] & 1023 while its
// counter is above 31, as clang's unrolled memcpy loop (64) and musl's word
// copy (32: never wraps) do, and loads at the counter each trip: stepping by
// 64, a counter left in 32..63 wraps and the load after it faults. The
// compiler tier counts such loops by their threshold, with a check that the
// last value tested is not below 0 (src/jit/loop_counts.h).
void Body::loop() {
  FuncSig s = block_sig();
  const bool bounded = diff() || in_.flip(70);
  const size_t base = stack_.size() - s.params.size();
  if (!bounded) {
    op(0x03);
    emit_blocktype(s);
    ctl_.push_back({kLoop, s.params, s.results, base});
    ++loops_;
    return;
  }
  if (in_.flip(25)) return rising_loop(s, base);
  const bool stepping = in_.flip(40);
  const uint32_t step = stepping && in_.flip(50) ? 32 : 64;
  const uint32_t counter = new_local(I32);
  if (stepping) {  // from memory (mem32[0] & 1023), so that no trip count is known before
    emit_const(out_, I32, 0);
    op(0x28);
    out_.uleb(0);
    out_.uleb(0);
    emit_const(out_, I32, 1023);
    op(0x71);  // i32.and
  } else {
    emit_const(out_, I32, 1 + in_.below(diff() ? 8 : 16));
  }
  op(0x21);
  out_.uleb(counter);
  op(0x02);
  emit_blocktype(s);
  op(0x03);
  emit_blocktype(s);
  // head: if (counter == 0 [| budget == 0]) { results; br 2 }  counter--; budget--
  // (stepping: counter <= 31 ...; counter -= 64, a load at counter)
  // (stepping: two exits, the counter's its own branch, as compilers emit it)
  op(0x20);
  out_.uleb(counter);
  if (stepping) {
    emit_const(out_, I32, 31);
    op(0x4D);  // i32.le_u
    exit_loop_if(s);
  } else {
    op(0x45);
  }
  const bool budget = m_.nuser_globals < m_.globals.size();
  if (budget) {
    op(0x23);
    out_.uleb(m_.nuser_globals);
    op(0x45);
    if (!stepping) op(0x72);
  }
  if (!stepping || budget) exit_loop_if(s);
  op(0x20);
  out_.uleb(counter);
  emit_const(out_, I32, stepping ? step : 1);
  op(0x6B);
  op(0x22);  // local.tee
  out_.uleb(counter);
  if (stepping) {
    op(0x28);  // i32.load align=1 offset=0
    out_.uleb(0);
    out_.uleb(0);
  }
  op(0x1A);  // drop
  if (budget) count_down_loop_budget();
  open_loop(s, base, in_.flip(40), stepping ? -1 : int(counter));
}

// Differential mode's global loop budget, one down.
void Body::count_down_loop_budget() {
  op(0x23);
  out_.uleb(m_.nuser_globals);
  emit_const(out_, I32, 1);
  op(0x6B);
  op(0x24);
  out_.uleb(m_.nuser_globals);
}

// if (the condition on the stack) { s's results; leave the wrapping block }
void Body::exit_loop_if(const FuncSig& s) {
  op(0x04);
  op(0x40);
  for (VT t : s.results) emit_any_const(out_, in_, t);
  op(0x0C);
  out_.uleb(2);
  op(0x0B);
}

// The wrapping block and the loop, for the body that follows; `plain`: free
// of calls and stubs (see plain_), `counter` as Ctl::counter.
void Body::open_loop(const FuncSig& s, size_t base, bool plain, int counter) {
  ctl_.push_back({kLoopWrap, s.params, s.results, base});
  ctl_.push_back({kLoop, s.params, s.results, base, false, plain, counter});
  plain_ += plain;
  ++loops_;
}

// A "rising" loop: j += D while j <= n, as the sieve's inner loop, j from
// mem32[0] & 1023 and n = j + R; D a constant or mem32[4] under a mask (not
// known before the loop: 0 never ends but by the budget or fuel, a large one
// wraps j past 2^32, below n again). Addresses in it step with j. The
// compiler tier counts such loops by their rising exit where no tested value
// wraps (src/jit/loop_counts.h) and bounds their accesses with a step known
// only in the preheader (src/jit/fault_free_loops.cpp).
void Body::rising_bounds(uint32_t j, uint32_t n, uint32_t d, bool nonzero_step) {
  auto load_masked = [&](uint32_t offset, uint32_t mask) {  // mem32[offset] & mask
    emit_const(out_, I32, 0);
    op(0x28);
    out_.uleb(2);
    out_.uleb(offset);
    emit_const(out_, I32, mask);
    op(0x71);
  };
  load_masked(0, 1023);
  op(0x22);  // local.tee j
  out_.uleb(j);
  emit_const(out_, I32, 1 + in_.below(in_.flip(50) ? 64 : 4096));
  op(0x6A);
  op(0x21);
  out_.uleb(n);
  if (in_.flip(50)) {
    static constexpr uint32_t kMasks[] = {7, 63, 0xFFFFFFFFu};
    load_masked(4, kMasks[in_.below(std::size(kMasks))]);
    if (nonzero_step) {
      emit_const(out_, I32, 1);
      op(0x72);  // i32.or
    }
  } else {
    static constexpr uint32_t kSteps[] = {1, 2, 3, 8, 64};
    emit_const(out_, I32, kSteps[in_.below(std::size(kSteps))]);
  }
  op(0x21);
  out_.uleb(d);
}

void Body::rising_loop(const FuncSig& s, size_t base) {
  const uint32_t j = new_local(I32), n = new_local(I32), d = new_local(I32);
  rising_bounds(j, n, d, false);
  op(0x02);
  emit_blocktype(s);
  op(0x03);
  emit_blocktype(s);
  // head: if (j > n [| budget == 0]) { results; br 2 }  j += d; budget--
  op(0x20);
  out_.uleb(j);
  op(0x20);
  out_.uleb(n);
  op(0x4B);  // i32.gt_u
  const bool budget = m_.nuser_globals < m_.globals.size();
  if (budget) {
    op(0x23);
    out_.uleb(m_.nuser_globals);
    op(0x45);
    op(0x72);
  }
  exit_loop_if(s);
  op(0x20);
  out_.uleb(j);
  op(0x20);
  out_.uleb(d);
  op(0x6A);
  op(0x21);
  out_.uleb(j);
  if (budget) count_down_loop_budget();
  open_loop(s, base, in_.flip(60), int(j));
}

// An "array" loop, whole: k = K..1 (or j rising by d: rising_bounds), a few
// moves mem[A -+ k * S] = mem[B -+ k * S] (+ 1) each trip, nothing else: what the compiler tier's counted
// copy with plain accesses is for (src/jit/fault_free_loops.cpp). A and B
// fall anywhere, so the two sides may overlap, and near or past the memory's
// end the loop faults part-way. Float moves compute on the way (x op C, C
// any float, the identities included; an i32 converted): the copy's float
// loops are vectorised (src/jit/float_loops.cpp). Lane moves load four bytes
// at lanes of a vector induction variable (lane_move).
void Body::array_loop() {
  struct Move {
    uint8_t load, store, add, natural;  // add: i32.add or i64.add of 1, or a float op's first opcode; 0 for none
    VT t;                               // of the value stored
    uint8_t convert = 0;                // i32 -> t, signed; + 1 unsigned
  };
  static constexpr Move kMoves[] = {{0x2D, 0x3A, 0x6A, 0, I32},       {0x2F, 0x3B, 0x6A, 1, I32},
                                    {0x28, 0x36, 0x6A, 2, I32},       {0x29, 0x37, 0x7C, 3, I64},
                                    {0x2A, 0x38, 0x92, 2, F32},       {0x2B, 0x39, 0xA0, 3, F64},
                                    {0x28, 0x38, 0x92, 2, F32, 0xB2}, {0x28, 0x39, 0xA0, 2, F64, 0xB7}};
  const uint32_t counter = new_local(I32);
  const uint32_t stride = in_.flip(50) ? 1 : 1u << in_.below(4);
  const uint32_t span = uint32_t(std::min<uint64_t>(m_.mem_bytes() + 256, 0xFFFFFFFFu));
  // k = K..1, or the counter rising as a rising loop's j (a step never 0: the loop ends).
  const bool rising = in_.flip(30);
  const uint32_t n = rising ? new_local(I32) : 0, d = rising ? new_local(I32) : 0;
  if (rising) {
    rising_bounds(counter, n, d, true);
  } else {
    emit_const(out_, I32, 1 + in_.below(in_.flip(50) ? 64 : 2048));  // long enough to vectorise
    op(0x21);
    out_.uleb(counter);
  }
  // A vector induction variable for lane moves: v = <c, c + 1, c + 2, c + 3>.
  const bool lanes = in_.flip(25);
  const uint32_t vec = lanes ? new_local(V128) : 0, scratch = lanes ? new_local(V128) : 0;
  if (lanes) {
    emit_i32x4(in_.below(64), in_.flip(80) ? 1 : in_.below(5));
    op(0x21);
    out_.uleb(vec);
  }
  op(0x02);
  op(0x40);
  op(0x03);
  op(0x40);
  if (rising) {  // if (j > n) leave
    op(0x20);
    out_.uleb(counter);
    op(0x20);
    out_.uleb(n);
    op(0x4B);
    op(0x0D);
    out_.uleb(1);
  } else {  // if (k == 0) leave; k -= 1
    op(0x20);
    out_.uleb(counter);
    op(0x45);
    op(0x0D);
    out_.uleb(1);
    op(0x20);
    out_.uleb(counter);
    emit_const(out_, I32, 1);
    op(0x6B);
    op(0x21);
    out_.uleb(counter);
  }
  const bool falling = in_.flip(50);  // the same direction for both sides: a copy
  for (uint32_t n = 1 + in_.below(3); n > 0; --n) {
    if (lanes && in_.flip(50)) {
      lane_move(vec, scratch, counter, stride, span, falling);
      continue;
    }
    const Move& m = kMoves[in_.below(std::size(kMoves))];
    for (int side = 0; side < 2; ++side) {  // destination, then source
      emit_const(out_, I32, in_.flip(95) ? in_.below(span) : int_bits(in_, false));
      op(0x20);
      out_.uleb(counter);
      emit_const(out_, I32, stride);
      op(0x6C);                    // i32.mul
      op(falling ? 0x6A : 0x6B);  // i32.add (k falls: so does the address), i32.sub
    }
    op(m.load);
    out_.uleb(m.natural);
    out_.uleb(in_.below(16));
    if (m.convert) op(uint8_t(m.convert + in_.below(2)));
    const bool is_float = m.t == F32 || m.t == F64;
    if (m.add && in_.flip(50)) {
      emit_const(out_, m.t, is_float ? random_bits(in_, m.t) : 1);
      op(is_float ? uint8_t(m.add + in_.below(4)) : m.add);  // add, sub, mul, div
    }
    if (is_float) {
      push(m.t);
      canonicalize();
      pop(1);
    }
    op(m.store);
    out_.uleb(m.natural);
    out_.uleb(in_.below(16));
  }
  if (rising) {  // j += d
    op(0x20);
    out_.uleb(counter);
    op(0x20);
    out_.uleb(d);
    op(0x6A);
    op(0x21);
    out_.uleb(counter);
  }
  if (lanes) {  // v += step
    op(0x20);
    out_.uleb(vec);
    emit_i32x4(in_.flip(70) ? 4 : in_.below(9), 0);
    simd_op(*this, 0xAE);  // i32x4.add
    op(0x21);
    out_.uleb(vec);
  }
  op(0x0C);  // br 0
  out_.uleb(0);
  op(0x0B);
  op(0x0B);
}

// v128.const i32x4 <c, c + d, c + 2d, c + 3d>.
void Body::emit_i32x4(uint32_t c, uint32_t d) {
  simd_op(*this, 0x0C);
  for (uint32_t k = 0; k < 4; ++k) out_.raw(c + k * d, 4);
}

// mem[A -+ k * S] = four bytes as clang's wasm SIMD de-interleave loads them:
// lanes of v * M (M = 1..4) plus B, a load8_splat then three load8_lane (in
// the copy: scalar recurrences and wide loads, src/jit/lane_inductions.cpp).
void Body::lane_move(uint32_t vec, uint32_t scratch, uint32_t counter, uint32_t stride, uint32_t span, bool falling) {
  emit_const(out_, I32, in_.flip(95) ? in_.below(span) : int_bits(in_, false));
  op(0x20);
  out_.uleb(counter);
  emit_const(out_, I32, stride);
  op(0x6C);
  op(falling ? 0x6A : 0x6B);
  op(0x20);  // scratch = v * M
  out_.uleb(vec);
  emit_i32x4(1 + in_.below(4), 0);
  simd_op(*this, 0xB5);  // i32x4.mul
  op(0x21);
  out_.uleb(scratch);
  const uint32_t base = in_.flip(95) ? in_.below(span) : int_bits(in_, false), offset = in_.below(4);
  for (uint32_t k = 4; k-- > 0;) {  // addresses of lanes 3, 2, 1, then 0 (loaded first)
    op(0x20);
    out_.uleb(scratch);
    simd_op(*this, 0x1B);  // i32x4.extract_lane k
    out_.u8(uint8_t(k));
    emit_const(out_, I32, base);
    op(0x6A);
  }
  simd_op(*this, 0x07);  // v128.load8_splat
  out_.uleb(0);
  out_.uleb(offset);
  for (uint8_t k = 1; k < 4; ++k) {
    simd_op(*this, 0x54);  // v128.load8_lane
    out_.uleb(0);
    out_.uleb(offset);
    out_.u8(k);
  }
  simd_op(*this, 0x0B);  // v128.store
  out_.uleb(in_.below(5));
  out_.uleb(in_.below(16));
}

void Body::control() {
  switch (in_.below(8)) {
    case 0:
    case 1: {  // block
      FuncSig s = block_sig();
      op(0x02);
      emit_blocktype(s);
      ctl_.push_back({kBlock, s.params, s.results, stack_.size() - s.params.size()});
      return;
    }
    case 2:
      if (ctl_.size() < 8 && loops_ < 3) in_.flip(30) ? array_loop() : loop();
      return;
    case 3:
    case 4: {  // if
      FuncSig s = block_sig();
      const size_t base = stack_.size() - s.params.size();
      push_condition();
      op(0x04);
      emit_blocktype(s);
      pop();
      ctl_.push_back({kIf, s.params, s.results, base});
      return;
    }
    case 5: {  // return
      need(ctl_.front().results);
      op(0x0F);
      end_dead();
      return;
    }
    case 6:  // unreachable (rarely)
      if (in_.flip(10)) {
        op(0x00);
        end_dead();
      } else {
        op(0x01);
      }
      return;
    default:  // select
      VT t = height() > 0 && in_.flip(50) ? stack_.back() : in_.type();
      need({t, t, I32});
      if (in_.flip(30)) {  // the typed form
        op(0x1C);
        out_.uleb(1);
        op(t);
      } else {
        op(0x1B);
      }
      pop(2);
      return;
  }
}

void Body::step() {
  const uint32_t r = in_.below(100);
  if (r < 10) {
    push_value(in_.type());
  } else if (r < 20) {  // locals
    if (nuser_ == 0) return;
    const uint32_t i = in_.below(uint32_t(nuser_));
    const uint32_t what = in_.below(3);  // get, set, tee
    if (what > 0) need({locals_[i]});
    op(uint8_t(0x20 + what));
    out_.uleb(i);
    if (what == 0) push(locals_[i]);
    if (what == 1) pop();
  } else if (r < 25) {  // globals
    const uint32_t g = in_.below(uint32_t(m_.nuser_globals));
    if (!m_.globals[g].mut || in_.flip(40)) {
      op(0x23);
      out_.uleb(g);
      push(m_.globals[g].t);
    } else {
      need({m_.globals[g].t});
      op(0x24);
      out_.uleb(g);
      pop();
    }
  } else if (r < 42) {
    numeric();
  } else if (r < 50) {
    simd_instruction(*this);
  } else if (r < 65) {
    memory();
  } else if (r < 80) {
    control();
  } else if (r < 88) {
    branch();
  } else if (r < 97 && plain_) {
    numeric();
  } else if (r < 93) {
    call();
  } else if (r < 97) {
    table();
  } else if (height() > 0) {
    op(0x1A);
    pop();
  }
}

}  // namespace

Buf generate_body(Module& m, Src& in, uint32_t func, int budget) { return Body(m, in, func, budget).run(); }

}  // namespace wnn_test::gen
