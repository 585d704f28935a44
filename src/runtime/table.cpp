// Table growth, bounded by the declared maximum, an implementation limit and
// the store's total.
#include <algorithm>
#include <new>

#include "runtime/objects.h"

namespace wnn {

uint64_t TableInst::max_elems() const {
  uint64_t max = type.limits.max.value_or(UINT32_MAX);
  return std::min({max, uint64_t(UINT32_MAX), kMaxTableElems, limit});
}

int64_t TableInst::grow(uint64_t delta, Ref init) {
  uint64_t old = elems.size();
  uint64_t max = max_elems();
  if (old > max || delta > max - old) return -1;
  const uint64_t bytes = delta * sizeof(Ref);
  if (budget && !budget->charge(bytes)) return -1;
  try {
    elems.resize(old + delta, init);
  } catch (const std::bad_alloc&) {  // the host is out of memory: the guest sees -1
    if (budget) budget->refund(bytes);
    return -1;
  }
  return int64_t(old);
}

}  // namespace wnn
