// Internal to src/valid: the state of one-pass validation + translation of a
// function body (see function_translator.h for the entry point).
//
// The Wasm operand stack is modelled at translation time only. Each stack
// entry has a "canonical" frame slot fixed when it is pushed: the slots after
// the locals, in stack order (a v128 takes two). `local.get` pushes no code:
// the entry just names the local's slot, and is copied to its canonical slot
// ("materialised") only when that becomes necessary (the local is about to
// change, a block boundary, a call, a branch that needs the value in place).
// An instruction whose result is immediately stored by `local.set`/`tee`
// writes the local directly. See docs/architecture.md, "Translation".
#pragma once
#include <algorithm>
#include <string>
#include <vector>

#include "binary/reader.h"
#include "exec/code.h"
#include "exec/op_info.h"
#include "exec/operands.h"
#include "valid/function_translator.h"
#include "valid/opcode_info.h"

namespace wnn::valid {

using exec::Handler;
using exec::Word;
namespace layout = exec::layout;
constexpr ValType kUnknown = ValType{0};  // polymorphic stack value (dead code)
constexpr size_t npos = size_t(-1);

// A constant pushed by i32.const & co. emits no code either: its entry holds
// the value (slot == kConstSlot) until an instruction takes it as an
// immediate operand or it is written to a slot.
constexpr uint32_t kConstSlot = 0xFFFFFFFF;

// Likewise `x + c` (i32.add/sub of a constant, x in a slot) emits no code:
// its entry is lazy (add_imm set, slot = x's slot, value = c) until a load or
// store folds it into its address, i32.add folds it into an i32_add_shl, or
// it is written to a slot. Lazy sums live only between the straight-line
// instructions that know them: any other instruction materialises them first
// (see Translator::instruction).
struct Operand {
  ValType type;
  uint32_t slot;   // where the value is now: its canonical slot, a local's, or kConstSlot
  uint32_t canon;  // its canonical slot
  uint64_t value = 0;  // slot == kConstSlot: the constant's bits; add_imm: the addend
  bool add_imm = false;
  // add_imm: the instruction that computed x into this entry's own slot just
  // before the sum was formed (npos if none): materialising the sum may merge
  // the addition into it.
  size_t sum_producer = size_t(-1);
  bool is_const() const { return slot == kConstSlot; }
};

struct Fixup {
  size_t instr;  // start of the branching instruction
  size_t word;   // the word holding its branch offset (a layout's `target`, or a br_table entry)
};

struct Ctrl {
  uint8_t opcode;  // 0x02 block, 0x03 loop, 0x04 if, 0x05 else, 0x00 function
  std::vector<ValType> params, results;
  size_t height = 0;            // stack size below the params
  uint32_t base_slot = 0;       // canonical slot of stack position `height`
  bool unreachable = false;     // after br/return/...: the stack is polymorphic
  bool dead_code = false;       // the whole block is in unreachable code: emit nothing
  size_t start = npos;          // loop: first instruction of the body
  uint64_t instr_start = 0;     // loop: Wasm instructions translated before it
  Fixup else_fixup{npos, npos}; // if: the branch to the else branch
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
  friend struct EmitCheckProbe;  // tests/unit/valid/emit_check_test.cpp: a wrong layout on purpose

  // ---- errors (the first one wins; callers check failed_) ----
  void fail(std::string msg, ErrorKind kind = ErrorKind::Invalid);
  template <typename T> T take(Expected<T> e) {  // read helper: records decode errors
    if (!e.ok()) {
      record_decode_error(e.error());
      return T{};
    }
    return std::move(e).value();
  }
  void record_decode_error(const Error& e);

  // ---- operand stack ----
  Ctrl& top() { return ctrls_.back(); }
  bool dead() const { return ctrls_.back().unreachable || ctrls_.back().dead_code; }
  uint32_t next_canon() const {
    return stack_.empty() ? local_slots_ : stack_.back().canon + slot_count(stack_.back().type);
  }
  uint32_t push(ValType t) {
    uint32_t c = next_canon();
    stack_.push_back({t, c, c});
    if (c + slot_count(t) > max_slot_) {
      max_slot_ = c + slot_count(t);
      // Stop at once rather than at the end: the operand stack is host memory.
      if (max_slot_ > kMaxFrameSlots)
        fail("needs a frame of more than " + std::to_string(kMaxFrameSlots) + " slots (wnn's limit)");
    }
    return c;
  }
  void push_const(ValType t, uint64_t v) {
    push(t);
    stack_.back().slot = kConstSlot;
    stack_.back().value = v;
  }
  // Pops a value that is in a slot (a constant is written to its canonical
  // slot first); pop_raw may return a constant entry, pop_lazy also a lazy
  // sum (pop_raw materialises it and makes it the producer).
  Operand pop(ValType expect = kUnknown) {
    Operand o = pop_raw(expect);
    if (o.is_const()) {
      move_to(o.canon, o);
      o.slot = o.canon;
    }
    return o;
  }
  Operand pop_raw(ValType expect = kUnknown) {
    Operand o = pop_lazy(expect);
    if (o.add_imm) {
      const size_t p = move_to(o.canon, o);
      o.slot = o.canon;
      o.add_imm = false;
      if (p != npos) mark_producer(p);
    }
    return o;
  }
  Operand pop_lazy(ValType expect = kUnknown);
  void push_add_imm(uint32_t base, uint32_t imm, size_t sum_producer = npos) {
    push(ValType::I32);
    lazy_from_ = std::min(lazy_from_, stack_.size() - 1);
    stack_.back().slot = base;
    stack_.back().value = imm;
    stack_.back().add_imm = true;
    stack_.back().sum_producer = sum_producer;
    producer_ = npos;
  }
  void check_top(const std::vector<ValType>& types);
  void shrink_stack(size_t n) {
    stack_.resize(n);
    canonical_below_ = std::min(canonical_below_, n);
  }
  void set_unreachable() {
    shrink_stack(top().height);
    top().unreachable = true;
  }

  // ---- code emission (nothing is emitted in dead code) ----
  // Emits `h` with its operands, `ops` of h's layout (src/exec/ops.def);
  // returns where it starts. An op emitted with another layout's operands is
  // a bug in wnn: the translation fails (ErrorKind::Internal) rather than
  // making code that reads its operands from the wrong places.
  template <typename L> size_t emit(Handler h, const L& ops) {
    producer_ = npos;
    if (!exec::has_layout<L>(h)) [[unlikely]] {
      wrong_layout(h, L::kName);
      return npos;
    }
    if (dead()) return npos;
    const size_t p = code_.size();
    code_.resize(p + L::kWords);
    code_[p].h = h;
    ops.write(&code_[p]);
    return p;
  }
  size_t emit(Handler h) { return emit(h, layout::NoOperands{}); }
  // A peephole's rewrite of the instruction at `p` into `h` with `ops`, of
  // the same size; checked as emit is.
  template <typename L> void rewrite(size_t p, Handler h, const L& ops) {
    if (!exec::has_layout<L>(h)) [[unlikely]]
      return wrong_layout(h, L::kName);
    code_[p].h = h;
    ops.write(&code_[p]);
  }
  // The same, keeping the operands: `h` must have the layout of the op it
  // replaces.
  void rewrite_handler(size_t p, Handler h) {
    const exec::OpInfo* was = exec::op_info(code_[p].h);
    if (!was || !exec::op_info(h) || exec::op_info(h)->layout_id != was->layout_id) [[unlikely]]
      return wrong_layout(h, was ? was->layout : "?");
    code_[p].h = h;
  }
  void wrong_layout(Handler h, const char* layout);
  // The operands of the instruction at `p`, of layout L.
  template <typename L> L operands_at(size_t p) const { return L::read(&code_[p]); }
  // Whether the instruction at `p` (npos: none) is the last one emitted and
  // has layout L: a peephole may then rewrite or drop it.
  template <typename L> bool is_last(size_t p) const { return p != npos && p + L::kWords == code_.size(); }
  // The slot the value-producing instruction at `p` writes: every such
  // layout has its `dst` operand in the same place.
  uint32_t dst_of(size_t p) const { return code_[p + layout::Unary::dst_word].a; }
  void set_dst(size_t p, uint32_t dst) { code_[p + layout::Unary::dst_word].a = dst; }
  // The operands of a load at `p`, plain (Load) or _addimm (LoadAtSumImm), as
  // the latter (a plain load adds 0).
  layout::LoadAtSumImm load_operands(size_t p, bool plain) const {
    if (!plain) return operands_at<layout::LoadAtSumImm>(p);
    const layout::Load ld = operands_at<layout::Load>(p);
    return {.dst = ld.dst, .addr = ld.addr, .imm = 0, .offset = ld.offset};
  }
  // The instruction at `pos` writes its result (its dst operand) to the top
  // entry's canonical slot; local.set may retarget it.
  void mark_producer(size_t pos) { producer_ = pos; }
  void copy(uint32_t dst, uint32_t src, ValType t) {
    if (dst == src) return;
    emit(slot_count(t) == 2 ? exec::op_copy2 : exec::op_copy, layout::Unary{.dst = dst, .src = src});
  }
  // Writes the value of `o` (in a slot, a constant or a lazy sum) to slot
  // `dst`; returns where the instruction that does it starts (npos if none).
  size_t move_to(uint32_t dst, const Operand& o) {
    if (dead()) return npos;
    if (o.add_imm) {
      // (x OP c1) + c2, x OP c1 just emitted into the sum's slot: one instruction.
      const size_t p = o.sum_producer;
      if (is_last<layout::BinaryImm32>(p) && dst_of(p) == o.slot && dst == o.slot) {
        if (const Handler h = imm_then_add(code_[p].h)) {  // BinaryImm32 -> ImmPair: c2 added
          auto ops = operands_at<layout::BinaryImm32>(p);
          rewrite(p, h, layout::ImmPair{.dst = ops.dst, .x = ops.a, .c1 = ops.imm, .c2 = uint32_t(o.value)});
          return p;
        }
      }
      return emit(exec::op_i32_add_imm, layout::BinaryImm32{.dst = dst, .a = o.slot, .imm = uint32_t(o.value)});
    }
    if (!o.is_const()) {
      if (dst == o.slot) return npos;
      const size_t at = code_.size();
      copy(dst, o.slot, o.type);
      return at;
    }
    return emit(exec::op_const, layout::Const{.dst = dst, .value = o.value});
  }
  void materialize(size_t pos) {
    Operand& o = stack_[pos];
    if (o.slot != o.canon || o.add_imm) {
      move_to(o.canon, o);
      o.slot = o.canon;
      o.add_imm = false;
    }
  }
  // Only entries from lazy_from_ up can be lazy sums: the scan is amortised
  // O(1) per instruction, however deep the stack.
  void materialize_lazy_sums() {
    for (size_t i = lazy_from_; i < stack_.size(); ++i)
      if (stack_[i].add_imm) materialize(i);
    lazy_from_ = npos;
  }
  void materialize_all() {
    for (size_t i = canonical_below_; i < stack_.size(); ++i) materialize(i);
    canonical_below_ = stack_.size();
  }

  // ---- branches (translator.cpp) ----
  void bind(size_t instr, size_t word, size_t target) {
    code_[word].a = uint32_t(int32_t(int64_t(target) - int64_t(instr)));  // a rel operand
  }
  void bind_here(const Fixup& f) { bind(f.instr, f.word, code_.size()); }
  uint32_t label_slot(const Ctrl& target, size_t i) const;
  uint32_t result_slot(const Ctrl& c, size_t i) const;
  bool branch_needs_copies(const Ctrl& target) const;
  void branch_copies(const Ctrl& target);
  void jump(Handler h, Ctrl& target, uint32_t cond = 0);
  void branch_to(Ctrl& target);
  void emit_return();

  // ---- immediates ----
  ValType read_valtype();
  void read_blocktype(std::vector<ValType>& params, std::vector<ValType>& results);
  void need_memory();
  void zero_byte();
  const TableType* table(uint32_t idx);
  bool need_data_count(uint32_t idx);

  // ---- instructions: one method per family of binary/opcodes.def ----
  void instruction(uint8_t op);  // the dispatch: translator_ops.cpp
  void op_br_or_br_if(uint8_t op);  // br, br_if
  void op_return();
  void op_call();
  void op_call_indirect();
  void op_select(uint8_t op);    // select, select t
  void op_global_get();
  void op_global_set();
  void op_const(binary::ImmKind imm);
  void op_ref_null();
  void op_ref_is_null();
  void op_ref_func();
  void memory_access(const MemoryOp& mo);  // loads, stores: translator_memory.cpp
  void op_memory_size_grow(bool grow);
  void op_table_get_set(bool set);
  void prefixed_fc();            // 0xFC: translator_memory.cpp
  void prefixed_fd();            // SIMD: translator_simd.cpp
  uint32_t lane_index(uint32_t lanes);
  bool fuse_load_binop(Handler h);
  void block_start(uint8_t op);
  void op_else();
  void op_end();
  void end_check(Ctrl& c, std::vector<Operand>& out);
  void op_br_table();
  uint32_t call_args(const FuncType& ft);
  void local_get(uint32_t idx);
  void local_set(uint32_t idx, bool tee);
  void unop(Handler h, ValType in, ValType out);
  void binop(Handler h, ValType in, ValType out);
  void numeric_binop(uint8_t opcode, const SimpleOp& so);
  void eqz(uint8_t opcode);
  Fixup fuse_compare_branch(const Operand& cond, bool invert, const Ctrl* loop);
  // What a back-edge to `loop` charges the budget: its body's instructions.
  uint32_t loop_charge(const Ctrl& loop) const {
    uint64_t n = instr_count_ - loop.instr_start;
    return n == 0 ? 1 : n > 0xFFFFFFFF ? 0xFFFFFFFF : uint32_t(n);
  }

  const ModuleContext& cx_;
  const Module& m_;
  uint32_t func_index_;
  const FuncType& type_;
  const Code& code_entry_;
  binary::Reader r_;

  std::vector<ValType> locals_;
  std::vector<uint32_t> local_slot_;  // first slot of each local
  uint32_t local_slots_ = 0;          // slots of params + locals
  std::vector<Operand> stack_;
  std::vector<Ctrl> ctrls_;
  uint32_t max_slot_ = 0;             // one past the highest slot used
  std::vector<Word> code_;
  std::vector<exec::LoopHeader> loops_;
  size_t producer_ = npos;
  size_t lazy_from_ = npos;  // lowest stack index that may hold a lazy sum
  // Entries below this index are in their canonical slots (set by
  // materialize_all; only the top entry is ever retargeted, right after its
  // push), so block starts and local.set scan only the part above it: linear
  // time however deep the stack.
  size_t canonical_below_ = 0;

  size_t instr_offset_ = 0;
  uint64_t instr_count_ = 0;  // Wasm instructions translated so far
  int opcode_ = -1;
  const char* op_name_ = nullptr;  // name of a prefixed instruction, for messages
  bool failed_ = false;
  Error error_{ErrorKind::Invalid, ""};  // meaningful once failed_ is set
};

}  // namespace wnn::valid
