// Linear-memory accesses that cannot fault in a counted loop (docs/compiler.md,
// "Loops without faults").
//
// Every access to linear memory is volatile: a guard-page fault is a trap LLVM
// cannot see, so it must neither move nor merge an access that may fault (a
// trap part-way through must find exactly the earlier stores done). When the
// preheader of a loop with at most N back-edges shows that every address any
// of its accesses makes in those N + 1 iterations lies inside the accessible
// memory, none of them can fault there, and the charge-free copy of the loop
// (charged_loops.h) may use plain accesses, which LLVM vectorises.
#pragma once
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>
#include <llvm/Transforms/Utils/ValueMapper.h>

#include <cstdint>
#include <vector>

namespace wnn::jit {

// l's accesses to linear memory, in groups that step through memory together
// (a[i], a[i + 1], ...; docs in the .cpp).
struct FaultFreeAccesses {
  // Emitted at l's preheader: no access can fault in the first n + 1
  // iterations, and the groups that store do not overlap the others there.
  llvm::Value* condition = nullptr;
  std::vector<llvm::Instruction*> accesses;
  std::vector<unsigned> group;         // of each access
  std::vector<int64_t> displacement;   // of each access from its group's address
  unsigned groups = 0;                 // 0: no disjointness (too many pairs); keep LLVM's own alias checks
  // Of each group that steps (null for one fixed in the loop): its address
  // relative to the memory's base in the first iteration (i64, in the
  // preheader) and its step; each access's is that plus its displacement.
  std::vector<llvm::Value*> group_start;
  std::vector<llvm::Value*> group_step;  // i64, in the preheader
};

// An address in linear memory, mem + C + X, as (C, X): C the constant part
// ScalarEvolution keeps apart (Wasm's offset, below 2^32; 0 when none), X
// the rest, both relative to `mem` (the memory base's SCEV).
struct MemoryAddress {
  uint64_t offset;
  const llvm::SCEV* rest;
};
MemoryAddress split_address(llvm::ScalarEvolution& se, llvm::Value* ptr, const llvm::SCEV* mem);

// The accesses of l to linear memory at base `mem` and the condition, emitted
// at `b` (l's preheader), under which they cannot fault in the first n + 1
// iterations; no condition when l has no such access or one whose address is
// neither fixed in l nor an affine recurrence of l: then the loop keeps its
// volatile accesses. `thread` is the Thread* (its mem_size).
FaultFreeAccesses fault_free_accesses(llvm::Loop* l, llvm::ScalarEvolution& se, llvm::SCEVExpander& expander,
                                      llvm::IRBuilder<>& b, llvm::Value* n, llvm::Value* thread, llvm::Value* mem);

// Makes the copy's accesses plain; with disjoint groups, each group gets an
// alias scope the others do not alias (LLVM then needs no alias checks of
// its own to vectorise). The accesses of a group that steps take their
// addresses from one 64-bit induction variable, at constant distances: a
// Wasm address zero-extends an i32 sum of its own, which LLVM cannot relate
// to its neighbours' (they might wrap), so it would not merge a[i] and a[i + 1].
// `copy` is the copy of the loop, `mem` the memory's base.
void make_plain(const FaultFreeAccesses& a, llvm::ValueToValueMapTy& map, llvm::Loop* copy, llvm::Value* mem);

}  // namespace wnn::jit
