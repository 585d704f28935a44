// Constant expressions (global initialisers, segment offsets, element items).
// Every instruction is recorded, constant or not, so that the validator can
// say "constant expression required"; the decoder only needs to know each
// instruction's immediates to find the closing `end`.
#include <cstdio>
#include <string>

#include "binary/decode_internal.h"
#include "binary/opcodes.h"

namespace wnn::binary::detail {
namespace {

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02X", v);
  return buf;
}

Expected<void> skip_u32s(Reader& r, uint64_t n) {
  for (uint64_t i = 0; i < n; ++i) WNN_TRY_VOID(r.u32());
  return {};
}

Expected<void> reserved_zero(Reader& r) {
  size_t at = r.offset();
  WNN_TRY(b, r.u8());
  if (b != 0) return Reader::error_at(at, "zero byte expected, found " + hex(b));
  return {};
}

// 0xFC-prefixed instruction; `in.imm` gets the first index immediate.
Expected<void> read_fc(Reader& r, size_t at, ConstInstr& in) {
  WNN_TRY(sub, r.u32());
  if (sub > fc::kTableFill) return Reader::error_at(at, "illegal opcode 0xFC " + std::to_string(sub));
  in.opcode = prefixed(op::kPrefixFC, sub);
  switch (sub) {
    case fc::kMemoryInit: {
      WNN_TRY(data, r.u32());
      in.imm = data;
      return reserved_zero(r);
    }
    case fc::kMemoryCopy: WNN_TRY_VOID(reserved_zero(r)); return reserved_zero(r);
    case fc::kMemoryFill: return reserved_zero(r);
    case fc::kDataDrop:
    case fc::kElemDrop:
    case fc::kTableGrow:
    case fc::kTableSize:
    case fc::kTableFill:
    case fc::kTableInit:
    case fc::kTableCopy: {
      WNN_TRY(index, r.u32());
      in.imm = index;
      if (sub == fc::kTableInit || sub == fc::kTableCopy) return skip_u32s(r, 1);
      return {};
    }
    default: return {};  // saturating truncations: no immediates
  }
}

// 0xFD-prefixed (SIMD) instruction. For v128.const `in.imm` is the offset of
// its 16 bytes in the module.
Expected<void> read_fd(Reader& r, size_t at, ConstInstr& in) {
  WNN_TRY(sub, r.u32());
  if (sub > 0xFF) return Reader::error_at(at, "illegal opcode 0xFD " + std::to_string(sub));
  in.opcode = prefixed(op::kPrefixFD, sub);
  if (sub == simd::kV128Const || sub == simd::kI8x16Shuffle) {
    in.imm = r.offset();
    WNN_TRY_VOID(r.bytes(16));
    return {};
  }
  bool memarg = sub <= simd::kV128Store || (sub >= simd::kLoadLaneFirst && sub <= simd::kV128Load64Zero);
  bool lane = (sub >= simd::kExtractLaneFirst && sub <= simd::kReplaceLaneLast) ||
              (sub >= simd::kLoadLaneFirst && sub <= simd::kStoreLaneLast);
  if (memarg) WNN_TRY_VOID(skip_u32s(r, 2));
  if (lane) WNN_TRY_VOID(r.u8());
  return {};
}

// Reads the immediates of `in.opcode` (a single-byte opcode read at `at`).
// `depth` counts open blocks, whose `end`s do not end the expression.
Expected<void> read_immediates(Reader& r, size_t at, ConstInstr& in, uint32_t& depth) {
  uint8_t opc = uint8_t(in.opcode);
  switch (opc) {
    case op::kI32Const: {
      WNN_TRY(v, r.s32());
      in.imm = uint64_t(int64_t(v));
      return {};
    }
    case op::kI64Const: {
      WNN_TRY(v, r.s64());
      in.imm = uint64_t(v);
      return {};
    }
    case op::kF32Const: {
      WNN_TRY(bits, r.f32_bits());
      in.imm = bits;
      return {};
    }
    case op::kF64Const: {
      WNN_TRY(bits, r.f64_bits());
      in.imm = bits;
      return {};
    }
    case op::kRefNull: {
      WNN_TRY(type, read_ref_type(r));
      in.imm = uint8_t(type);
      return {};
    }
    case op::kRefFunc:
    case op::kGlobalGet:
    case op::kGlobalSet:
    case op::kLocalGet:
    case op::kLocalSet:
    case op::kLocalTee:
    case op::kTableGet:
    case op::kTableSet:
    case op::kBr:
    case op::kBrIf:
    case op::kCall:
    case op::kCallIndirect: {
      WNN_TRY(index, r.u32());
      in.imm = index;
      if (opc == op::kCallIndirect) return skip_u32s(r, 1);  // table index
      return {};
    }
    case op::kBlock:
    case op::kLoop:
    case op::kIf: {
      WNN_TRY(type, r.s33());
      in.imm = uint64_t(type);
      ++depth;
      return {};
    }
    case op::kBrTable: {
      WNN_TRY(n, read_count(r, "br_table target"));
      return skip_u32s(r, uint64_t(n) + 1);
    }
    case op::kSelectT: {
      WNN_TRY(n, read_count(r, "select type"));
      for (uint32_t i = 0; i < n; ++i) WNN_TRY_VOID(read_val_type(r));
      return {};
    }
    case op::kMemorySize:
    case op::kMemoryGrow: return reserved_zero(r);
    case op::kPrefixFC: return read_fc(r, at, in);
    case op::kPrefixFD: return read_fd(r, at, in);
    case op::kUnreachable:
    case op::kNop:
    case op::kElse:
    case op::kReturn:
    case op::kDrop:
    case op::kSelect:
    case op::kRefIsNull: return {};
    default: break;
  }
  if (opc >= op::kI32Load && opc <= op::kI64Store32) return skip_u32s(r, 2);  // memarg
  if (opc >= op::kNumericFirst && opc <= op::kNumericLast) return {};
  return Reader::error_at(at, "illegal opcode " + hex(opc) + " in constant expression");
}

}  // namespace

Expected<ConstExpr> read_const_expr(Reader& r) {
  ConstExpr e;
  e.offset = uint32_t(r.offset());
  uint32_t depth = 0;
  for (;;) {
    size_t at = r.offset();
    if (r.at_end())
      return r.error("unexpected end of constant expression (missing end opcode 0x0B) starting at offset " +
                     std::to_string(e.offset));
    ConstInstr in;
    in.opcode = *r.u8();
    if (in.opcode == op::kEnd) {
      if (depth == 0) return e;
      --depth;
    } else {
      WNN_TRY_VOID(read_immediates(r, at, in, depth));
    }
    e.instrs.push_back(in);
  }
}

}  // namespace wnn::binary::detail
