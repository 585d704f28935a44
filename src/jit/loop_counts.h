// A trip count ScalarEvolution does not find, for the charge-free copies of
// charged_loops.cpp, and a test in the copy it can count.
#pragma once
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/Instructions.h>

#include <cstdint>

namespace wnn::jit {

// Bounds ScalarEvolution does not find, from one exit that dominates the
// latch: the back-edges taken at most, and that exit's test, true or false
// exactly in iteration `count`.
struct CountedExit {
  const llvm::SCEV* count = nullptr;
  const llvm::SCEV* distance = nullptr;  // the count holds when distance & mask == 0 (null: always)
  uint64_t mask = 0;
  llvm::ICmpInst* test = nullptr;
  const llvm::SCEV* last = nullptr;  // and (null: always) when this i64 is not negative
};

// An exit that leaves when an induction variable {S,+,C}, C = +-2^k, equals
// a loop-invariant B. It leaves in iteration (B - S) / C (modulo 2^w, the
// variable's width) if C divides B - S, and never otherwise (the variable
// wraps past B). ScalarEvolution proves that division for loops it sees start
// (i = 0, bound 2 * (n / 2)), not for one entered in its middle: a tiering loop
// entry (src/jit/loop_entry.cpp) reads `i` from the interpreter's frame, and
// clang unrolls loops by 2 in the Wasm (matmul's `j + 2 != n2`). The caller
// runs the copy only when `distance & mask` is 0 (mask = 2^k - 1).
CountedExit stepped_exit(llvm::Loop* l, llvm::ScalarEvolution& se, llvm::DominatorTree& dt);

// Another: an exit that dominates the latch and leaves when an unsigned
// recurrence {S,+,-C} falls to a constant T or below (musl's word copies:
// `n -= 16` while `n > 16`; clang's unrolled ones: `n -= 32` while `n > 15`).
// ScalarEvolution fears the subtraction wraps. It cannot when T >= C - 1 (a
// value above T minus C is at least 0); otherwise the count holds when the
// value tested last, S - N * C, is not negative (`last`; i32 recurrences
// only). The exit comes in iteration N = ceil((S - T) / C), or the first when
// S <= T; the count is 64-bit.
CountedExit threshold_exit(llvm::Loop* l, llvm::ScalarEvolution& se, llvm::DominatorTree& dt);

// And one that leaves when an unsigned i32 recurrence {S,+,D}, D fixed in
// the loop but perhaps not known, rises above a loop-invariant T (the
// sieve's `j += i` while `j <= n`): after (T + D - S) / D back-edges, or none
// when S > T, provided no value tested wraps past 2^32 (T + D < 2^32) and
// D is not 0, which `last` checks.
CountedExit rising_exit(llvm::Loop* l, llvm::ScalarEvolution& se, llvm::DominatorTree& dt);

// In the copy of a loop counted by one of them, whose `test` decides
// the exit in iteration n exactly, that test becomes `k == n` (or !=) with k
// the iteration's number: ScalarEvolution then counts the copy, which LLVM's
// vectoriser needs.
void count_exit_by_iterations(llvm::Loop* copy, llvm::ICmpInst* test, llvm::Value* n);

}  // namespace wnn::jit
