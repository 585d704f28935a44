// One-pass validation + translation of a function body: the operand stack,
// control flow, branches and calls. The per-instruction cases are in
// translator_ops.cpp (the dispatch along binary/opcodes.def) and the files it
// names. See translator.h for the model.
#include "valid/translator.h"

#include <algorithm>
#include <string>

namespace wnn::valid {

void Translator::fail(std::string msg, ErrorKind kind) {
  if (failed_) return;
  failed_ = true;
  std::string where = "function " + std::to_string(func_index_);
  if (auto it = m_.function_names.find(func_index_); it != m_.function_names.end()) where += " \"" + it->second + "\"";
  where += ", at offset " + std::to_string(instr_offset_);
  if (op_name_)
    where += std::string(" (") + op_name_ + ")";
  else if (opcode_ >= 0)
    where += std::string(" (") + opcode_name(uint8_t(opcode_)) + ")";
  error_ = Error(kind, where + ": " + std::move(msg));
}

void Translator::wrong_layout(Handler h, const char* layout) {
  fail("internal error: " + exec::layout_mismatch(h, layout), ErrorKind::Internal);
}

void Translator::record_decode_error(const Error& e) {
  if (failed_) return;
  failed_ = true;
  error_ = Error(ErrorKind::Malformed, "function " + std::to_string(func_index_) + ", " + e.message);
}

Operand Translator::pop_lazy(ValType expect) {
  if (stack_.size() == top().height) {
    if (!top().unreachable)
      fail(std::string("type mismatch: expected ") + (expect == kUnknown ? "a value" : val_type_name(expect)) +
           " but the operand stack is empty");
    uint32_t c = next_canon();
    return {kUnknown, c, c};
  }
  Operand o = stack_.back();
  stack_.pop_back();
  canonical_below_ = std::min(canonical_below_, stack_.size());
  if (expect != kUnknown && o.type != kUnknown && o.type != expect)
    fail(std::string("type mismatch: expected ") + val_type_name(expect) + ", got " + val_type_name(o.type));
  return o;
}

// Checks that the top of the stack matches `types` without popping.
void Translator::check_top(const std::vector<ValType>& types) {
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

// ---- branches ----

// Canonical slot of the i-th value of `target`'s label.
uint32_t Translator::label_slot(const Ctrl& target, size_t i) const {
  uint32_t s = target.base_slot;
  const std::vector<ValType>& lt = target.label_types();
  for (size_t k = 0; k < i; ++k) s += slot_count(lt[k]);
  return s;
}

// Canonical slot of the i-th result of block `c` (where its end leaves it).
uint32_t Translator::result_slot(const Ctrl& c, size_t i) const {
  uint32_t s = c.base_slot;
  for (size_t k = 0; k < i; ++k) s += slot_count(c.results[k]);
  return s;
}

bool Translator::branch_needs_copies(const Ctrl& target) const {
  if (target.opcode == 0x00) return true;  // a return: see branch_to
  size_t n = target.label_types().size();
  for (size_t i = 0; i < n; ++i)
    if (stack_[stack_.size() - n + i].slot != label_slot(target, i)) return true;
  return false;
}

// Copies the label's values into place, in increasing slot order: a source is
// either a local (below every canonical slot) or a canonical slot at or above
// its destination, so no source is overwritten before it is read.
void Translator::branch_copies(const Ctrl& target) {
  size_t n = target.label_types().size();
  for (size_t i = 0; i < n; ++i) move_to(label_slot(target, i), stack_[stack_.size() - n + i]);
}

// Emits a jump instruction (br/br_if/br_unless) to `target`. Jumps back to
// a loop header use the _loop forms, which charge the budget (fuel,
// interruption): every loop that runs forever passes through one.
void Translator::jump(Handler h, Ctrl& target, uint32_t cond) {
  if (target.opcode == 0x03) {
    if (h == exec::op_br) {
      size_t p = emit(exec::op_br_loop, layout::BrLoop{.target = 0, .charge = loop_charge(target)});
      if (p == npos) return;
      return bind(p, p + layout::BrLoop::target_word, target.start);
    }
    if (h == exec::op_br_if) {
      size_t p =
          emit(exec::op_br_if_loop, layout::BrCondLoop{.target = 0, .cond = cond, .charge = loop_charge(target)});
      if (p == npos) return;
      return bind(p, p + layout::BrCondLoop::target_word, target.start);
    }
  }
  // br (Br) or br_if/br_unless (BrCond): their target in the same word.
  static_assert(layout::Br::target_word == layout::BrCond::target_word);
  size_t p = h == exec::op_br ? emit(h, layout::Br{.target = 0}) : emit(h, layout::BrCond{.target = 0, .cond = cond});
  if (p == npos) return;
  if (target.opcode == 0x03)
    bind(p, p + layout::Br::target_word, target.start);
  else
    target.fixups.push_back({p, p + layout::Br::target_word});
}

// An unconditional branch to `target`: copies plus a jump; a branch to the
// function's own label is a return.
void Translator::branch_to(Ctrl& target) {
  if (target.opcode == 0x00) return emit_return();
  branch_copies(target);
  jump(exec::op_br, target);
}

// Copies the results into fp[0..) and returns.
void Translator::emit_return() {
  if (dead()) return;
  size_t m = type_.results.size();
  size_t base = stack_.size() - m;
  // Copy in increasing order; a source below its destination would be
  // overwritten before it is read, so move it to its canonical slot first.
  // (The compile-time stack is not changed: after br_if the values stay
  // where they were.)
  std::vector<uint32_t> src(m), dst(m);
  uint32_t d = 0;
  for (size_t k = 0; k < m; ++k) {
    const Operand& o = stack_[base + k];
    dst[k] = d;
    d += slot_count(type_.results[k]);
    src[k] = o.slot;
    if (!o.is_const() && src[k] < dst[k]) {
      copy(o.canon, o.slot, type_.results[k]);
      src[k] = o.canon;
    }
  }
  for (size_t k = 0; k < m; ++k) {
    const Operand& o = stack_[base + k];
    if (o.is_const())
      move_to(dst[k], o);
    else
      copy(dst[k], src[k], type_.results[k]);
  }
  emit(exec::op_return);
}

// ---- immediates ----

namespace {
// The value type bytes: i32 i64 f32 f64 v128 funcref externref.
bool is_value_type(uint8_t b) {
  return b == 0x7F || b == 0x7E || b == 0x7D || b == 0x7C || b == 0x7B || b == 0x70 || b == 0x6F;
}
}  // namespace

ValType Translator::read_valtype() {
  uint8_t b = take(r_.u8());
  if (is_value_type(b)) return ValType(b);
  fail("malformed value type", ErrorKind::Malformed);
  return ValType::I32;
}

void Translator::read_blocktype(std::vector<ValType>& params, std::vector<ValType>& results) {
  size_t start = r_.offset();
  int64_t bt = take(r_.s33());
  if (failed_) return;
  // 0x40 and value types are single bytes; any other negative s33 (e.g.
  // 0xFF 0x7E = -129, or a two-byte -1) is no block type.
  if (bt < 0 && r_.offset() - start != 1) return fail("malformed block type", ErrorKind::Malformed);
  if (bt == -64) return;  // 0x40: []
  if (bt < 0) {
    const uint8_t b = uint8_t(bt & 0x7F);
    if (!is_value_type(b)) return fail("malformed block type", ErrorKind::Malformed);
    results.push_back(ValType(b));
    return;
  }
  if (uint64_t(bt) >= m_.types.size()) return fail("unknown type " + std::to_string(bt));
  params = m_.types[bt].params;
  results = m_.types[bt].results;
}

void Translator::need_memory() {
  if (cx_.num_memories == 0) fail("unknown memory 0");
}

void Translator::zero_byte() {
  if (take(r_.u8()) != 0) fail("zero byte expected", ErrorKind::Malformed);
}

const TableType* Translator::table(uint32_t idx) {
  if (idx >= cx_.tables.size()) {
    fail("unknown table " + std::to_string(idx));
    return nullptr;
  }
  return &cx_.tables[idx];
}

bool Translator::need_data_count(uint32_t idx) {
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

// ---- the function ----

Expected<exec::FunctionCode> Translator::run() {
  locals_ = type_.params;
  uint64_t total = 0;
  for (ValType p : type_.params) total += slot_count(p);
  uint32_t param_slots = uint32_t(total);
  for (const LocalDecl& d : code_entry_.locals) {
    total += uint64_t(d.count) * slot_count(d.type);
    if (total > kMaxFrameSlots)
      return Error(ErrorKind::Invalid, "function " + std::to_string(func_index_) + " declares " +
                                           std::to_string(total) + "+ locals; wnn supports at most " +
                                           std::to_string(kMaxFrameSlots) + " (a v128 local counts twice)");
    locals_.insert(locals_.end(), d.count, d.type);
  }
  local_slot_.resize(locals_.size());
  uint32_t s = 0;
  for (size_t i = 0; i < locals_.size(); ++i) {
    local_slot_[i] = s;
    s += slot_count(locals_[i]);
  }
  local_slots_ = s;
  max_slot_ = s;

  Ctrl fn;
  fn.opcode = 0x00;
  fn.results = type_.results;
  fn.height = 0;
  fn.base_slot = local_slots_;
  ctrls_.push_back(std::move(fn));

  while (!ctrls_.empty()) {
    if (r_.at_end()) {
      instr_offset_ = r_.offset();
      fail("END opcode expected (unexpected end of function body)", ErrorKind::Malformed);
      break;
    }
    instr_offset_ = r_.offset();
    if ((instr_count_ & 0xFFF) == 0xFFF && cx_.options && stop_requested(*cx_.options)) {
      failed_ = true;
      error_ =
          interrupted_compile("function " + std::to_string(func_index_) + ", offset " + std::to_string(instr_offset_));
      break;
    }
    uint8_t op = take(r_.u8());
    opcode_ = op;
    op_name_ = nullptr;
    ++instr_count_;
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
  fc.loops = std::move(loops_);
  fc.param_slots = param_slots;
  fc.local_slots = local_slots_;
  for (ValType t : type_.results) fc.result_slots += slot_count(t);
  uint64_t frame = max_slot_;
  if (frame < fc.result_slots) frame = fc.result_slots;
  if (frame > kMaxFrameSlots)
    return Error(ErrorKind::Invalid, "function " + std::to_string(func_index_) + " needs a frame of " +
                                         std::to_string(frame) + " slots; wnn supports at most " +
                                         std::to_string(kMaxFrameSlots));
  fc.frame_slots = uint32_t(frame);
  return fc;
}

void Translator::local_get(uint32_t idx) {
  if (idx >= locals_.size()) return fail("unknown local " + std::to_string(idx));
  // No code: the last instruction's result may still be fused into the
  // consumer (each fusion checks the producer wrote that operand's slot).
  push(locals_[idx]);
  stack_.back().slot = local_slot_[idx];
}

void Translator::local_set(uint32_t idx, bool tee) {
  if (idx >= locals_.size()) return fail("unknown local " + std::to_string(idx));
  ValType t = locals_[idx];
  uint32_t ls = local_slot_[idx];
  Operand v = pop_raw(t);  // a lazy sum is emitted here, as the producer
  size_t producer = producer_;
  if (failed_) return;
  if (v.slot == ls && v.type != kUnknown) {  // local.set x of local.get x
    if (tee) push(t), stack_.back().slot = ls;
    return;
  }
  bool referenced = false;  // does a value below still read the local lazily?
  for (size_t i = canonical_below_; i < stack_.size(); ++i) referenced |= stack_[i].slot == ls;
  if (!dead() && producer != npos && !referenced && v.slot == v.canon && dst_of(producer) == v.canon) {
    set_dst(producer, ls);  // the producer writes the local directly
  } else {
    for (size_t i = canonical_below_; i < stack_.size(); ++i)
      if (stack_[i].slot == ls) materialize(i);
    move_to(ls, v);
  }
  producer_ = npos;
  if (tee) {
    if (v.is_const()) return push_const(t, v.value);  // still usable as an immediate
    push(t);
    stack_.back().slot = ls;  // the value now lives in the local
  }
}

void Translator::block_start(uint8_t op) {
  if (ctrls_.size() > kMaxControlDepth)
    return fail("blocks nested more than " + std::to_string(kMaxControlDepth) + " deep (implementation limit)",
                ErrorKind::Exhaustion);
  Ctrl c;
  c.opcode = op;
  read_blocktype(c.params, c.results);
  if (failed_) return;
  Operand cond{};
  if (op == 0x04) cond = pop(ValType::I32);
  // Check the params, keeping them on the stack for the block.
  std::vector<Operand> ps(c.params.size());
  for (size_t i = c.params.size(); i-- > 0;) ps[i] = pop(c.params[i]);
  c.height = stack_.size();
  c.base_slot = next_canon();
  for (size_t i = 0; i < ps.size(); ++i) {
    push(c.params[i]);
    if (ps[i].type != kUnknown) stack_.back().slot = ps[i].slot;
  }
  size_t producer = producer_, end = code_.size();
  materialize_all();  // every path into the block sees values in canonical slots
  // Only `if` may fuse with the comparison before it; nothing may reach back
  // over the start of a block or loop (a loop header is a branch target).
  producer_ = op == 0x04 && code_.size() == end ? producer : npos;
  if (op == 0x04) {
    if (Fixup f = fuse_compare_branch(cond, /*invert=*/true, nullptr); f.instr != npos) {
      c.else_fixup = f;
    } else if (size_t p = emit(exec::op_br_unless, layout::BrCond{.target = 0, .cond = cond.slot}); p != npos) {
      c.else_fixup = {p, p + layout::BrCond::target_word};
    }
  }
  producer_ = npos;
  c.dead_code = dead();  // a block inside dead code emits nothing
  if (op == 0x03) {
    c.start = code_.size(), c.instr_start = instr_count_;
    if (!c.dead_code) loops_.push_back({uint32_t(c.start), uint32_t(instr_offset_)});
  }
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
    for (size_t i = 0; i < res.size(); ++i) copy(result_slot(c, i), res[i].slot, c.results[i]);
    jump(exec::op_br, c);
  }
  if (c.else_fixup.instr != npos) bind_here(c.else_fixup);
  c.else_fixup = {npos, npos};
  c.opcode = 0x05;
  c.unreachable = false;
  producer_ = npos;
  shrink_stack(c.height);
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
    for (size_t i = 0; i < res.size(); ++i) copy(result_slot(c, i), res[i].slot, c.results[i]);
  producer_ = npos;
  if (c.else_fixup.instr != npos) bind_here(c.else_fixup);
  for (const Fixup& f : c.fixups) bind_here(f);
  size_t height = c.height;
  std::vector<ValType> results = std::move(c.results);
  ctrls_.pop_back();
  shrink_stack(height);
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
  // The index may be a lazy sum (the table takes the addend) or the byte
  // just loaded (the table does the load); every other value is materialised.
  Operand index = pop_lazy(ValType::I32);
  if (index.is_const()) move_to(index.canon, index), index.slot = index.canon;
  materialize_lazy_sums();
  Handler table_op = exec::op_br_table;
  layout::LoadAtSumImm load{};  // br_table_load8: the load it does
  if (index.add_imm) {
    table_op = exec::op_br_table_add;
  } else if (!dead() && producer_ != npos && index.slot == index.canon &&
             ((code_[producer_].h == exec::op_i32_load8_u && is_last<layout::Load>(producer_)) ||
              (code_[producer_].h == exec::op_i32_load8_u_at_sum_imm && is_last<layout::LoadAtSumImm>(producer_))) &&
             dst_of(producer_) == index.canon) {
    load = load_operands(producer_, code_[producer_].h == exec::op_i32_load8_u);
    code_.resize(producer_);
    producer_ = npos;
    table_op = exec::op_br_table_load8;
  }
  size_t arity = ctrls_[ctrls_.size() - 1 - labels[n]].label_types().size();
  // Tables may be long and repeat a few labels: check and plan each label
  // once. Per-label state is indexed by the label's rank among the distinct
  // labels, so it costs the table's size, not the nesting depth.
  std::vector<uint32_t> distinct(labels);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  auto rank = [&](uint32_t l) {
    return size_t(std::lower_bound(distinct.begin(), distinct.end(), l) - distinct.begin());
  };
  std::vector<uint8_t> checked(distinct.size(), 0);
  for (uint32_t l : labels) {
    if (checked[rank(l)]) continue;
    checked[rank(l)] = 1;
    const Ctrl& t = ctrls_[ctrls_.size() - 1 - l];
    if (t.label_types().size() != arity) return fail("type mismatch: br_table targets have different arities");
    check_top(t.label_types());
    if (failed_) return;
  }
  size_t p = npos;
  if (table_op == exec::op_br_table)
    p = emit(table_op, layout::BrTable{.index = index.slot, .n = n});
  else if (table_op == exec::op_br_table_add)
    p = emit(table_op, layout::BrTableAdd{.index = index.slot, .n = n, .imm = uint32_t(index.value)});
  else
    p = emit(table_op, layout::BrTableLoad8{.addr = load.addr, .n = n, .imm = load.imm, .offset = load.offset});
  if (p != npos) {
    const size_t first = code_.size() - p;  // the word of the first entry, after the operands
    std::vector<int8_t> copies(distinct.size(), -1);  // per label: needs a copying trampoline?
    std::vector<size_t> needs;                        // entries that go through one
    for (uint32_t i = 0; i <= n; ++i) {
      Ctrl& t = ctrls_[ctrls_.size() - 1 - labels[i]];
      Word w{};
      code_.push_back(w);
      size_t word = p + first + i;
      int8_t& c = copies[rank(labels[i])];
      // Loops go through a trampoline too: its br_loop charges the budget.
      if (c < 0) c = t.opcode == 0x03 || branch_needs_copies(t) ? 1 : 0;
      if (c)
        needs.push_back(i);
      else if (t.opcode == 0x03)
        bind(p, word, t.start);
      else
        t.fixups.push_back({p, word});
    }
    std::vector<size_t> trampoline(distinct.size(), npos);  // per label: its position
    for (size_t i : needs) {
      size_t& at = trampoline[rank(labels[i])];
      if (at == npos) {
        at = code_.size();
        branch_to(ctrls_[ctrls_.size() - 1 - labels[i]]);
      }
      bind(p, p + first + i, at);
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
  return next_canon();
}

Expected<exec::FunctionCode> translate_function(const ModuleContext& cx, uint32_t defined_index) {
  return Translator(cx, defined_index).run();
}

}  // namespace wnn::valid
