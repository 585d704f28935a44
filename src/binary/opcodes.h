// WebAssembly 2.0 opcode bytes, as they appear in the binary format.
// Single-byte opcodes live in `op`; the sub-opcodes after the 0xFC prefix
// (read as u32 LEB128) in `fc`; a few 0xFD (SIMD) ones in `simd`.
#pragma once
#include <cstdint>

namespace wnn::binary {

namespace op {
// Control
inline constexpr uint8_t kUnreachable = 0x00;
inline constexpr uint8_t kNop = 0x01;
inline constexpr uint8_t kBlock = 0x02;
inline constexpr uint8_t kLoop = 0x03;
inline constexpr uint8_t kIf = 0x04;
inline constexpr uint8_t kElse = 0x05;
inline constexpr uint8_t kEnd = 0x0B;
inline constexpr uint8_t kBr = 0x0C;
inline constexpr uint8_t kBrIf = 0x0D;
inline constexpr uint8_t kBrTable = 0x0E;
inline constexpr uint8_t kReturn = 0x0F;
inline constexpr uint8_t kCall = 0x10;
inline constexpr uint8_t kCallIndirect = 0x11;

// Parametric
inline constexpr uint8_t kDrop = 0x1A;
inline constexpr uint8_t kSelect = 0x1B;
inline constexpr uint8_t kSelectT = 0x1C;  // select with a vector of value types

// Variables
inline constexpr uint8_t kLocalGet = 0x20;
inline constexpr uint8_t kLocalSet = 0x21;
inline constexpr uint8_t kLocalTee = 0x22;
inline constexpr uint8_t kGlobalGet = 0x23;
inline constexpr uint8_t kGlobalSet = 0x24;

// Tables
inline constexpr uint8_t kTableGet = 0x25;
inline constexpr uint8_t kTableSet = 0x26;

// Memory: loads 0x28..0x35, stores 0x36..0x3E (all take a memarg)
inline constexpr uint8_t kI32Load = 0x28;
inline constexpr uint8_t kI64Load = 0x29;
inline constexpr uint8_t kF32Load = 0x2A;
inline constexpr uint8_t kF64Load = 0x2B;
inline constexpr uint8_t kI32Load8S = 0x2C;
inline constexpr uint8_t kI32Load8U = 0x2D;
inline constexpr uint8_t kI32Load16S = 0x2E;
inline constexpr uint8_t kI32Load16U = 0x2F;
inline constexpr uint8_t kI64Load8S = 0x30;
inline constexpr uint8_t kI64Load8U = 0x31;
inline constexpr uint8_t kI64Load16S = 0x32;
inline constexpr uint8_t kI64Load16U = 0x33;
inline constexpr uint8_t kI64Load32S = 0x34;
inline constexpr uint8_t kI64Load32U = 0x35;
inline constexpr uint8_t kI32Store = 0x36;
inline constexpr uint8_t kI64Store = 0x37;
inline constexpr uint8_t kF32Store = 0x38;
inline constexpr uint8_t kF64Store = 0x39;
inline constexpr uint8_t kI32Store8 = 0x3A;
inline constexpr uint8_t kI32Store16 = 0x3B;
inline constexpr uint8_t kI64Store8 = 0x3C;
inline constexpr uint8_t kI64Store16 = 0x3D;
inline constexpr uint8_t kI64Store32 = 0x3E;
inline constexpr uint8_t kMemorySize = 0x3F;  // followed by a 0x00 byte
inline constexpr uint8_t kMemoryGrow = 0x40;  // followed by a 0x00 byte

// Constants
inline constexpr uint8_t kI32Const = 0x41;  // s32
inline constexpr uint8_t kI64Const = 0x42;  // s64
inline constexpr uint8_t kF32Const = 0x43;  // 4 bytes, little endian
inline constexpr uint8_t kF64Const = 0x44;  // 8 bytes, little endian

// Numeric instructions without immediates: kNumericFirst..kNumericLast.
inline constexpr uint8_t kNumericFirst = 0x45;  // i32.eqz
inline constexpr uint8_t kI32Add = 0x6A;
inline constexpr uint8_t kI32Sub = 0x6B;
inline constexpr uint8_t kI32Mul = 0x6C;
inline constexpr uint8_t kI64Add = 0x7C;
inline constexpr uint8_t kI64Sub = 0x7D;
inline constexpr uint8_t kI64Mul = 0x7E;
inline constexpr uint8_t kNumericLast = 0xC4;  // i64.extend32_s

// References
inline constexpr uint8_t kRefNull = 0xD0;  // followed by a reftype byte
inline constexpr uint8_t kRefIsNull = 0xD1;
inline constexpr uint8_t kRefFunc = 0xD2;  // u32 function index

// Prefixes
inline constexpr uint8_t kPrefixFC = 0xFC;  // saturating truncation, bulk memory/table
inline constexpr uint8_t kPrefixFD = 0xFD;  // SIMD
}  // namespace op

// Block types (the s33 after block/loop/if): 0x40 empty, a value type, or a type index.
inline constexpr uint8_t kBlockTypeEmpty = 0x40;
// Type section entries start with this byte.
inline constexpr uint8_t kFuncTypeForm = 0x60;

namespace fc {
// 0..7: i32/i64.trunc_sat_f32/f64_s/u (no immediates)
inline constexpr uint32_t kI32TruncSatF32S = 0;
inline constexpr uint32_t kI64TruncSatF64U = 7;
inline constexpr uint32_t kMemoryInit = 8;   // dataidx, 0x00
inline constexpr uint32_t kDataDrop = 9;     // dataidx
inline constexpr uint32_t kMemoryCopy = 10;  // 0x00 0x00
inline constexpr uint32_t kMemoryFill = 11;  // 0x00
inline constexpr uint32_t kTableInit = 12;   // elemidx, tableidx
inline constexpr uint32_t kElemDrop = 13;    // elemidx
inline constexpr uint32_t kTableCopy = 14;   // tableidx (dst), tableidx (src)
inline constexpr uint32_t kTableGrow = 15;   // tableidx
inline constexpr uint32_t kTableSize = 16;   // tableidx
inline constexpr uint32_t kTableFill = 17;   // tableidx
}  // namespace fc

namespace simd {
inline constexpr uint32_t kV128Load = 0x00;    // 0x00..0x0B: memarg
inline constexpr uint32_t kV128Store = 0x0B;
inline constexpr uint32_t kV128Const = 0x0C;   // 16 bytes
inline constexpr uint32_t kI8x16Shuffle = 0x0D;  // 16 lane bytes
inline constexpr uint32_t kExtractLaneFirst = 0x15;  // 0x15..0x22: one lane byte
inline constexpr uint32_t kReplaceLaneLast = 0x22;
inline constexpr uint32_t kLoadLaneFirst = 0x54;  // 0x54..0x5B: memarg + lane byte
inline constexpr uint32_t kStoreLaneLast = 0x5B;
inline constexpr uint32_t kV128Load32Zero = 0x5C;  // memarg
inline constexpr uint32_t kV128Load64Zero = 0x5D;  // memarg
}  // namespace simd

// ConstInstr::opcode for a prefixed instruction: prefix << 8 | sub-opcode.
constexpr uint16_t prefixed(uint8_t prefix, uint32_t sub) { return uint16_t(prefix << 8 | (sub & 0xFF)); }

}  // namespace wnn::binary
