// Table handlers (reference types / bulk memory, WebAssembly 2.0). Indices
// and lengths are u32; ranges are checked in 64 bits before any write.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "exec/handler.h"

namespace wnn::exec {

// (dst, index) (table, -)
WNN_HANDLER(table_get) {
  const TableInst* t = th->inst->tables[ip[2].a];
  const uint32_t i = uint32_t(fp[ip[1].b]);
  if (i >= t->elems.size()) [[unlikely]]
    return TrapKind::TableOutOfBounds;
  fp[ip[1].a] = t->elems[i];
  NEXT(3);
}

// (index, val) (table, -)
WNN_HANDLER(table_set) {
  TableInst* t = th->inst->tables[ip[2].a];
  const uint32_t i = uint32_t(fp[ip[1].a]);
  if (i >= t->elems.size()) [[unlikely]]
    return TrapKind::TableOutOfBounds;
  t->elems[i] = Ref(fp[ip[1].b]);
  NEXT(3);
}

// (dst, table)
WNN_HANDLER(table_size) {
  fp[ip[1].a] = to_slot(uint32_t(th->inst->tables[ip[1].b]->elems.size()));
  NEXT(2);
}

// (dst, init) (delta, table): old size, or -1 (as u32) on failure.
WNN_HANDLER(table_grow) {
  TableInst* t = th->inst->tables[ip[2].b];
  const int64_t old = t->grow(uint32_t(fp[ip[2].a]), Ref(fp[ip[1].b]));
  fp[ip[1].a] = to_slot(uint32_t(int32_t(old)));
  NEXT(3);
}

// Bulk table operations check bounds first, then charge the budget by
// length like memory.fill (8-byte elements: one unit per 2), so fuel bounds
// their time and an out-of-bounds one traps as such, not as out of fuel.
#define WNN_CHARGE_REFS(n) WNN_CHARGE(1 + ((n) >> 1))

// (i, val) (n, table)
WNN_HANDLER(table_fill) {
  TableInst* t = th->inst->tables[ip[2].b];
  const uint64_t i = uint32_t(fp[ip[1].a]);
  const Ref val = Ref(fp[ip[1].b]);
  const uint64_t n = uint32_t(fp[ip[2].a]);
  if (i + n > t->elems.size()) [[unlikely]]
    return TrapKind::TableOutOfBounds;
  WNN_CHARGE_REFS(n);
  std::fill_n(t->elems.data() + i, n, val);
  NEXT(3);
}

// (d, s) (n, -) (dst_table, src_table). Source and destination may be the
// same table and overlap: memmove (Ref is a plain integer).
WNN_HANDLER(table_copy) {
  TableInst* dt = th->inst->tables[ip[3].a];
  const TableInst* st = th->inst->tables[ip[3].b];
  const uint64_t d = uint32_t(fp[ip[1].a]);
  const uint64_t s = uint32_t(fp[ip[1].b]);
  const uint64_t n = uint32_t(fp[ip[2].a]);
  if (d + n > dt->elems.size() || s + n > st->elems.size()) [[unlikely]]
    return TrapKind::TableOutOfBounds;
  WNN_CHARGE_REFS(n);
  if (n) std::memmove(dt->elems.data() + d, st->elems.data() + s, n * sizeof(Ref));
  NEXT(4);
}

// (d, s) (n, elem) (table, -)
WNN_HANDLER(table_init) {
  TableInst* t = th->inst->tables[ip[3].a];
  const ElemInst& seg = th->inst->elems[ip[2].b];
  const uint64_t d = uint32_t(fp[ip[1].a]);
  const uint64_t s = uint32_t(fp[ip[1].b]);
  const uint64_t n = uint32_t(fp[ip[2].a]);
  if (s + n > seg.refs.size() || d + n > t->elems.size()) [[unlikely]]
    return TrapKind::TableOutOfBounds;
  WNN_CHARGE_REFS(n);
  if (n) std::memcpy(t->elems.data() + d, seg.refs.data() + s, n * sizeof(Ref));
  NEXT(4);
}

#undef WNN_CHARGE_REFS

// (elem, -): a dropped segment behaves as empty; free its storage.
WNN_HANDLER(elem_drop) {
  std::vector<Ref>().swap(th->inst->elems[ip[1].a].refs);
  NEXT(2);
}

}  // namespace wnn::exec
