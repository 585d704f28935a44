// The slow path of the budget check at loop back-edges and calls (see
// Thread::budget): interruption requests and fuel.
#include <algorithm>

#include "exec/thread.h"

namespace wnn::exec {

// How much budget is handed out at a time: an interruption request is seen
// within this many charged instructions (a few milliseconds of guest code).
constexpr int64_t kBudgetChunk = int64_t(1) << 20;

TrapKind refill_budget(Thread* th) {
  if (th->interrupt && th->interrupt->load(std::memory_order_relaxed)) {
    th->interrupt->store(false, std::memory_order_relaxed);  // delivered
    th->budget = 0;
    return TrapKind::Interrupted;
  }
  if (!th->fuel_limited) {
    th->budget = kBudgetChunk;
    return TrapKind::None;
  }
  while (th->budget < 0) {
    if (th->fuel_left == 0) {
      th->budget = 0;
      return TrapKind::OutOfFuel;
    }
    const uint64_t give = std::min<uint64_t>(th->fuel_left, kBudgetChunk);
    th->fuel_left -= give;
    th->budget += int64_t(give);
  }
  return TrapKind::None;
}

}  // namespace wnn::exec
