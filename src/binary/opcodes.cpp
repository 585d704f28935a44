// The opcode table of opcodes.def as three arrays of 256 rows, one per
// prefix, built at compile time.
#include "binary/opcodes.h"

#include <array>

namespace wnn::binary {
namespace {

using Plane = std::array<OpcodeInfo, 256>;

constexpr size_t plane_of(uint8_t prefix) { return prefix == 0 ? 0 : prefix == 0xFC ? 1 : 2; }

constexpr std::array<Plane, 3> kPlanes = [] {
  using namespace optype;
  std::array<Plane, 3> t{};
#define WNN_OPCODE(prefix, code, Name, text, sem, family, imm, out, in0, in1, n) \
  t[plane_of(prefix)][code] = OpcodeInfo{text, Opcode::Name, OpFamily::family, ImmKind::imm, out, in0, in1, n};
#include "binary/opcodes.def"
  return t;
}();

}  // namespace

const OpcodeInfo& opcode_info(uint8_t prefix, uint32_t code) {
  static constexpr OpcodeInfo kNone{};
  if (code > 0xFF || (prefix != 0 && prefix != 0xFC && prefix != 0xFD)) return kNone;
  return kPlanes[plane_of(prefix)][code];
}

}  // namespace wnn::binary
