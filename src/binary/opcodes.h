// The WebAssembly 2.0 instruction set: typed access to the table in
// opcodes.def (one row per opcode: encoding, mnemonic, immediates, operand
// types, family), plus named encoding bytes for the decoder's structural
// checks (`op`, `fc`, `simd`).
#pragma once
#include <cstdint>

#include "wnn/types.h"

namespace wnn::binary {

// Every instruction, valued prefix << 8 | code (prefix 0 for single-byte
// opcodes), the encoding ConstInstr::opcode uses too.
enum class Opcode : uint16_t {
#define WNN_OPCODE(prefix, code, Name, ...) Name = (prefix) << 8 | (code),
#include "binary/opcodes.def"
};

// The immediates that follow an opcode.
enum class ImmKind : uint8_t {
  None,
  BlockType,   // s33: 0x40, a value type or a type index
  Label,       // u32 label depth
  LabelTable,  // vec(u32) labels, then the default u32
  Func,        // u32 function index
  TypeTable,   // u32 type index, u32 table index (call_indirect)
  ValTypes,    // vec(valtype) of length 1 (select t)
  Local,       // u32 local index
  Global,      // u32 global index
  Table,       // u32 table index
  Memarg,      // u32 alignment exponent, u32 offset
  MemoryZero,  // a 0x00 byte (the memory index of 2.0)
  I32,
  I64,    // s32 / s64 LEB128
  F32,
  F64,    // 4 / 8 bytes little endian
  RefType,     // a reference type byte
  DataZero,    // u32 data index, 0x00 (memory.init)
  Data,        // u32 data index
  ZeroZero,    // 0x00 0x00 (memory.copy)
  ElemTable,   // u32 element index, u32 table index (table.init)
  Elem,        // u32 element index
  TableTable,  // u32 destination table, u32 source table (table.copy)
  Lane,        // one lane-index byte
  MemargLane,  // memarg, then one lane-index byte
  V128,        // 16 bytes
  Lanes16,     // 16 lane-index bytes (i8x16.shuffle)
};

// How an instruction is validated and translated: one method of the
// translator (and of the code generator) per family. The numeric and SIMD
// families have fixed operand types (OpcodeInfo::out/in0/in1); the others
// are families of one or a few instructions whose types come from their
// immediates or context.
enum class OpFamily : uint8_t {
  Invalid,  // no such instruction
  // control
  Unreachable,
  Nop,
  Block,
  Loop,
  If,
  Else,
  End,
  Br,
  BrIf,
  BrTable,
  Return,
  Call,
  CallIndirect,
  // parametric and variables
  Drop,
  Select,
  LocalGet,
  LocalSet,
  LocalTee,
  GlobalGet,
  GlobalSet,
  // tables and references
  TableGet,
  TableSet,
  TableInit,
  ElemDrop,
  TableCopy,
  TableGrow,
  TableSize,
  TableFill,
  RefNull,
  RefIsNull,
  RefFunc,
  // memory
  Load,
  Store,
  MemorySize,
  MemoryGrow,
  MemoryInit,
  DataDrop,
  MemoryCopy,
  MemoryFill,
  // numeric: constants, eqz, comparisons, arithmetic, conversions
  Const,
  Test,
  Compare,
  Unary,
  Binary,
  Convert,
  // SIMD (0xFD)
  VLoad,
  VStore,
  VLoadLane,
  VStoreLane,
  VConst,
  VShuffle,
  VUnary,
  VBinary,
  VTernary,
  VShift,
  VSplat,
  VTest,
  VExtract,
  VReplace,
};

struct OpcodeInfo {
  const char* text = nullptr;  // mnemonic; nullptr: no such instruction
  Opcode opcode{};
  OpFamily family = OpFamily::Invalid;
  ImmKind imm = ImmKind::None;
  ValType out{}, in0{}, in1{};  // ValType{}: none (see opcodes.def)
  uint8_t n = 0;                // the `n` column of opcodes.def

  uint8_t prefix() const { return uint8_t(uint16_t(opcode) >> 8); }
  uint8_t natural_log2() const { return n; }  // memory ops
  // Bound of a lane immediate: VExtract/VReplace/VShuffle from the row,
  // VLoadLane/VStoreLane from the access width.
  uint8_t lanes() const {
    return family == OpFamily::VLoadLane || family == OpFamily::VStoreLane ? uint8_t(16 >> n) : n;
  }
};

// The row of instruction `code` after `prefix` (0 for single-byte opcodes,
// 0xFC, 0xFD); an OpcodeInfo with text == nullptr if there is none.
const OpcodeInfo& opcode_info(uint8_t prefix, uint32_t code);
inline const OpcodeInfo& opcode_info(Opcode o) { return opcode_info(uint8_t(uint16_t(o) >> 8), uint16_t(o) & 0xFF); }

// The value-type tokens of opcodes.def's type columns, for consumers that
// expand it (`using namespace binary::optype;` before the #include).
namespace optype {
inline constexpr ValType I32 = ValType::I32, I64 = ValType::I64, F32 = ValType::F32, F64 = ValType::F64,
                         V128 = ValType::V128, Void{};
}  // namespace optype

// Named single-byte opcodes for the decoder's structural checks (and tests),
// their values from the table; the prefixes, which are not rows.
namespace op {
constexpr uint8_t byte(Opcode o) { return uint8_t(uint16_t(o)); }
inline constexpr uint8_t kBlock = byte(Opcode::Block);
inline constexpr uint8_t kEnd = byte(Opcode::End);
inline constexpr uint8_t kLocalGet = byte(Opcode::LocalGet);
inline constexpr uint8_t kGlobalGet = byte(Opcode::GlobalGet);
inline constexpr uint8_t kI32Const = byte(Opcode::I32Const);
inline constexpr uint8_t kI64Const = byte(Opcode::I64Const);
inline constexpr uint8_t kI32Add = byte(Opcode::I32Add);
inline constexpr uint8_t kRefNull = byte(Opcode::RefNull);
inline constexpr uint8_t kRefFunc = byte(Opcode::RefFunc);
inline constexpr uint8_t kPrefixFC = 0xFC;  // saturating truncation, bulk memory/table
inline constexpr uint8_t kPrefixFD = 0xFD;  // SIMD
}  // namespace op

// Block types (the s33 after block/loop/if): 0x40 empty, a value type, or a type index.
inline constexpr uint8_t kBlockTypeEmpty = 0x40;
// Type section entries start with this byte.
inline constexpr uint8_t kFuncTypeForm = 0x60;

// ConstInstr::opcode for a prefixed instruction: prefix << 8 | sub-opcode.
constexpr uint16_t prefixed(uint8_t prefix, uint32_t sub) { return uint16_t(prefix << 8 | (sub & 0xFF)); }

}  // namespace wnn::binary
