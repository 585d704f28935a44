// reserve_budget (src/exec/budget.cpp): what a compiled counted loop's
// preheader gets when its trips may cost more than the budget holds.
#include <gtest/gtest.h>

#include <atomic>

#include "exec/thread.h"
#include "exec/tiering.h"

namespace wnn::exec {
namespace {

// At least a chunk, as a refill gives: a short loop entered millions of
// times (matmul's inner loop, 1,408 units a trip) must not call again at
// every other entry.
TEST(Budget, AReserveHandsOutAtLeastAChunk) {
  Thread th;
  th.budget = 10;
  reserve_budget(&th, 1408);
  EXPECT_EQ(th.budget, kBudgetChunk);
  reserve_budget(&th, 1408);  // enough already: unchanged
  EXPECT_EQ(th.budget, kBudgetChunk);
  th.budget = 0;
  reserve_budget(&th, 3 * kBudgetChunk);  // twice a larger need
  EXPECT_EQ(th.budget, 6 * kBudgetChunk);
  th.budget = 0;
  reserve_budget(&th, kMaxReserve + 1);  // more than may go unchecked: the charged loop runs
  EXPECT_EQ(th.budget, 0);
}

// With fuel, from the fuel: budget + fuel left stays what the program may
// spend, and the budget never holds fuel there is not.
TEST(Budget, AReserveTakesItFromTheFuel) {
  Thread th;
  th.fuel_limited = true;
  th.fuel_left = 5'000'000;
  th.budget = 10;
  reserve_budget(&th, 1408);
  EXPECT_EQ(th.budget, kBudgetChunk);
  EXPECT_EQ(th.budget + int64_t(th.fuel_left), 5'000'010);
  th.fuel_left = 500;
  th.budget = 7;
  reserve_budget(&th, 1408);
  EXPECT_EQ(th.budget, 507);
  EXPECT_EQ(th.fuel_left, 0u);
}

// A pending interruption waits for the next refill, which delivers it.
TEST(Budget, AReserveLeavesAPendingInterruption) {
  std::atomic<bool> interrupt{true};
  Thread th;
  th.interrupt = &interrupt;
  th.budget = 10;
  reserve_budget(&th, 1408);
  EXPECT_EQ(th.budget, 10);
  EXPECT_EQ(refill_budget(&th), TrapKind::Interrupted);
}

}  // namespace
}  // namespace wnn::exec
