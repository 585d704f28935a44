#include "exec/op_info.h"

#include <bit>
#include <cinttypes>
#include <cstdio>
#include <vector>

namespace wnn::exec {

namespace {

template <typename L> size_t words_of([[maybe_unused]] const Word* ip) {
  if constexpr (L::kTable)
    return L::kWords + size_t(L::read(ip).n) + 1;
  else
    return L::kWords;
}

// Every op of ops.def, and an open-addressing index from handler to op:
// linear probing in a power-of-two table at most half full, so a lookup
// (the translator's check on each emit) is one multiply and a probe or two.
class OpTable {
 public:
  OpTable() {
#define WNN_OP(name, L) \
  ops_.push_back(       \
      {&op_##name, {#name, #L, layout::L::kId, layout::L::kOperands, layout::L::kWords, &words_of<layout::L>}});
#include "exec/ops.def"
#undef WNN_OP
    slots_.assign(std::bit_ceil(2 * ops_.size()), Slot{});
    shift_ = 64 - std::countr_zero(slots_.size());
    for (size_t k = 0; k < ops_.size(); ++k) {
      size_t i = slot_of(ops_[k].h);
      while (slots_[i].h) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = {ops_[k].h, uint16_t(k), ops_[k].info.layout_id};
    }
  }
  // The slot of `h`, or an empty one (h null) when it is no handler.
  const auto& find(Handler h) const {
    for (size_t i = slot_of(h);; i = (i + 1) & (slots_.size() - 1))
      if (slots_[i].h == h || !slots_[i].h) return slots_[i];
  }
  const OpInfo* info(Handler h) const {
    const Slot& s = find(h);
    return s.h && h ? &ops_[s.op].info : nullptr;
  }
  bool has_layout(Handler h, layout::LayoutId id) const {
    const Slot& s = find(h);
    return s.h && h && s.layout == id;
  }

 private:
  struct Op {
    Handler h;
    OpInfo info;
  };
  // The layout is kept in the slot too: the translator's check reads one
  // 16-byte entry.
  struct Slot {
    Handler h = nullptr;
    uint16_t op = 0;
    layout::LayoutId layout{};
  };
  size_t slot_of(Handler h) const { return size_t((reinterpret_cast<uintptr_t>(h) * 0x9E3779B97F4A7C15ull) >> shift_); }

  std::vector<Op> ops_;
  std::vector<Slot> slots_;
  unsigned shift_ = 0;
};

const OpTable& op_table() {
  static const OpTable table;
  return table;
}

std::string format(const char* fmt, auto... args) {
  char buf[96];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

// One operand as name=value: slots as s<N>, branch offsets as the absolute
// word they reach.
std::string format_operand(const OperandInfo& o, const Word& w, size_t at) {
  const uint64_t v = o.part == WordPart::u64 ? w.u64 : o.part == WordPart::a ? w.a : w.b;
  switch (o.kind) {
    case OperandKind::slot: return format(" %s=s%" PRIu64, o.name, v);
    case OperandKind::u32: return format(" %s=%" PRIu64, o.name, v);
    case OperandKind::rel: return format(" %s=@%" PRId64, o.name, int64_t(at) + int32_t(uint32_t(v)));
    case OperandKind::u64: return format(" %s=0x%" PRIx64, o.name, v);
  }
  return {};
}

}  // namespace

const OpInfo* op_info(Handler h) { return op_table().info(h); }

bool has_layout(Handler h, layout::LayoutId id) { return op_table().has_layout(h, id); }

std::string layout_mismatch(Handler h, const char* emitted) {
  const OpInfo* op = op_info(h);
  if (!op) return "a word that is no handler emitted as an instruction of layout " + std::string(emitted);
  return "op_" + std::string(op->name) + " has layout " + op->layout + ", not " + emitted;
}

std::string format_operands(const Word* code, size_t size, size_t at) {
  const OpInfo* op = at < size ? op_info(code[at].h) : nullptr;
  if (!op) return {};
  std::string out;
  for (const OperandInfo* o = op->operands; o->name; ++o)
    if (at + o->word < size) out += format_operand(*o, code[at + o->word], at);
  const size_t fixed = op->fixed_words;
  if (at + fixed > size) return out;
  const size_t words = op->words(&code[at]);
  if (words > fixed) {  // br_table targets
    out += " targets=[";
    for (size_t k = fixed; k < words && at + k < size; ++k)
      out += format("%s@%" PRId64, k == fixed ? "" : " ", int64_t(at) + int32_t(code[at + k].a));
    out += "]";
  }
  return out;
}

}  // namespace wnn::exec
