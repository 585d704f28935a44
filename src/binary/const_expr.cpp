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

// Reads the immediates of kind `imm` (binary/opcodes.def). `in.imm` gets the
// first of them: a constant's bits, the first index, a block type; for
// v128.const and i8x16.shuffle the offset of their 16 bytes in the module.
// `depth` counts open blocks, whose `end`s do not end the expression.
Expected<void> read_imm(Reader& r, ImmKind imm, ConstInstr& in, uint32_t& depth) {
  switch (imm) {
    case ImmKind::None: return {};
    case ImmKind::I32: {
      WNN_TRY(v, r.s32());
      in.imm = uint64_t(int64_t(v));
      return {};
    }
    case ImmKind::I64: {
      WNN_TRY(v, r.s64());
      in.imm = uint64_t(v);
      return {};
    }
    case ImmKind::F32: {
      WNN_TRY(bits, r.f32_bits());
      in.imm = bits;
      return {};
    }
    case ImmKind::F64: {
      WNN_TRY(bits, r.f64_bits());
      in.imm = bits;
      return {};
    }
    case ImmKind::RefType: {
      WNN_TRY(type, read_ref_type(r));
      in.imm = uint8_t(type);
      return {};
    }
    case ImmKind::Label:
    case ImmKind::Func:
    case ImmKind::Local:
    case ImmKind::Global:
    case ImmKind::Table:
    case ImmKind::Data:
    case ImmKind::Elem:
    case ImmKind::DataZero:
    case ImmKind::TypeTable:
    case ImmKind::ElemTable:
    case ImmKind::TableTable: {
      WNN_TRY(index, r.u32());
      in.imm = index;
      if (imm == ImmKind::DataZero) return reserved_zero(r);
      if (imm == ImmKind::TypeTable || imm == ImmKind::ElemTable || imm == ImmKind::TableTable)
        return skip_u32s(r, 1);  // the second index
      return {};
    }
    case ImmKind::BlockType: {
      WNN_TRY(type, r.s33());
      in.imm = uint64_t(type);
      ++depth;
      return {};
    }
    case ImmKind::LabelTable: {
      WNN_TRY(n, read_count(r, "br_table target"));
      return skip_u32s(r, uint64_t(n) + 1);
    }
    case ImmKind::ValTypes: {
      WNN_TRY(n, read_count(r, "select type"));
      for (uint32_t i = 0; i < n; ++i) WNN_TRY_VOID(read_val_type(r));
      return {};
    }
    case ImmKind::MemoryZero: return reserved_zero(r);
    case ImmKind::ZeroZero: WNN_TRY_VOID(reserved_zero(r)); return reserved_zero(r);
    case ImmKind::Memarg: return skip_u32s(r, 2);
    case ImmKind::MemargLane: WNN_TRY_VOID(skip_u32s(r, 2)); [[fallthrough]];
    case ImmKind::Lane: {
      WNN_TRY_VOID(r.u8());
      return {};
    }
    case ImmKind::V128:
    case ImmKind::Lanes16:
      in.imm = r.offset();
      WNN_TRY_VOID(r.bytes(16));
      return {};
  }
  return {};
}

// Reads the immediates of `in.opcode` (a single-byte opcode read at `at`;
// after a prefix, the sub-opcode is read here).
Expected<void> read_immediates(Reader& r, size_t at, ConstInstr& in, uint32_t& depth) {
  const uint8_t opc = uint8_t(in.opcode);
  if (opc == op::kPrefixFC || opc == op::kPrefixFD) {
    WNN_TRY(sub, r.u32());
    const OpcodeInfo& info = opcode_info(opc, sub);
    // Unassigned SIMD sub-opcodes below 0x100 have no immediates; the
    // validator rejects them.
    if (!info.text && (opc == op::kPrefixFC || sub > 0xFF))
      return Reader::error_at(
          at, std::string("illegal opcode ") + (opc == op::kPrefixFC ? "0xFC " : "0xFD ") + std::to_string(sub));
    in.opcode = prefixed(opc, sub);
    return read_imm(r, info.imm, in, depth);
  }
  const OpcodeInfo& info = opcode_info(0, opc);
  if (!info.text) return Reader::error_at(at, "illegal opcode " + hex(opc) + " in constant expression");
  return read_imm(r, info.imm, in, depth);
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
