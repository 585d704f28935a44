// Instantiation, following the WebAssembly 2.0 algorithm: resolve and check
// imports, allocate, export, initialise tables and memories from active
// segments, then run the start function.
#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "exec/tiering.h"
#include "runtime/const_eval.h"
#include "runtime/linking.h"
#include "runtime/store_impl.h"

namespace wnn {

namespace {

std::string quoted_import(const Import& imp) { return "\"" + imp.module + "\" \"" + imp.name + "\""; }

Error init_trap(TrapKind kind, std::string detail) {
  Error e(ErrorKind::Trap, std::string(trap_message(kind)) + ": " + std::move(detail));
  e.trap = kind;
  return e;
}

// Store::interrupt() reaches instantiation between segments and every few
// thousand element items; it is delivered (the request consumed) as it is
// to running code.
bool interrupted(std::atomic<bool>& request) {
  return request.load(std::memory_order_relaxed) && request.exchange(false);
}

Error interrupted_error(const std::string& where) {
  Error e(ErrorKind::Trap, std::string(trap_message(TrapKind::Interrupted)) + ": instantiation stopped at " + where);
  e.trap = TrapKind::Interrupted;
  return e;
}

// Step 5 of instantiation: table.init / memory.init of every active segment,
// then elem.drop / data.drop. A trap stops here; what was already written
// stays, as tables and memories may be shared with other instances.
Expected<void> init_segments(const Module& m, Instance& inst, std::atomic<bool>& interrupt) {
  for (size_t i = 0; i < m.elems.size(); ++i) {
    if (interrupted(interrupt)) return interrupted_error("element segment " + std::to_string(i));
    const ElemSegment& seg = m.elems[i];
    ElemInst& elem = inst.elems[i];
    if (seg.mode == SegmentMode::Active) {
      TableInst& table = *inst.tables[seg.table];
      uint64_t offset = eval_const(seg.offset, inst).as_u32();
      uint64_t n = elem.refs.size();
      if (offset + n > table.elems.size())
        return init_trap(TrapKind::TableOutOfBounds, "element segment " + std::to_string(i) + " (" + std::to_string(n) +
                                                         " elements at offset " + std::to_string(offset) +
                                                         ") does not fit table " + std::to_string(seg.table) +
                                                         " of size " + std::to_string(table.elems.size()));
      std::copy(elem.refs.begin(), elem.refs.end(), table.elems.begin() + ptrdiff_t(offset));
    }
    if (seg.mode != SegmentMode::Passive) elem.refs = {};  // elem.drop; also frees the memory
  }
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const DataSegment& seg = m.datas[i];
    DataInst& data = inst.datas[i];
    if (seg.mode != SegmentMode::Active) continue;
    if (interrupted(interrupt)) return interrupted_error("data segment " + std::to_string(i));
    MemoryInst& mem = *inst.memories[seg.memory];
    uint64_t offset = eval_const(seg.offset, inst).as_u32();
    uint64_t n = data.size;
    if (offset + n > mem.size)
      return init_trap(TrapKind::MemoryOutOfBounds, "data segment " + std::to_string(i) + " (" + std::to_string(n) +
                                                        " bytes at offset " + std::to_string(offset) +
                                                        ") does not fit memory " + std::to_string(seg.memory) + " of " +
                                                        std::to_string(mem.size) + " bytes");
    if (n) std::memcpy(mem.base + offset, data.bytes, n);
    data.size = 0;  // data.drop
  }
  return {};
}

}  // namespace

// Host memory exhaustion anywhere in instantiation (the store's objects,
// segment instances, names) is an error, not an abort.
Expected<Instance*> Store::instantiate(std::shared_ptr<const CompiledModule> module, const ImportResolver& imports) {
  try {
    return instantiate_unguarded(std::move(module), imports);
  } catch (const std::bad_alloc&) {
    return out_of_host_memory("instantiating a module");
  } catch (const std::length_error&) { return out_of_host_memory("instantiating a module"); }
}

Expected<Instance*> Store::instantiate_unguarded(std::shared_ptr<const CompiledModule> module,
                                                 const ImportResolver& imports) {
  if (!module) return Error(ErrorKind::Usage, "instantiate: null module");
  const CompiledModule& cm = *module;
  const Module& m = cm.module;

  // A CompiledModule built by hand (tests, tools) might be inconsistent.
  if (cm.code.size() != m.functions.size())
    return Error(ErrorKind::Usage, "instantiate: module has " + std::to_string(m.functions.size()) + " functions but " +
                                       std::to_string(cm.code.size()) + " code bodies");

  // 1. Resolve and check every import before allocating anything, so that a
  // link error leaves the Store untouched.
  std::vector<Extern> resolved;
  resolved.reserve(m.imports.size());
  for (const Import& imp : m.imports) {
    std::optional<Extern> e = imports ? imports(imp.module, imp.name) : std::nullopt;
    if (!e || !e->object)
      return Error(ErrorKind::Unlinkable,
                   "unknown import " + quoted_import(imp) + " (expected " + import_type_string(m, imp) + ")");
    WNN_TRY_VOID(check_import(m, imp, *e));
    resolved.push_back(*e);
  }
  // The module's own tables and memories must fit in the store's total
  // (StoreConfig::max_total_bytes) together, before any is allocated. (One
  // past its own limit is reported by make_table/make_memory.)
  const uint64_t table_limit = std::min(kMaxTableElems, config_.max_table_elems);
  uint64_t own_bytes = 0;
  for (const TableType& t : m.tables) own_bytes += std::min(t.limits.min, table_limit) * sizeof(Ref);
  for (const MemoryType& mt : m.memories)
    own_bytes += std::min({mt.limits.min, config_.max_memory_pages, kMaxPages}) * kPageSize;
  WNN_TRY_VOID(check_total(impl_->bytes, own_bytes,
                           "the module's own memories and tables (" + std::to_string(m.memories.size()) +
                               " memory(ies), " + std::to_string(m.tables.size()) + " table(s))"));

  // 2. Allocate. The instance joins the Store now: even if a later step
  // fails, its functions may already sit in shared tables.
  Instance* inst = impl_->add(std::make_unique<Instance>());
  inst->module = module;
  inst->type_ids.reserve(m.types.size());
  for (const FuncType& t : m.types) inst->type_ids.push_back(intern_type(*this, t));

  for (const Extern& e : resolved) {
    switch (e.kind) {
      case ExternKind::Func: inst->funcs.push_back(e.func()); break;
      case ExternKind::Table: inst->tables.push_back(e.table()); break;
      case ExternKind::Memory: inst->memories.push_back(e.memory()); break;
      case ExternKind::Global: inst->globals.push_back(e.global()); break;
    }
  }

  for (size_t i = 0; i < m.functions.size(); ++i) {
    auto f = std::make_unique<FuncInst>();
    uint32_t ti = m.functions[i];
    f->type = m.types[ti];
    f->type_id = inst->type_ids[ti];
    f->inst = inst;
    f->code = &cm.code[i];
    f->index = m.num_imported_funcs + uint32_t(i);
    f->param_slots = slots_of(f->type.params);
    f->result_slots = slots_of(f->type.results);
    if (auto it = m.function_names.find(f->index); it != m.function_names.end()) f->name = it->second;
    inst->funcs.push_back(impl_->add(std::move(f)));
  }
  // Tier::Auto: the code compiled so far, and what is compiled later.
  if (cm.tier) cm.tier->attach(inst);

  for (size_t i = 0; i < m.tables.size(); ++i) {
    WNN_TRY(t, make_table(m.tables[i], "table " + std::to_string(m.num_imported_tables + i), config_, impl_->bytes));
    inst->tables.push_back(impl_->add(std::move(t)));
  }
  for (size_t i = 0; i < m.memories.size(); ++i) {
    WNN_TRY(mem,
            make_memory(m.memories[i], "memory " + std::to_string(m.num_imported_memories + i), config_, impl_->bytes));
    inst->memories.push_back(impl_->add(std::move(mem)));
  }
  // Initialisers see imported and earlier globals only (validation ensures it).
  for (const Global& g : m.globals) {
    auto gi = std::make_unique<GlobalInst>();
    gi->type = g.type;
    Value v = eval_const(g.init, *inst);
    gi->value[0] = v.lo;
    gi->value[1] = v.hi;
    inst->globals.push_back(impl_->add(std::move(gi)));
  }

  // 3. Exports, in module order.
  inst->exports.reserve(m.exports.size());
  for (const Export& ex : m.exports) {
    void* obj = nullptr;
    switch (ex.kind) {
      case ExternKind::Func: obj = inst->funcs[ex.index]; break;
      case ExternKind::Table: obj = inst->tables[ex.index]; break;
      case ExternKind::Memory: obj = inst->memories[ex.index]; break;
      case ExternKind::Global: obj = inst->globals[ex.index]; break;
    }
    inst->exports.emplace_back(ex.name, Extern{ex.kind, obj});
  }

  // 4. Segment instances: element items are evaluated once, here.
  inst->elems.resize(m.elems.size());
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const ElemSegment& seg = m.elems[i];
    ElemInst& elem = inst->elems[i];
    elem.type = seg.type;
    elem.refs.reserve(seg.items.size());
    for (const ConstExpr& item : seg.items) {
      if (elem.refs.size() % 4096 == 4095 && interrupted(impl_->interrupt_requested))
        return interrupted_error("element segment " + std::to_string(i));
      elem.refs.push_back(Ref(eval_const(item, *inst).lo));
    }
  }
  inst->datas.resize(m.datas.size());
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const DataSegment& seg = m.datas[i];
    inst->datas[i] = DataInst{m.bytes.data() + seg.data_offset, seg.data_size};
  }

  // 5. Active segments.
  WNN_TRY_VOID(init_segments(m, *inst, impl_->interrupt_requested));

  // 6. Start function.
  if (m.start) {
    FuncInst* start = inst->funcs[*m.start];
    uint64_t slots[2] = {0, 0};  // start is [] -> []; room to spare
    WNN_TRY_VOID(impl_->exec(this, config_).call(start, slots));
  }
  return inst;
}

}  // namespace wnn
