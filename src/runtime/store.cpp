// The Store: owner of all runtime objects, and the embedding API around them
// (instantiation itself is in instantiate.cpp).
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <new>
#include <stdexcept>
#include <string>

#include "exec/tiering.h"
#include "runtime/linking.h"
#include "runtime/store_impl.h"

namespace wnn {

Store::Store(StoreConfig config) : config_(config), impl_(std::make_unique<Impl>()) {
  impl_->bytes.limit = config.max_total_bytes;
}
Store::~Store() = default;

Store::Impl::~Impl() {
  for (const std::unique_ptr<Instance>& inst : instances)
    if (inst->module && inst->module->tier) inst->module->tier->detach(inst.get());
  if (int fd = interrupt_event.load(); fd >= 0) ::close(fd);
}

// The request is stored before the event fd is read, and interrupt_fd()
// publishes the fd before its caller checks the request (both seq_cst): a
// host function that polls the fd either sees the request or gets the event.
void Store::interrupt() {
  impl_->interrupt_requested.store(true);
  if (int fd = impl_->interrupt_event.load(); fd >= 0) (void)::eventfd_write(fd, 1);
}

int Store::interrupt_fd() {
  std::call_once(impl_->interrupt_event_once, [this] {
    const int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    impl_->interrupt_event.store(fd);
    // A request made before the fd existed: signal it now.
    if (fd >= 0 && impl_->interrupt_requested.load()) (void)::eventfd_write(fd, 1);
  });
  return impl_->interrupt_event.load();
}

bool Store::take_interrupt() {
  if (int fd = impl_->interrupt_event.load(); fd >= 0) {
    eventfd_t drained;
    (void)::eventfd_read(fd, &drained);  // a stale event (request delivered elsewhere) goes too
  }
  return impl_->interrupt_requested.exchange(false);
}

uint32_t intern_type(Store& store, const FuncType& t) {
  StoreAccess::Impl& impl = StoreAccess::impl(store);
  auto [it, inserted] = impl.type_ids.try_emplace(t, uint32_t(impl.type_ids.size()));
  return it->second;
}

Expected<void> check_total(const StoreBytes& total, uint64_t bytes, const std::string& what) {
  if (total.fits(bytes)) return {};
  return Error(ErrorKind::Exhaustion, what + ": " + std::to_string(bytes) + " bytes would bring the store's memories " +
                                          "and tables to " + std::to_string(total.used + bytes) +
                                          " bytes, over the limit of " + std::to_string(total.limit) +
                                          " (StoreConfig::max_total_bytes, wnn run --max-memory)");
}

Error out_of_host_memory(const std::string& doing) {
  return Error(ErrorKind::Exhaustion, "out of host memory while " + doing);
}

Expected<std::unique_ptr<TableInst>> make_table(const TableType& type, const std::string& what,
                                                const StoreConfig& config, StoreBytes& bytes) {
  const Limits& lim = type.limits;
  if (lim.max && *lim.max < lim.min)
    return Error(ErrorKind::Usage,
                 what + ": maximum " + std::to_string(*lim.max) + " is below its minimum " + std::to_string(lim.min));
  const uint64_t limit = std::min(kMaxTableElems, config.max_table_elems);
  if (lim.min > limit)
    return Error(ErrorKind::Exhaustion, what + ": " + std::to_string(lim.min) + " elements exceed the limit of " +
                                            std::to_string(limit) + " (StoreConfig::max_table_elems, " +
                                            "wnn run --max-table-elements)");
  const uint64_t size = lim.min * sizeof(Ref);
  WNN_TRY_VOID(check_total(bytes, size, what));
  auto t = std::make_unique<TableInst>();
  t->type = type;
  t->limit = limit;
  t->budget = &bytes;
  try {
    t->elems.assign(lim.min, Ref(0));
  } catch (const std::bad_alloc&) {
    return out_of_host_memory("allocating " + what + " (" + std::to_string(size) + " bytes)");
  }
  bytes.charge(size);
  return t;
}

Expected<std::unique_ptr<MemoryInst>> make_memory(const MemoryType& type, const std::string& what,
                                                  const StoreConfig& config, StoreBytes& bytes) {
  if (type.limits.min > config.max_memory_pages)
    return Error(ErrorKind::Exhaustion,
                 what + ": " + std::to_string(type.limits.min) + " pages (64 KiB each) exceed the limit of " +
                     std::to_string(config.max_memory_pages) + " (StoreConfig::max_memory_pages)");
  if (type.limits.min <= kMaxPages) WNN_TRY_VOID(check_total(bytes, type.limits.min * kPageSize, what));
  auto m = MemoryInst::create(type);
  if (!m.ok()) {
    Error err = std::move(m).error();
    err.message = what + ": " + err.message;
    return err;
  }
  if ((*m)->max_pages > config.max_memory_pages) (*m)->max_pages = config.max_memory_pages;
  bytes.charge((*m)->size);
  (*m)->budget = &bytes;
  return m;
}

std::optional<Extern> Store::find_export(const Instance* inst, std::string_view name) const {
  if (!inst) return std::nullopt;
  for (const auto& [n, e] : inst->exports)
    if (n == name) return e;
  return std::nullopt;
}

const std::vector<std::pair<std::string, Extern>>& Store::exports(const Instance* inst) const { return inst->exports; }

namespace {

std::string func_label(const FuncInst* f) {
  return f->name.empty() ? "function " + func_type_string(f->type) : "function \"" + f->name + "\"";
}

}  // namespace

// Host memory exhaustion while calling (the argument and result vectors, a
// host function called directly) is an error, not an abort; host functions
// called from wasm are guarded in the interpreter (a HostError trap).
Expected<std::vector<Value>> Store::invoke(FuncInst* func, std::span<const Value> args) {
  try {
    return invoke_unguarded(func, args);
  } catch (const std::bad_alloc&) {
    return out_of_host_memory("calling a function");
  } catch (const std::length_error&) { return out_of_host_memory("calling a function"); }
}

Expected<std::vector<Value>> Store::invoke_unguarded(FuncInst* func, std::span<const Value> args) {
  if (!func) return Error(ErrorKind::Usage, "invoke: null function");
  const FuncType& type = func->type;
  if (args.size() != type.params.size())
    return Error(ErrorKind::Usage, "invoke " + func_label(func) + ": expected " + std::to_string(type.params.size()) +
                                       " arguments, got " + std::to_string(args.size()));
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i].type != type.params[i])
      return Error(ErrorKind::Usage, "invoke " + func_label(func) + ": argument " + std::to_string(i) + " has type " +
                                         val_type_name(args[i].type) + ", expected " + val_type_name(type.params[i]));

  std::vector<uint64_t> slots(std::max({func->param_slots, func->result_slots, 1u}), 0);
  size_t k = 0;
  for (const Value& v : args) {
    switch (v.type) {
      case ValType::I32:
      case ValType::F32: slots[k++] = uint32_t(v.lo); break;  // slots keep i32/f32 zero-extended
      case ValType::V128:
        slots[k++] = v.lo;
        slots[k++] = v.hi;
        break;
      default: slots[k++] = v.lo; break;
    }
  }

  WNN_TRY_VOID(impl_->exec(this, config_).call(func, slots.data()));

  std::vector<Value> results;
  results.reserve(type.results.size());
  k = 0;
  for (ValType t : type.results) {
    switch (t) {
      case ValType::I32:
      case ValType::F32: results.push_back(Value{t, uint32_t(slots[k++]), 0}); break;
      case ValType::V128:
        results.push_back(Value::v128(slots[k], slots[k + 1]));
        k += 2;
        break;
      default: results.push_back(Value{t, slots[k++], 0}); break;
    }
  }
  return results;
}

const FuncType& Store::func_type(const FuncInst* f) const { return f->type; }

Value Store::global_value(const GlobalInst* g) const {
  Value v{g->type.type, g->value[0], g->value[1]};
  if (v.type == ValType::I32 || v.type == ValType::F32) v.lo = uint32_t(v.lo);
  if (v.type != ValType::V128) v.hi = 0;
  return v;
}

GlobalType Store::global_type(const GlobalInst* g) const { return g->type; }

ExternType Store::extern_type(const Extern& e) const {
  if (e.object) return wnn::extern_type(e);
  ExternType none;
  none.kind = e.kind;
  return none;
}

namespace {

void store_global(GlobalInst* g, const Value& v) {
  g->value[0] = (v.type == ValType::I32 || v.type == ValType::F32) ? uint32_t(v.lo) : v.lo;
  g->value[1] = v.type == ValType::V128 ? v.hi : 0;
}

}  // namespace

Expected<void> Store::set_global(GlobalInst* g, Value v) {
  if (!g) return Error(ErrorKind::Usage, "set_global: null global");
  if (!g->type.mut)
    return Error(ErrorKind::Usage,
                 std::string("set_global: the global is immutable (global ") + val_type_name(g->type.type) + ")");
  if (v.type != g->type.type)
    return Error(ErrorKind::Usage, std::string("set_global: value has type ") + val_type_name(v.type) +
                                       ", the global holds " + val_type_name(g->type.type));
  store_global(g, v);
  return {};
}

Expected<uint64_t> Store::grow_memory(MemoryInst* m, uint64_t delta_pages) {
  if (!m) return Error(ErrorKind::Usage, "grow_memory: null memory");
  const uint64_t old = m->pages();
  const std::string what = "grow_memory by " + std::to_string(delta_pages) + " pages from " + std::to_string(old);
  if (delta_pages > m->max_pages || old > m->max_pages - delta_pages)
    return Error(ErrorKind::Exhaustion, what + ": past the maximum of " + std::to_string(m->max_pages) +
                                            " pages (the memory's declared maximum, 4 GiB or "
                                            "StoreConfig::max_memory_pages)");
  WNN_TRY_VOID(check_total(impl_->bytes, delta_pages * kPageSize, what));
  if (m->grow(delta_pages) < 0) return Error(ErrorKind::Exhaustion, what + ": the host refused the pages");
  return old;
}

Expected<uint64_t> Store::grow_table(TableInst* t, uint64_t delta, Value init) {
  if (!t) return Error(ErrorKind::Usage, "grow_table: null table");
  const uint64_t old = t->elems.size();
  const std::string what = "grow_table by " + std::to_string(delta) + " elements from " + std::to_string(old);
  if (init.type != t->type.elem)
    return Error(ErrorKind::Usage, what + ": the initial value has type " + val_type_name(init.type) +
                                       ", the table holds " + val_type_name(t->type.elem));
  const uint64_t max = t->max_elems();
  if (delta > max || old > max - delta)
    return Error(ErrorKind::Exhaustion, what + ": past the maximum of " + std::to_string(max) +
                                            " elements (the table's declared maximum or "
                                            "StoreConfig::max_table_elems)");
  WNN_TRY_VOID(check_total(impl_->bytes, delta * sizeof(Ref), what));
  if (t->grow(delta, Ref(init.lo)) < 0) return out_of_host_memory(what);
  return old;
}

TableType Store::table_type(const TableInst* t) const {
  return TableType{t->type.elem, Limits{t->elems.size(), t->type.limits.max}};
}

MemoryType Store::memory_type(const MemoryInst* m) const { return MemoryType{Limits{m->pages(), m->type.limits.max}}; }

std::span<uint8_t> Store::memory_data(MemoryInst* m) const { return {m->base, size_t(m->size)}; }

FuncInst* Store::create_host_function(FuncType type, HostFunction fn, std::string name) {
  auto f = std::make_unique<FuncInst>();
  f->type_id = intern_type(*this, type);
  f->param_slots = slots_of(type.params);
  f->result_slots = slots_of(type.results);
  f->type = std::move(type);
  f->host = std::move(fn);
  f->name = std::move(name);
  return impl_->add(std::move(f));
}

Expected<TableInst*> Store::create_table(TableType type) {
  if (!is_ref(type.elem))
    return Error(ErrorKind::Usage,
                 std::string("table: element type must be a reference type, got ") + val_type_name(type.elem));
  WNN_TRY(t, make_table(type, "table", config_, impl_->bytes));
  return impl_->add(std::move(t));
}

Expected<MemoryInst*> Store::create_memory(MemoryType type) {
  WNN_TRY(m, make_memory(type, "memory", config_, impl_->bytes));
  return impl_->add(std::move(m));
}

GlobalInst* Store::create_global(GlobalType type, Value init) {
  auto g = std::make_unique<GlobalInst>();
  g->type = type;
  init.type = type.type;  // create_global takes the bits as they are
  store_global(g.get(), init);
  return impl_->add(std::move(g));
}

}  // namespace wnn
