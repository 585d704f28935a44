// Table handlers (reference types / bulk memory, WebAssembly 2.0). Indices
// and lengths are u32; ranges are checked in 64 bits before any write.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "exec/handler.h"

namespace wnn::exec {

WNN_HANDLER(table_get) {
  const auto o = layout::TableGet::read(ip);
  const TableInst* t = th->inst->tables[o.table];
  const uint32_t i = uint32_t(fp[o.index]);
  if (i >= t->elems.size()) [[unlikely]]
    return TrapKind::TableOutOfBounds;
  fp[o.dst] = t->elems[i];
  NEXT(layout::TableGet::kWords);
}

WNN_HANDLER(table_set) {
  const auto o = layout::TableSet::read(ip);
  TableInst* t = th->inst->tables[o.table];
  const uint32_t i = uint32_t(fp[o.index]);
  if (i >= t->elems.size()) [[unlikely]]
    return TrapKind::TableOutOfBounds;
  t->elems[i] = Ref(fp[o.value]);
  NEXT(layout::TableSet::kWords);
}

WNN_HANDLER(table_size) {
  const auto o = layout::TableSize::read(ip);
  fp[o.dst] = to_slot(uint32_t(th->inst->tables[o.table]->elems.size()));
  NEXT(layout::TableSize::kWords);
}

// Old size, or -1 (as u32) on failure.
WNN_HANDLER(table_grow) {
  const auto o = layout::TableGrow::read(ip);
  TableInst* t = th->inst->tables[o.table];
  const int64_t old = t->grow(uint32_t(fp[o.delta]), Ref(fp[o.init]));
  fp[o.dst] = to_slot(uint32_t(int32_t(old)));
  NEXT(layout::TableGrow::kWords);
}

// Bulk table operations check bounds first, then charge the budget by
// length like memory.fill (8-byte elements: one unit per 2), so fuel bounds
// their time and an out-of-bounds one traps as such, not as out of fuel.
#define WNN_CHARGE_REFS(n) WNN_CHARGE(1 + ((n) >> 1))

WNN_HANDLER(table_fill) {
  const auto o = layout::TableFill::read(ip);
  TableInst* t = th->inst->tables[o.table];
  const uint64_t i = uint32_t(fp[o.index]);
  const Ref val = Ref(fp[o.value]);
  const uint64_t n = uint32_t(fp[o.n]);
  if (i + n > t->elems.size()) [[unlikely]]
    return TrapKind::TableOutOfBounds;
  WNN_CHARGE_REFS(n);
  std::fill_n(t->elems.data() + i, n, val);
  NEXT(layout::TableFill::kWords);
}

// Source and destination may be the
// same table and overlap: memmove (Ref is a plain integer).
WNN_HANDLER(table_copy) {
  const auto o = layout::TableCopy::read(ip);
  TableInst* dt = th->inst->tables[o.dst_table];
  const TableInst* st = th->inst->tables[o.src_table];
  const uint64_t d = uint32_t(fp[o.dst]);
  const uint64_t s = uint32_t(fp[o.src]);
  const uint64_t n = uint32_t(fp[o.n]);
  if (d + n > dt->elems.size() || s + n > st->elems.size()) [[unlikely]]
    return TrapKind::TableOutOfBounds;
  WNN_CHARGE_REFS(n);
  if (n) std::memmove(dt->elems.data() + d, st->elems.data() + s, n * sizeof(Ref));
  NEXT(layout::TableCopy::kWords);
}

WNN_HANDLER(table_init) {
  const auto o = layout::TableInit::read(ip);
  TableInst* t = th->inst->tables[o.table];
  const ElemInst& seg = th->inst->elems[o.elem];
  const uint64_t d = uint32_t(fp[o.dst]);
  const uint64_t s = uint32_t(fp[o.src]);
  const uint64_t n = uint32_t(fp[o.n]);
  if (s + n > seg.refs.size() || d + n > t->elems.size()) [[unlikely]]
    return TrapKind::TableOutOfBounds;
  WNN_CHARGE_REFS(n);
  if (n) std::memcpy(t->elems.data() + d, seg.refs.data() + s, n * sizeof(Ref));
  NEXT(layout::TableInit::kWords);
}

#undef WNN_CHARGE_REFS

// A dropped segment behaves as empty; free its storage.
WNN_HANDLER(elem_drop) {
  const auto o = layout::ElemDrop::read(ip);
  std::vector<Ref>().swap(th->inst->elems[o.elem].refs);
  NEXT(layout::ElemDrop::kWords);
}

}  // namespace wnn::exec
