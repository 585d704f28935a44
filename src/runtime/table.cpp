// Table growth, bounded by the declared maximum and an implementation limit.
#include <algorithm>

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
  elems.resize(old + delta, init);
  return int64_t(old);
}

}  // namespace wnn
