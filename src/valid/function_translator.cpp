// One-pass validation + translation of a function body.
//
// The Wasm operand stack is modelled at translation time only: the value at
// stack position p lives in frame slot `local_slots + p` (its "canonical"
// slot). `local.get` pushes no code: the stack entry just names the local's
// slot, and is copied to its canonical slot ("materialised") only when that
// becomes necessary (the local is about to change, a block boundary, a call or
// a branch needs the value in its canonical place). An instruction whose
// result is immediately stored by `local.set`/`local.tee` writes the local
// directly. See docs/architecture.md.
#include "valid/function_translator.h"

#include <string>

#include "binary/reader.h"
#include "valid/opcode_info.h"

namespace wnn::valid {
namespace {

using exec::Handler;
using exec::Word;
constexpr ValType kUnknown = ValType{0};  // polymorphic stack value (dead code)
constexpr size_t npos = size_t(-1);

struct Operand {
  ValType type;
  uint32_t slot;
};

struct Fixup {
  size_t instr;  // start of the branching instruction
  size_t word;   // word whose .br.rel is patched
};

struct Ctrl {
  uint8_t opcode;  // 0x02 block, 0x03 loop, 0x04 if, 0x05 else, 0x00 function
  std::vector<ValType> params, results;
  size_t height;  // stack size below the params
  bool unreachable = false;     // after br/return/...: the stack is polymorphic
  bool dead_code = false;       // the whole block is in unreachable code: emit nothing
  size_t start = npos;          // loop: first instruction of the body
  size_t else_fixup = npos;     // if: the br_unless to the else branch
  std::vector<Fixup> fixups;    // forward branches to the end
  const std::vector<ValType>& label_types() const { return opcode == 0x03 ? params : results; }
};

class Translator {
 public:
  Translator(const ModuleContext& cx, uint32_t defined_index)
      : cx_(cx),
        m_(cx.module),
        func_index_(cx.module.num_imported_funcs + defined_index),
        type_(cx.module.types[cx.module.functions[defined_index]]),
        code_entry_(cx.module.codes[defined_index]),
        r_(cx.module.bytes.data() + code_entry_.body_offset, code_entry_.body_size, code_entry_.body_offset) {}

  Expected<exec::FunctionCode> run();

 private:
  // ---- errors ----
  void fail(std::string msg, ErrorKind kind = ErrorKind::Invalid) {
    if (failed_) return;
    failed_ = true;
    std::string where = "function " + std::to_string(func_index_);
    if (auto it = m_.function_names.find(func_index_); it != m_.function_names.end())
      where += " \"" + it->second + "\"";
    where += ", at offset " + std::to_string(instr_offset_);
    if (opcode_ >= 0) where += std::string(" (") + opcode_name(uint8_t(opcode_)) + ")";
    error_ = Error(kind, where + ": " + std::move(msg));
  }
  template <typename T>
  T take(Expected<T> e) {  // read helper: records decode errors
    if (!e.ok()) {
      if (!failed_) {
        failed_ = true;
        error_ = Error(ErrorKind::Malformed, "function " + std::to_string(func_index_) + ", " + e.error().message);
      }
      return T{};
    }
    return std::move(e).value();
  }

  // ---- operand stack ----
  uint32_t canon(size_t pos) const { return local_slots_ + uint32_t(pos); }
  Ctrl& top() { return ctrls_.back(); }
  bool dead() const { return ctrls_.back().unreachable || ctrls_.back().dead_code; }

  uint32_t push(ValType t) {
    uint32_t slot = canon(stack_.size());
    stack_.push_back({t, slot});
    if (stack_.size() > max_height_) max_height_ = stack_.size();
    return slot;
  }
  Operand pop(ValType expect = kUnknown) {
    if (stack_.size() == top().height) {
      if (!top().unreachable)
        fail(std::string("type mismatch: expected ") + (expect == kUnknown ? "a value" : val_type_name(expect)) +
             " but the operand stack is empty");
      return {kUnknown, canon(stack_.size())};
    }
    Operand o = stack_.back();
    stack_.pop_back();
    if (expect != kUnknown && o.type != kUnknown && o.type != expect)
      fail(std::string("type mismatch: expected ") + val_type_name(expect) + ", got " + val_type_name(o.type));
    return o;
  }
  // Checks that the top of the stack matches `types` without popping.
  void check_top(const std::vector<ValType>& types) {
    size_t n = types.size();
    for (size_t i = 0; i < n; ++i) {
      size_t depth = n - i;  // from the top
      if (stack_.size() < top().height + depth) {
        if (!top().unreachable) fail("type mismatch: not enough operands for the branch");
        continue;
      }
      ValType have = stack_[stack_.size() - depth].type;
      if (have != kUnknown && have != types[i])
        fail(std::string("type mismatch: branch expects ") + val_type_name(types[i]) + ", got " + val_type_name(have));
    }
  }
  void set_unreachable() {
    stack_.resize(top().height);
    top().unreachable = true;
  }

  // ---- code emission (nothing is emitted in dead code) ----
  size_t emit(Handler h) {
    producer_ = npos;
    if (dead()) return npos;
    size_t p = code_.size();
    Word w{};
    w.h = h;
    code_.push_back(w);
    return p;
  }
  void emit_ab(uint32_t a, uint32_t b) {
    if (dead()) return;
    Word w{};
    w.a = a;
    w.b = b;
    code_.push_back(w);
  }
  void emit_u64(uint64_t v) {
    if (dead()) return;
    Word w{};
    w.u64 = v;
    code_.push_back(w);
  }
  // An instruction writing its result (operand word 1, .a) to the top slot.
  void mark_producer(size_t pos) { producer_ = pos; }
  void copy(uint32_t dst, uint32_t src) {
    if (dst == src) return;
    emit(exec::op_copy);
    emit_ab(dst, src);
  }
  void materialize(size_t pos) {
    Operand& o = stack_[pos];
    if (o.slot != canon(pos)) {
      copy(canon(pos), o.slot);
      o.slot = canon(pos);
    }
  }
  void materialize_all() {
    for (size_t i = 0; i < stack_.size(); ++i) materialize(i);
  }
  bool refs_local(uint32_t local, size_t below) const {
    for (size_t i = 0; i < below; ++i)
      if (stack_[i].slot == local) return true;
    return false;
  }
  void materialize_refs(uint32_t local, size_t below) {
    for (size_t i = 0; i < below; ++i)
      if (stack_[i].slot == local) materialize(i);
  }

  // ---- branches ----
  void bind(size_t instr, size_t word, size_t target) {
    code_[word].br.rel = int32_t(int64_t(target) - int64_t(instr));
  }
  void bind_here(const Fixup& f) { bind(f.instr, f.word, code_.size()); }
  bool branch_needs_copies(const Ctrl& target) const {
    if (target.opcode == 0x00) return true;  // a return: see branch_to
    size_t n = target.label_types().size();
    for (size_t i = 0; i < n; ++i)
      if (stack_[stack_.size() - n + i].slot != canon(target.height + i)) return true;
    return false;
  }
  void branch_copies(const Ctrl& target) {
    size_t n = target.label_types().size();
    for (size_t i = 0; i < n; ++i) copy(canon(target.height + i), stack_[stack_.size() - n + i].slot);
  }
  // Emits a jump instruction (br/br_if/br_unless) to `target`.
  void jump(Handler h, Ctrl& target, uint32_t cond = 0) {
    size_t p = emit(h);
    if (p == npos) return;
    Word w{};
    w.br.slot = cond;
    code_.push_back(w);
    if (target.opcode == 0x03) bind(p, p + 1, target.start);
    else target.fixups.push_back({p, p + 1});
  }
  // An unconditional branch to `target`: copies plus a jump; a branch to
  // the function's own label is a return.
  void branch_to(Ctrl& target) {
    if (target.opcode == 0x00) return emit_return();
    branch_copies(target);
    jump(exec::op_br, target);
  }
  // Copies results into fp[0..) and returns.
  void emit_return() {
    if (dead()) return;
    size_t m = type_.results.size();
    size_t base = stack_.size() - m;
    // Copy in increasing order; a source below k would be overwritten before
    // it is read, so move it to its canonical slot first. (The compile-time
    // stack is not changed: after br_if the values stay where they were.)
    std::vector<uint32_t> src(m);
    for (size_t k = 0; k < m; ++k) {
      src[k] = stack_[base + k].slot;
      if (src[k] < k) {
        copy(canon(base + k), src[k]);
        src[k] = canon(base + k);
      }
    }
    for (size_t k = 0; k < m; ++k) copy(uint32_t(k), src[k]);
    emit(exec::op_return);
  }

  // ---- immediates ----
  ValType read_valtype() {
    uint8_t b = take(r_.u8());
    switch (b) {
      case 0x7F: case 0x7E: case 0x7D: case 0x7C: case 0x70: case 0x6F: return ValType(b);
      case 0x7B: fail("SIMD (v128) is not supported yet"); return ValType::I32;
      default: fail("malformed value type", ErrorKind::Malformed); return ValType::I32;
    }
  }
  void read_blocktype(std::vector<ValType>& params, std::vector<ValType>& results) {
    size_t start = r_.offset();
    int64_t bt = take(r_.s33());
    if (failed_) return;
    // 0x40 and value types are single bytes; any other negative s33 (e.g.
    // 0xFF 0x7E = -129, or a two-byte -1) is no block type.
    if (bt < 0 && r_.offset() - start != 1) return fail("malformed block type", ErrorKind::Malformed);
    if (bt == -64) return;  // 0x40: []
    if (bt < 0) {
      uint8_t b = uint8_t(bt & 0x7F);
      switch (b) {
        case 0x7F: case 0x7E: case 0x7D: case 0x7C: case 0x70: case 0x6F: results.push_back(ValType(b)); return;
        case 0x7B: fail("SIMD (v128) is not supported yet"); return;
        default: fail("malformed block type", ErrorKind::Malformed); return;
      }
    }
    if (uint64_t(bt) >= m_.types.size()) return fail("unknown type " + std::to_string(bt));
    params = m_.types[bt].params;
    results = m_.types[bt].results;
  }
  void need_memory() {
    if (cx_.num_memories == 0) fail("unknown memory 0");
  }
  void zero_byte() {
    if (take(r_.u8()) != 0) fail("zero byte expected", ErrorKind::Malformed);
  }
  const TableType* table(uint32_t idx) {
    if (idx >= cx_.tables.size()) {
      fail("unknown table " + std::to_string(idx));
      return nullptr;
    }
    return &cx_.tables[idx];
  }
  bool need_data_count(uint32_t idx) {
    if (idx >= (m_.data_count ? *m_.data_count : m_.datas.size())) {
      fail("unknown data segment " + std::to_string(idx));
      return false;
    }
    if (!m_.data_count) {  // the binary format needs it for single-pass decoding
      fail("data count section required", ErrorKind::Malformed);
      return false;
    }
    return true;
  }

  // ---- instructions ----
  void instruction(uint8_t op);
  void prefixed_fc();
  void block_start(uint8_t op);
  void op_else();
  void op_end();
  void end_check(Ctrl& c, std::vector<Operand>& out);
  void op_br_table();
  uint32_t call_args(const FuncType& ft);
  void local_set(uint32_t idx, bool tee);
  void unop(Handler h, ValType in, ValType out);
  void binop(Handler h, ValType in, ValType out);

  const ModuleContext& cx_;
  const Module& m_;
  uint32_t func_index_;
  const FuncType& type_;
  const Code& code_entry_;
  binary::Reader r_;

  std::vector<ValType> locals_;
  uint32_t local_slots_ = 0;
  std::vector<Operand> stack_;
  std::vector<Ctrl> ctrls_;
  size_t max_height_ = 0;
  std::vector<Word> code_;
  size_t producer_ = npos;

  size_t instr_offset_ = 0;
  int opcode_ = -1;
  bool failed_ = false;
  Error error_;
};

Expected<exec::FunctionCode> Translator::run() {
  locals_ = type_.params;
  for (ValType p : type_.params)
    if (p == ValType::V128) return Error(ErrorKind::Invalid, "function " + std::to_string(func_index_) + ": SIMD (v128) is not supported yet");
  uint64_t total = locals_.size();
  for (const LocalDecl& d : code_entry_.locals) {
    total += d.count;
    if (total > kMaxFrameSlots)
      return Error(ErrorKind::Invalid, "function " + std::to_string(func_index_) + " declares " + std::to_string(total) +
                                           "+ locals; wnn supports at most " + std::to_string(kMaxFrameSlots));
    if (d.type == ValType::V128)
      return Error(ErrorKind::Invalid, "function " + std::to_string(func_index_) + ": SIMD (v128) is not supported yet");
    locals_.insert(locals_.end(), d.count, d.type);
  }
  local_slots_ = uint32_t(locals_.size());

  Ctrl fn;
  fn.opcode = 0x00;
  fn.results = type_.results;
  fn.height = 0;
  ctrls_.push_back(std::move(fn));

  while (!ctrls_.empty()) {
    if (r_.at_end()) {
      instr_offset_ = r_.offset();
      fail("END opcode expected (unexpected end of function body)", ErrorKind::Malformed);
      break;
    }
    instr_offset_ = r_.offset();
    uint8_t op = take(r_.u8());
    opcode_ = op;
    if (failed_) break;
    instruction(op);
    if (failed_) break;
  }
  if (!failed_ && !r_.at_end()) {
    instr_offset_ = r_.offset();
    opcode_ = -1;
    fail("operators remaining after the end of the function", ErrorKind::Malformed);
  }
  if (failed_) return std::move(error_);

  exec::FunctionCode fc;
  fc.code = std::move(code_);
  fc.param_slots = uint32_t(type_.params.size());
  fc.local_slots = local_slots_;
  fc.result_slots = uint32_t(type_.results.size());
  uint64_t frame = uint64_t(local_slots_) + max_height_;
  if (frame < fc.result_slots) frame = fc.result_slots;
  if (frame > kMaxFrameSlots)
    return Error(ErrorKind::Invalid, "function " + std::to_string(func_index_) + " needs a frame of " +
                                         std::to_string(frame) + " slots; wnn supports at most " +
                                         std::to_string(kMaxFrameSlots));
  fc.frame_slots = uint32_t(frame);
  return fc;
}

void Translator::unop(Handler h, ValType in, ValType out) {
  Operand a = pop(in);
  uint32_t dst = push(out);
  size_t p = emit(h);
  emit_ab(dst, a.slot);
  mark_producer(p);
}

void Translator::binop(Handler h, ValType in, ValType out) {
  Operand b = pop(in);
  Operand a = pop(in);
  uint32_t dst = push(out);
  size_t p = emit(h);
  emit_ab(dst, a.slot);
  emit_ab(b.slot, 0);
  mark_producer(p);
}

void Translator::local_set(uint32_t idx, bool tee) {
  if (idx >= locals_.size()) return fail("unknown local " + std::to_string(idx));
  ValType t = locals_[idx];
  size_t below = stack_.empty() ? 0 : stack_.size() - 1;
  size_t producer = producer_;
  Operand v = pop(t);
  if (failed_) return;
  if (v.slot == idx && v.type != kUnknown) {  // local.set x of local.get x
    if (tee) push(t), stack_.back().slot = idx;
    return;
  }
  if (!dead() && producer != npos && v.slot == canon(stack_.size()) && code_[producer + 1].a == v.slot &&
      !refs_local(idx, below)) {
    code_[producer + 1].a = idx;  // the producer writes the local directly
  } else {
    materialize_refs(idx, below);
    copy(idx, v.slot);
  }
  producer_ = npos;
  if (tee) {
    push(t);
    stack_.back().slot = idx;  // the value now lives in the local
  }
}

void Translator::block_start(uint8_t op) {
  Ctrl c;
  c.opcode = op;
  read_blocktype(c.params, c.results);
  if (failed_) return;
  Operand cond{};
  if (op == 0x04) cond = pop(ValType::I32);
  // Check the params, keeping them on the stack for the block.
  std::vector<Operand> ps(c.params.size());
  for (size_t i = c.params.size(); i-- > 0;) ps[i] = pop(c.params[i]);
  for (size_t i = 0; i < ps.size(); ++i) {
    push(c.params[i]);
    stack_.back() = {ps[i].type == kUnknown ? c.params[i] : ps[i].type, ps[i].slot};
  }
  c.height = stack_.size() - c.params.size();
  materialize_all();  // every path into the block sees values in canonical slots
  producer_ = npos;
  if (op == 0x04) {
    size_t p = emit(exec::op_br_unless);
    if (p != npos) {
      Word w{};
      w.br.slot = cond.slot;
      code_.push_back(w);
      c.else_fixup = p;
    }
  }
  c.dead_code = dead();  // a block inside dead code emits nothing
  if (op == 0x03) c.start = code_.size();
  ctrls_.push_back(std::move(c));
}

void Translator::end_check(Ctrl& c, std::vector<Operand>& out) {
  out.resize(c.results.size());
  for (size_t i = c.results.size(); i-- > 0;) out[i] = pop(c.results[i]);
  if (stack_.size() != c.height) fail("type mismatch: values remain on the stack at the end of the block");
}

void Translator::op_else() {
  Ctrl& c = top();
  if (c.opcode != 0x04) return fail("else without a matching if", ErrorKind::Malformed);
  std::vector<Operand> res;
  end_check(c, res);
  if (failed_) return;
  if (!dead()) {
    for (size_t i = 0; i < res.size(); ++i) copy(canon(c.height + i), res[i].slot);
    jump(exec::op_br, c);
  }
  if (c.else_fixup != npos) bind_here({c.else_fixup, c.else_fixup + 1});
  c.else_fixup = npos;
  c.opcode = 0x05;
  c.unreachable = false;
  producer_ = npos;
  stack_.resize(c.height);
  for (ValType p : c.params) push(p);
}

void Translator::op_end() {
  Ctrl& c = top();
  std::vector<Operand> res;
  end_check(c, res);
  if (failed_) return;
  if (c.opcode == 0x00) {  // end of the function
    for (size_t i = 0; i < res.size(); ++i) stack_.push_back(res[i]);
    emit_return();
    ctrls_.pop_back();
    return;
  }
  if (c.opcode == 0x04 && c.params != c.results)
    return fail("type mismatch: if without else must leave its parameters unchanged");
  if (!dead())
    for (size_t i = 0; i < res.size(); ++i) copy(canon(c.height + i), res[i].slot);
  producer_ = npos;
  if (c.else_fixup != npos) bind_here({c.else_fixup, c.else_fixup + 1});
  for (const Fixup& f : c.fixups) bind_here(f);
  size_t height = c.height;
  std::vector<ValType> results = std::move(c.results);
  ctrls_.pop_back();
  stack_.resize(height);
  for (ValType t : results) push(t);
}

void Translator::op_br_table() {
  uint32_t n = take(r_.u32());
  if (failed_) return;
  if (n > r_.remaining()) return fail("br_table: label count exceeds the function body", ErrorKind::Malformed);
  std::vector<uint32_t> labels(n + 1);
  for (uint32_t i = 0; i <= n; ++i) {
    labels[i] = take(r_.u32());
    if (failed_) return;
    if (labels[i] >= ctrls_.size()) return fail("unknown label " + std::to_string(labels[i]));
  }
  Operand index = pop(ValType::I32);
  size_t arity = ctrls_[ctrls_.size() - 1 - labels[n]].label_types().size();
  for (uint32_t l : labels) {
    const Ctrl& t = ctrls_[ctrls_.size() - 1 - l];
    if (t.label_types().size() != arity) return fail("type mismatch: br_table targets have different arities");
    check_top(t.label_types());
    if (failed_) return;
  }
  size_t p = emit(exec::op_br_table);
  if (p != npos) {
    emit_ab(index.slot, n);
    std::vector<size_t> needs;  // entries that go through a copying trampoline
    for (uint32_t i = 0; i <= n; ++i) {
      Ctrl& t = ctrls_[ctrls_.size() - 1 - labels[i]];
      Word w{};
      code_.push_back(w);
      size_t word = p + 2 + i;
      if (branch_needs_copies(t)) needs.push_back(i);
      else if (t.opcode == 0x03) bind(p, word, t.start);
      else t.fixups.push_back({p, word});
    }
    std::vector<std::pair<uint32_t, size_t>> trampolines;  // label -> position
    for (size_t i : needs) {
      size_t word = p + 2 + i;
      size_t at = npos;
      for (auto& [l, pos] : trampolines)
        if (l == labels[i]) at = pos;
      if (at == npos) {
        at = code_.size();
        trampolines.push_back({labels[i], at});
        branch_to(ctrls_[ctrls_.size() - 1 - labels[i]]);
      }
      bind(p, word, at);
    }
  }
  set_unreachable();
}

// Calls: the arguments are materialised at the top of the stack; the callee's
// frame starts at the first of them (the returned slot), and its results land
// there.
uint32_t Translator::call_args(const FuncType& ft) {
  size_t n = ft.params.size();
  if (stack_.size() >= top().height + n)
    for (size_t i = stack_.size() - n; i < stack_.size(); ++i) materialize(i);
  for (size_t i = n; i-- > 0;) pop(ft.params[i]);
  return canon(stack_.size());
}

void Translator::instruction(uint8_t op) {
  using namespace exec;
  switch (op) {
    case 0x00:
      emit(op_unreachable);
      set_unreachable();
      return;
    case 0x01:
      return;
    case 0x02:
    case 0x03:
    case 0x04:
      return block_start(op);
    case 0x05:
      return op_else();
    case 0x0B:
      return op_end();
    case 0x0C:
    case 0x0D: {
      uint32_t depth = take(r_.u32());
      if (failed_) return;
      if (depth >= ctrls_.size()) return fail("unknown label " + std::to_string(depth));
      Operand cond{};
      if (op == 0x0D) cond = pop(ValType::I32);
      Ctrl& t = ctrls_[ctrls_.size() - 1 - depth];
      if (op == 0x0D) {
        // br_if pops the label's values and pushes them back, now typed.
        const std::vector<ValType>& lt = t.label_types();
        std::vector<Operand> vals(lt.size());
        for (size_t i = lt.size(); i-- > 0;) vals[i] = pop(lt[i]);
        for (size_t i = 0; i < lt.size(); ++i) {
          push(lt[i]);
          stack_.back().slot = vals[i].slot;
        }
      }
      check_top(t.label_types());
      if (failed_) return;
      if (op == 0x0C) {
        if (!dead()) branch_to(t);
        set_unreachable();
        return;
      }
      if (dead()) return;
      if (!branch_needs_copies(t)) {
        jump(op_br_if, t, cond.slot);
      } else {
        size_t skip = emit(op_br_unless);
        Word w{};
        w.br.slot = cond.slot;
        code_.push_back(w);
        branch_to(t);
        bind(skip, skip + 1, code_.size());
      }
      producer_ = npos;
      return;
    }
    case 0x0E:
      return op_br_table();
    case 0x0F:
      check_top(type_.results);
      if (failed_) return;
      emit_return();
      set_unreachable();
      return;
    case 0x10: {
      uint32_t f = take(r_.u32());
      if (failed_) return;
      if (f >= cx_.func_types.size()) return fail("unknown function " + std::to_string(f));
      uint32_t base = call_args(m_.types[cx_.func_types[f]]);
      if (failed_) return;
      emit(op_call);
      emit_ab(f, base);
      for (ValType t : m_.types[cx_.func_types[f]].results) push(t);
      return;
    }
    case 0x11: {
      uint32_t ti = take(r_.u32());
      uint32_t tab = take(r_.u32());
      if (failed_) return;
      if (ti >= m_.types.size()) return fail("unknown type " + std::to_string(ti));
      const TableType* tt = table(tab);
      if (!tt) return;
      if (tt->elem != ValType::FuncRef) return fail("type mismatch: call_indirect needs a funcref table");
      Operand index = pop(ValType::I32);
      const FuncType& ft = m_.types[ti];
      uint32_t base = call_args(ft);
      if (failed_) return;
      emit(op_call_indirect);
      emit_ab(ti, tab);
      emit_ab(index.slot, base);
      for (ValType t : ft.results) push(t);
      return;
    }
    case 0x1A:
      pop();
      return;
    case 0x1B:
    case 0x1C: {
      ValType want = kUnknown;
      if (op == 0x1C) {
        uint32_t n = take(r_.u32());
        if (failed_) return;
        if (n != 1) return fail("invalid result arity for select");
        want = read_valtype();
        if (failed_) return;
      }
      Operand cond = pop(ValType::I32);
      Operand b = pop(want);
      Operand a = pop(want);
      if (failed_) return;
      ValType t = want;
      if (op == 0x1B) {
        t = a.type != kUnknown ? a.type : b.type;
        if (a.type != kUnknown && b.type != kUnknown && a.type != b.type)
          return fail("type mismatch: select operands differ");
        if (t != kUnknown && is_ref(t)) return fail("type mismatch: select without a type needs numeric operands");
      }
      uint32_t dst = push(t);
      size_t p = emit(op_select);
      emit_ab(dst, cond.slot);
      emit_ab(a.slot, b.slot);
      mark_producer(p);
      return;
    }
    case 0x20: {
      uint32_t idx = take(r_.u32());
      if (failed_) return;
      if (idx >= locals_.size()) return fail("unknown local " + std::to_string(idx));
      push(locals_[idx]);
      stack_.back().slot = idx;
      producer_ = npos;
      return;
    }
    case 0x21:
    case 0x22: {
      uint32_t idx = take(r_.u32());
      if (failed_) return;
      return local_set(idx, op == 0x22);
    }
    case 0x23: {
      uint32_t g = take(r_.u32());
      if (failed_) return;
      if (g >= cx_.globals.size()) return fail("unknown global " + std::to_string(g));
      uint32_t dst = push(cx_.globals[g].type);
      size_t p = emit(op_global_get);
      emit_ab(dst, g);
      mark_producer(p);
      return;
    }
    case 0x24: {
      uint32_t g = take(r_.u32());
      if (failed_) return;
      if (g >= cx_.globals.size()) return fail("unknown global " + std::to_string(g));
      if (!cx_.globals[g].mut) return fail("global is immutable: global " + std::to_string(g));
      Operand v = pop(cx_.globals[g].type);
      emit(op_global_set);
      emit_ab(v.slot, g);
      return;
    }
    case 0x25:
    case 0x26: {
      uint32_t x = take(r_.u32());
      if (failed_) return;
      const TableType* tt = table(x);
      if (!tt) return;
      if (op == 0x25) {
        Operand i = pop(ValType::I32);
        uint32_t dst = push(tt->elem);
        size_t p = emit(op_table_get);
        emit_ab(dst, i.slot);
        emit_ab(x, 0);
        mark_producer(p);
      } else {
        Operand v = pop(tt->elem);
        Operand i = pop(ValType::I32);
        emit(op_table_set);
        emit_ab(i.slot, v.slot);
        emit_ab(x, 0);
      }
      return;
    }
    case 0x3F:
    case 0x40: {
      zero_byte();
      need_memory();
      if (failed_) return;
      if (op == 0x3F) {
        uint32_t dst = push(ValType::I32);
        size_t p = emit(op_memory_size);
        emit_ab(dst, 0);
        mark_producer(p);
      } else {
        Operand d = pop(ValType::I32);
        uint32_t dst = push(ValType::I32);
        size_t p = emit(op_memory_grow);
        emit_ab(dst, d.slot);
        mark_producer(p);
      }
      return;
    }
    case 0x41:
    case 0x42:
    case 0x43:
    case 0x44: {
      uint64_t v = 0;
      ValType t = ValType::I32;
      if (op == 0x41) v = uint32_t(take(r_.s32()));
      else if (op == 0x42) v = uint64_t(take(r_.s64())), t = ValType::I64;
      else if (op == 0x43) v = take(r_.f32_bits()), t = ValType::F32;
      else v = take(r_.f64_bits()), t = ValType::F64;
      if (failed_) return;
      uint32_t dst = push(t);
      size_t p = emit(op_const);
      emit_ab(dst, 0);
      emit_u64(v);
      mark_producer(p);
      return;
    }
    case 0xD0: {
      uint8_t b = take(r_.u8());
      if (failed_) return;
      if (b != 0x70 && b != 0x6F) return fail("malformed reference type", ErrorKind::Malformed);
      uint32_t dst = push(ValType(b));
      size_t p = emit(op_const);
      emit_ab(dst, 0);
      emit_u64(0);
      mark_producer(p);
      return;
    }
    case 0xD1: {
      Operand v = pop();
      if (v.type != kUnknown && !is_ref(v.type)) return fail("type mismatch: ref.is_null needs a reference");
      uint32_t dst = push(ValType::I32);
      size_t p = emit(op_ref_is_null);
      emit_ab(dst, v.slot);
      mark_producer(p);
      return;
    }
    case 0xD2: {
      uint32_t f = take(r_.u32());
      if (failed_) return;
      if (f >= cx_.func_types.size()) return fail("unknown function " + std::to_string(f));
      if (!cx_.declared_funcs[f]) return fail("undeclared function reference " + std::to_string(f));
      uint32_t dst = push(ValType::FuncRef);
      size_t p = emit(op_ref_func);
      emit_ab(dst, f);
      mark_producer(p);
      return;
    }
    case 0xFC:
      return prefixed_fc();
    case 0xFD:
      return fail("SIMD instructions (prefix 0xFD) are not supported yet");
    default:
      break;
  }
  if (const MemoryOp& mo = memory_op(op); mo.name) {
    uint32_t align = take(r_.u32());
    uint32_t offset = take(r_.u32());
    if (failed_) return;
    // 2.0 has no memory index in memarg: an exponent of 32 or more (bit 6 is
    // the multi-memory flag) cannot be encoded.
    if (align >= 32) return fail("malformed memop flags", ErrorKind::Malformed);
    need_memory();
    if (align > mo.natural_log2) return fail("alignment must not be larger than natural");
    if (failed_) return;
    if (mo.is_store) {
      Operand v = pop(mo.type);
      Operand a = pop(ValType::I32);
      emit(mo.handler);
      emit_ab(a.slot, v.slot);
      emit_ab(offset, 0);
    } else {
      Operand a = pop(ValType::I32);
      uint32_t dst = push(mo.type);
      size_t p = emit(mo.handler);
      emit_ab(dst, a.slot);
      emit_ab(offset, 0);
      mark_producer(p);
    }
    return;
  }
  if (const SimpleOp& so = numeric_op(op); so.name) {
    if (so.arity == 1) unop(so.handler, so.in0, so.out);
    else binop(so.handler, so.in0, so.out);
    return;
  }
  fail("illegal opcode", ErrorKind::Malformed);
}

void Translator::prefixed_fc() {
  using namespace exec;
  uint32_t sub = take(r_.u32());
  if (failed_) return;
  if (sub < 8) {
    const SimpleOp& so = saturating_op(sub);
    return unop(so.handler, so.in0, so.out);
  }
  const ValType I32 = ValType::I32;
  switch (sub) {
    case 8: {  // memory.init
      uint32_t d = take(r_.u32());
      zero_byte();
      if (failed_) return;
      need_memory();
      if (failed_ || !need_data_count(d)) return;
      Operand n = pop(I32), s = pop(I32), dst = pop(I32);
      emit(op_memory_init);
      emit_ab(dst.slot, s.slot);
      emit_ab(n.slot, d);
      return;
    }
    case 9: {  // data.drop
      uint32_t d = take(r_.u32());
      if (failed_ || !need_data_count(d)) return;
      emit(op_data_drop);
      emit_ab(d, 0);
      return;
    }
    case 10: {  // memory.copy
      zero_byte();
      zero_byte();
      need_memory();
      Operand n = pop(I32), s = pop(I32), d = pop(I32);
      emit(op_memory_copy);
      emit_ab(d.slot, s.slot);
      emit_ab(n.slot, 0);
      return;
    }
    case 11: {  // memory.fill
      zero_byte();
      need_memory();
      Operand n = pop(I32), v = pop(I32), d = pop(I32);
      emit(op_memory_fill);
      emit_ab(d.slot, v.slot);
      emit_ab(n.slot, 0);
      return;
    }
    case 12: {  // table.init elem table
      uint32_t e = take(r_.u32());
      uint32_t x = take(r_.u32());
      if (failed_) return;
      const TableType* tt = table(x);
      if (!tt) return;
      if (e >= m_.elems.size()) return fail("unknown elem segment " + std::to_string(e));
      if (m_.elems[e].type != tt->elem) return fail("type mismatch: table.init element type differs from the table's");
      Operand n = pop(I32), s = pop(I32), d = pop(I32);
      emit(op_table_init);
      emit_ab(d.slot, s.slot);
      emit_ab(n.slot, e);
      emit_ab(x, 0);
      return;
    }
    case 13: {  // elem.drop
      uint32_t e = take(r_.u32());
      if (failed_) return;
      if (e >= m_.elems.size()) return fail("unknown elem segment " + std::to_string(e));
      emit(op_elem_drop);
      emit_ab(e, 0);
      return;
    }
    case 14: {  // table.copy dst src
      uint32_t xd = take(r_.u32());
      uint32_t xs = take(r_.u32());
      if (failed_) return;
      const TableType* td = table(xd);
      const TableType* ts = table(xs);
      if (!td || !ts) return;
      if (td->elem != ts->elem) return fail("type mismatch: table.copy between tables of different element types");
      Operand n = pop(I32), s = pop(I32), d = pop(I32);
      emit(op_table_copy);
      emit_ab(d.slot, s.slot);
      emit_ab(n.slot, 0);
      emit_ab(xd, xs);
      return;
    }
    case 15:    // table.grow
    case 16:    // table.size
    case 17: {  // table.fill
      uint32_t x = take(r_.u32());
      if (failed_) return;
      const TableType* tt = table(x);
      if (!tt) return;
      if (sub == 15) {
        Operand delta = pop(I32), init = pop(tt->elem);
        uint32_t dst = push(I32);
        size_t p = emit(op_table_grow);
        emit_ab(dst, init.slot);
        emit_ab(delta.slot, x);
        mark_producer(p);
      } else if (sub == 16) {
        uint32_t dst = push(I32);
        size_t p = emit(op_table_size);
        emit_ab(dst, x);
        mark_producer(p);
      } else {
        Operand n = pop(I32), v = pop(tt->elem), i = pop(I32);
        emit(op_table_fill);
        emit_ab(i.slot, v.slot);
        emit_ab(n.slot, x);
      }
      return;
    }
    default:
      return fail("illegal opcode 0xFC " + std::to_string(sub), ErrorKind::Malformed);
  }
}

}  // namespace

Expected<exec::FunctionCode> translate_function(const ModuleContext& cx, uint32_t defined_index) {
  return Translator(cx, defined_index).run();
}

}  // namespace wnn::valid
