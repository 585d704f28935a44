// The slow path of the budget check at loop back-edges and calls (see
// Thread::budget): interruption requests and fuel.
#include <algorithm>

#include "exec/thread.h"
#include "exec/tiering.h"

namespace wnn::exec {

// How much budget is handed out at a time: kBudgetChunk (an interruption
// request is seen within that many charged instructions), or less while the
// running module is tiering, whose sampler this is (tiering.h).
TrapKind refill_budget(Thread* th) {
  if (th->interrupt && th->interrupt->load(std::memory_order_relaxed)) {
    th->interrupt->store(false, std::memory_order_relaxed);  // delivered
    th->budget = 0;
    return TrapKind::Interrupted;
  }
  const int64_t chunk = tier_sample(th);
  if (!th->fuel_limited) {
    th->budget = chunk;
    return TrapKind::None;
  }
  while (th->budget < 0) {
    if (th->fuel_left == 0) {
      th->budget = 0;
      return TrapKind::OutOfFuel;
    }
    const uint64_t give = std::min<uint64_t>(th->fuel_left, chunk);
    th->fuel_left -= give;
    th->budget += int64_t(give);
  }
  return TrapKind::None;
}

}  // namespace wnn::exec
