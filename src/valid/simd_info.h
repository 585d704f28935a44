// Static facts about the SIMD instructions (prefix 0xFD): for each sub-opcode
// its name, handler, operand shape and immediates. translator_simd.cpp turns
// each shape into one internal instruction (layouts in src/exec/ops.def).
#pragma once
#include <cstdint>

#include "exec/code.h"
#include "wnn/types.h"

namespace wnn::valid {

enum class SimdShape : uint8_t {
  None,       // not an instruction
  Unary,      // v128 -> v128
  Binary,     // v128 v128 -> v128
  Ternary,    // v128 v128 v128 -> v128 (bitselect)
  Shift,      // v128 i32 -> v128
  Splat,      // scalar -> v128
  Test,       // v128 -> i32 (any_true, all_true, bitmask)
  Extract,    // v128 -> scalar; lane immediate
  Replace,    // v128 scalar -> v128; lane immediate
  Load,       // i32 -> v128; memarg
  Store,      // i32 v128 -> ; memarg
  LoadLane,   // i32 v128 -> v128; memarg, lane
  StoreLane,  // i32 v128 -> ; memarg, lane
  Const,      // -> v128; 16 bytes
  Shuffle,    // v128 v128 -> v128; 16 lane bytes < 32
};

struct SimdOp {
  const char* name = nullptr;  // "i8x16.add"; nullptr: no such instruction
  exec::Handler handler = nullptr;
  SimdShape shape = SimdShape::None;
  ValType scalar{};            // Splat operand, Extract result, Replace operand
  uint8_t lanes = 0;           // lane count for lane immediates
  uint8_t natural_log2 = 0;    // memory ops: natural alignment, log2 bytes
};

// The instruction 0xFD `sub`; a default SimdOp (name == nullptr) if none.
const SimdOp& simd_op(uint32_t sub);

}  // namespace wnn::valid
