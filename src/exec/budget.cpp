// The slow path of the budget check at loop back-edges and calls (see
// Thread::budget): interruption requests, fuel, and the tiering sampler.
#include <algorithm>

#include "exec/thread.h"
#include "exec/tiering.h"

namespace wnn::exec {

namespace {

bool interrupted(Thread* th) {
  if (th->interrupt && th->interrupt->load(std::memory_order_relaxed)) {
    th->interrupt->store(false, std::memory_order_relaxed);  // delivered
    th->budget = 0;
    return true;
  }
  return false;
}

// Moves up to `n` units of fuel into the budget: budget + fuel_left, what
// the program may still spend, stays the same.
void take_fuel(Thread* th, uint64_t n) {
  const uint64_t give = std::min(th->fuel_left, n);
  th->fuel_left -= give;
  th->budget += int64_t(give);
}

// Hands out `chunk` (kBudgetChunk: an interruption request is seen within
// that many charged instructions; less while the running module is tiering,
// whose sampler this is: tiering.h), from the fuel when it is limited.
TrapKind refill(Thread* th, int64_t chunk) {
  if (!th->fuel_limited) {
    th->budget = chunk;
    return TrapKind::None;
  }
  while (th->budget < 0) {
    if (th->fuel_left == 0) {
      th->budget = 0;
      return TrapKind::OutOfFuel;
    }
    take_fuel(th, uint64_t(chunk));
  }
  return TrapKind::None;
}

}  // namespace

TrapKind refill_budget(Thread* th) {
  if (interrupted(th)) return TrapKind::Interrupted;
  return refill(th, tier_sample(th, nullptr, nullptr, false));
}

TrapKind jit_refill_budget(Thread* th) {
  if (interrupted(th)) return TrapKind::Interrupted;
  return refill(th, tier_sample(th, nullptr, nullptr, true));
}

TrapKind jit_refill_budget_at_loop(Thread* th, uint32_t loop) {
  const TrapKind k = jit_refill_budget(th);
  if (k != TrapKind::None || !tier_full_loop_entry(th, loop, false)) return k;
  return TrapKind(kSwitchToFullLoopEntry);
}

JitLoopEntry jit_full_loop_entry(Thread* th, uint32_t loop) { return tier_full_loop_entry(th, loop, true); }

void reserve_budget(Thread* th, int64_t need) {
  // An interruption request waits for the next refill, as it would have.
  if (need <= th->budget || need > kMaxReserve || (th->interrupt && th->interrupt->load(std::memory_order_relaxed)))
    return;
  // Twice the need (up to kMaxReserve): a bound from the memory's size
  // (src/jit/charged_loops.cpp) is far above what most entries of the loop
  // spend, and the next entries should not each call here; and at least a
  // chunk, as a refill gives: a short inner loop entered millions of times
  // (matmul's) otherwise called here at every other entry.
  const int64_t target = std::max(need + std::min(need, kMaxReserve - need), kBudgetChunk);
  if (!th->fuel_limited) {
    th->budget = target;
    return;
  }
  take_fuel(th, uint64_t(target - th->budget));
}

LoopRefill refill_budget_at_loop(Thread* th, const Word* header) {
  if (interrupted(th)) return {TrapKind::Interrupted, nullptr};
  const Word* osr = nullptr;
  const TrapKind k = refill(th, tier_sample(th, header, &osr, false));
  return {k, k == TrapKind::None ? osr : nullptr};
}

// On-stack replacement: `osr` is a jit_enter_loop instruction, which pops the
// activation's frame, runs the compiled loop and the rest of the function
// from the values in fp, and returns to the caller as `return` does. No local
// has its address taken here: under ASan that needs a realigned frame, which
// preserve_none cannot have (clang's backend aborts).
TrapKind WNN_CC loop_refill(const Word* ip, Slot* fp, uint8_t* mem, Thread* th) {
  const LoopRefill r = refill_budget_at_loop(th, ip);
  if (r.trap != TrapKind::None) return r.trap;
  const Word* next = r.osr ? r.osr : ip;
  [[clang::musttail]] return next->h(next, fp, mem, th);
}

}  // namespace wnn::exec
