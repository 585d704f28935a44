// Typed operands of internal instructions, generated from layouts.def: one
// struct per layout with a field per operand, `read(ip)` (what a handler or a
// peephole sees), `write(ip)` (what the translator emits) and `kWords`, the
// instruction's size. ops.def gives every op its layout; OpInfo (op_info.h)
// finds an op's name and layout from its handler.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "exec/code.h"

namespace wnn::exec {

enum class OperandKind : uint8_t { slot, u32, rel, u64 };
enum class WordPart : uint8_t { a, b, u64 };

// One operand, for tools that print code: its name, kind and place.
struct OperandInfo {
  const char* name;
  OperandKind kind;
  uint8_t word;
  WordPart part;
};

namespace layout {

// Each layout's number (OpInfo::layout_id, layout::X::kId).
enum class LayoutId : uint8_t {
#define WNN_LAYOUT(Name, table) Name,
#include "exec/layouts.def"
#undef WNN_LAYOUT
};

// Each kind's type in the structs, and how it is stored. A branch offset is
// stored as 32 bits and read sign-extended to 64, so `ip + o.target` needs
// no further extension in the handler.
using slot_t = uint32_t;
using u32_t = uint32_t;
using rel_t = int64_t;
using u64_t = uint64_t;
inline slot_t slot_from(uint32_t v) { return v; }
inline u32_t u32_from(uint32_t v) { return v; }
inline rel_t rel_from(uint32_t v) { return int32_t(v); }
inline u64_t u64_from(uint64_t v) { return v; }
inline uint32_t slot_to(slot_t v) { return v; }
inline uint32_t u32_to(u32_t v) { return v; }
inline uint32_t rel_to(rel_t v) { return uint32_t(int32_t(v)); }
inline uint64_t u64_to(u64_t v) { return v; }

#define WNN_OPERAND_DECL(kind, name, word, part) \
  kind##_t name;                                 \
  static constexpr unsigned name##_word = word; /* for code that patches one operand (branch fixups) */
#define WNN_OPERAND_READ(kind, name, word, part) o.name = kind##_from(ip[word].part);
#define WNN_OPERAND_WRITE(kind, name, word, part) ip[word].part = kind##_to(name);
#define WNN_OPERAND_WORD(kind, name, word, part) unsigned(word),
#define WNN_OPERAND_INFO(kind, name, word, part) OperandInfo{#name, OperandKind::kind, word, WordPart::part},
#define WNN_LAYOUT(Name, table)                                                                     \
  struct Name {                                                                                     \
    WNN_FIELDS_##Name(WNN_OPERAND_DECL) static constexpr unsigned kWords =                          \
        1 + std::max({0u, WNN_FIELDS_##Name(WNN_OPERAND_WORD)});                                    \
    static constexpr bool kTable = table; /* n+1 branch offsets follow */                           \
    static constexpr LayoutId kId = LayoutId::Name;                                                 \
    static constexpr const char* kName = #Name;                                                     \
    static constexpr OperandInfo kOperands[] = {WNN_FIELDS_##Name(WNN_OPERAND_INFO) OperandInfo{}}; \
    [[gnu::always_inline]] static Name read([[maybe_unused]] const Word* ip) {                      \
      Name o;                                                                                       \
      WNN_FIELDS_##Name(WNN_OPERAND_READ) return o;                                                 \
    }                                                                                               \
    void write([[maybe_unused]] Word* ip) const { WNN_FIELDS_##Name(WNN_OPERAND_WRITE) }            \
  };
#include "exec/layouts.def"
#undef WNN_LAYOUT
#undef WNN_OPERAND_DECL
#undef WNN_OPERAND_READ
#undef WNN_OPERAND_WRITE
#undef WNN_OPERAND_WORD
#undef WNN_OPERAND_INFO

// The words of one instruction, handler `h` with operands `ops` of its
// layout: for code that builds instructions outside the translator (the
// compiler tier's stubs that run a handler).
template <typename L> std::vector<Word> encode(Handler h, const L& ops) {
  std::vector<Word> w(L::kWords);
  w[0].h = h;
  ops.write(w.data());
  return w;
}

}  // namespace layout

// The i-th of the n+1 branch offsets after the operands of a table layout
// (br_table*), relative to the instruction's start like every offset.
template <typename L> [[gnu::always_inline]] inline int32_t table_offset(const Word* ip, uint32_t i) {
  static_assert(L::kTable);
  return int32_t(ip[L::kWords + i].a);
}

}  // namespace wnn::exec
