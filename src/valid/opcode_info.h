// The translator's view of the opcodes whose translation is one internal
// instruction with fixed operand types (numeric, conversion, load, store,
// SIMD): the row of binary/opcodes.def plus the interpreter handler(s) that
// implement it. Built from the table; nothing here restates an opcode.
#pragma once
#include <cstdint>

#include "binary/opcodes.h"
#include "exec/code.h"
#include "wnn/types.h"

namespace wnn::valid {

// 0 in an operand position means "none".
struct SimpleOp {
  const char* name = nullptr;   // "i32.add"; nullptr: not a simple op
  exec::Handler handler = nullptr;
  ValType in0{}, in1{};         // operands popped (in1 is the top for binary ops)
  ValType out{};
  uint8_t arity = 0;            // 1 or 2 operands
};

// Numeric and conversion ops: single-byte opcodes 0x45..0xC4, and the
// saturating truncations 0xFC 0..7 (looked up with `saturating_op`).
const SimpleOp& numeric_op(uint8_t opcode);
const SimpleOp& saturating_op(uint32_t sub);

struct MemoryOp {
  const char* name = nullptr;
  exec::Handler handler = nullptr;
  ValType type{};         // value loaded or stored
  uint8_t natural_log2 = 0;  // natural alignment, log2 bytes
  bool is_store = false;
  exec::Handler add_handler = nullptr;     // loads: the form whose address is a + b
  exec::Handler addimm_handler = nullptr;  // address a + constant
  exec::Handler idx_handler = nullptr;     // loads: address a + (b << k) + constant
  exec::Handler const_handler = nullptr;   // stores: of a constant value
};
// The form of an i32 immediate op (mul/shl/and/or/xor/shr_u) followed by the
// addition of a constant, (x OP c1) + c2, or nullptr.
exec::Handler imm_then_add(exec::Handler op_imm);

// The fused form of two f32 immediate ops (add/sub/mul/div _imm) in a row,
// or nullptr.
exec::Handler f32_imm_pair(exec::Handler first, exec::Handler second);

// Bytes read by a plain or constant-sum load handler (setting *addimm for
// the latter), 0 for anything else.
uint8_t load_width(exec::Handler h, bool* addimm);

// The fused form `op_<name>_load` of a binary op whose second operand comes
// straight from a load of its type (plain, or of a constant sum), or nullptr.
exec::Handler binary_load_form(exec::Handler binop, exec::Handler* load, exec::Handler* load_addimm);
// Loads and stores: opcodes 0x28..0x3E.
const MemoryOp& memory_op(uint8_t opcode);

// Name of any single-byte opcode (for messages); "0xNN" when unknown.
const char* opcode_name(uint8_t opcode);

// A SIMD instruction (prefix 0xFD): its row's family says how
// translator_simd.cpp translates it (layouts in src/exec/ops.def).
struct SimdOp {
  const char* name = nullptr;  // "i8x16.add"; nullptr: no such instruction
  exec::Handler handler = nullptr;
  binary::OpFamily family = binary::OpFamily::Invalid;
  ValType scalar{};            // VSplat operand, VExtract result, VReplace operand
  uint8_t lanes = 0;           // bound of a lane immediate
  uint8_t natural_log2 = 0;    // memory ops: natural alignment, log2 bytes
};

// The instruction 0xFD `sub`; a default SimdOp (name == nullptr) if none.
const SimdOp& simd_op(uint32_t sub);

}  // namespace wnn::valid

namespace wnn::valid {

// Immediate form of a binary numeric op (opcode 0x45..0xC4), for a constant
// second operand. `swapped` is the opcode that gives the same result with the
// operands exchanged (itself for commutative ops, gt for lt, ...; 0: none),
// so that a constant first operand can become the immediate too.
struct ImmForm {
  exec::Handler imm = nullptr;
  uint8_t swapped = 0;
};
const ImmForm& imm_form(uint8_t opcode);

// The compare-and-branch forms of an integer comparison, found by the
// comparison's handler (plain or immediate form). `inverse` is the index of
// the negated comparison, for `if` (which branches when the condition fails).
struct CompareBranch {
  exec::Handler cmp, cmp_imm, br, br_imm, br_loop, br_imm_loop;
  uint8_t inverse;
  bool i64;  // cmp_imm holds a 64-bit immediate, br_imm a 32-bit one
};
const CompareBranch* compare_branch(exec::Handler h, bool* is_imm);
const CompareBranch& compare_branch_at(uint8_t index);

}  // namespace wnn::valid
