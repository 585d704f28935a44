// See fault_free_loops.h. An access's address is mem + C + X (Wasm's
// zext(addr) + offset), X either fixed in the loop or a recurrence of it with
// a constant step D: zext({S,+,D}) of an i32, or an i64 {S,+,D}; or with a
// step fixed in the loop, zext({S,+,D}) of an i32 (the sieve's `j += i`). Accesses
// whose starts differ from a group's first, B, by a constant d join it
// (unrolled code: a[i], a[i + 1], ...), and a group is checked at once. For
// an i32 recurrence, when zext(B) + d stays in [0, 2^32) for the group's
// least and greatest d over iterations 0..n, no member's i32 wraps and its
// addresses are zext(B) + d + k * D + C exactly; the group covers
// [zext(B) + min(n * D, 0) + min(d + C), zext(B) + max(n * D, 0) + max(d + C + size)).
// memmove's eight-way unrolled byte loop makes two groups, two checks.
// LLVM's own alias analysis sees each of the sixteen byte accesses as a
// pointer of its own (it cannot relate source and destination) and would
// check all 64 pairs before its vector loop; one check that the groups which
// store do not overlap the others, with alias scopes saying so, replaces them.
#include "jit/fault_free_loops.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/bit.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/MathExtras.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <utility>

#include "exec/thread.h"

#pragma clang diagnostic ignored "-Winvalid-offsetof"  // Thread is not standard-layout; its fields are

namespace wnn::jit {

namespace {

// Loops with more groups than this keep their volatile accesses: the
// preheader's checks would cost more than the loop could gain.
constexpr size_t kMaxGroups = 8;

struct Group {
  const llvm::SCEV* base;  // B: the first start seen (i32 or i64), X itself when fixed
  int64_t step;            // D; 0 when fixed or not a constant
  const llvm::SCEV* variable = nullptr;  // D when not a constant (an i32 fixed in the loop)
  int64_t least = INT64_MAX;  // the least d
  int64_t first = INT64_MAX;  // the least d + C
  int64_t end = INT64_MIN;    // the greatest d + C + size
  bool stores = false;
  llvm::Value* low = nullptr;   // the group's addresses lie in [low, high)
  llvm::Value* high = nullptr;
};

// Pairs of groups checked for overlap at most.
constexpr size_t kMaxPairs = 8;

// X's start and step (0 when fixed: the start is X), or false when X is
// neither fixed nor a recurrence of l: zext({S,+,D}) with S an i32, or an i64
// {S,+,D}, as ScalarEvolution writes the former when it proves that it does
// not wrap while the loop runs; D a constant, or (`variable`) an i32 fixed in
// the loop for the former.
bool classify(const llvm::SCEV* x, llvm::Loop* l, llvm::ScalarEvolution& se, const llvm::SCEV*& start, int64_t& step,
              const llvm::SCEV*& variable) {
  variable = nullptr;
  if (se.isLoopInvariant(x, l)) {
    start = x;
    step = 0;
    return true;
  }
  const auto* ext = llvm::dyn_cast<llvm::SCEVZeroExtendExpr>(x);
  const auto* rec = llvm::dyn_cast<llvm::SCEVAddRecExpr>(ext ? ext->getOperand() : x);
  if (!rec || rec->getLoop() != l || !rec->isAffine() || !rec->getType()->isIntegerTy(ext ? 32 : 64)) return false;
  const llvm::SCEV* d = rec->getStepRecurrence(se);
  start = rec->getStart();
  if (const auto* c = llvm::dyn_cast<llvm::SCEVConstant>(d)) {
    step = c->getAPInt().getSExtValue();
    return true;
  }
  step = 0;
  variable = d;
  return ext && se.isLoopInvariant(d, l);
}

// Byte loads that only feed lane inserts, of one stepping group in one block,
// are merged when they span at most kMergeSpan bytes (one vector) and are at
// least kMergeLeast (fewer are cheaper as they are).
constexpr int64_t kMergeSpan = 16;
constexpr size_t kMergeLeast = 4;

// Byte loads of one group in one block of the copy, each feeding only lane
// inserts and within kMergeSpan bytes of each other, become one or two wide
// loads of the bytes between the least and the greatest, taken apart by
// shuffles: clang's wasm SIMD de-interleaves RGB with twelve v128.load8_lane
// per four pixels, one pinsrb from memory each. Every byte between two of a
// group's accesses in one iteration lies in the range the preheader checked,
// so the wider loads cannot fault; they move up to the first of the loads, so
// no instruction in between may write memory the group may hold: a store of
// another group is allowed only when the groups were checked disjoint.
void merge_byte_loads(const FaultFreeAccesses& a, llvm::ValueToValueMapTy& map, const std::vector<llvm::PHINode*>& ivs,
                      llvm::Value* mem) {
  struct Byte {
    llvm::LoadInst* load;
    int64_t d;
  };
  std::vector<std::pair<std::pair<unsigned, llvm::BasicBlock*>, std::vector<Byte>>> sets;
  std::unordered_map<const llvm::Instruction*, unsigned> group_of;
  for (size_t k = 0; k < a.accesses.size(); ++k) {
    auto* i = llvm::cast<llvm::Instruction>(map[a.accesses[k]]);
    group_of[i] = a.group[k];
    auto* load = llvm::dyn_cast<llvm::LoadInst>(i);
    if (!load || !ivs[a.group[k]] || !load->getType()->isIntegerTy(8)) continue;
    const bool inserted = llvm::all_of(load->users(), [&](const llvm::User* u) {
      return llvm::isa<llvm::InsertElementInst>(u) && u->getOperand(1) == load;
    });
    if (!inserted) continue;
    const std::pair<unsigned, llvm::BasicBlock*> key{a.group[k], load->getParent()};
    auto set = std::find_if(sets.begin(), sets.end(), [&](const auto& s) { return s.first == key; });
    if (set == sets.end()) set = sets.insert(sets.end(), {key, {}});
    set->second.push_back({load, a.displacement[k]});
  }
  for (auto& [key, bytes] : sets) {
    std::sort(bytes.begin(), bytes.end(), [](const Byte& x, const Byte& y) { return x.d < y.d; });
    for (size_t begin = 0, end; begin < bytes.size(); begin = end) {
      for (end = begin + 1; end < bytes.size() && bytes[end].d - bytes[begin].d < kMergeSpan;) ++end;
      if (end - begin < kMergeLeast) continue;
      const std::vector<Byte> run(bytes.begin() + std::ptrdiff_t(begin), bytes.begin() + std::ptrdiff_t(end));
      llvm::Instruction* first = run.front().load;
      llvm::Instruction* last = run.front().load;
      for (const Byte& x : run) {
        if (x.load->comesBefore(first)) first = x.load;
        if (last->comesBefore(x.load)) last = x.load;
      }
      bool clear = true;
      for (llvm::Instruction* i = first; clear && i != last; i = i->getNextNode()) {
        if (!i->mayWriteToMemory()) continue;
        // Strict float operations only touch the float environment.
        const auto* call = llvm::dyn_cast<llvm::CallBase>(i);
        if (call && call->onlyAccessesInaccessibleMemory()) continue;
        const auto g = group_of.find(i);
        // A store outside the group list is not to linear memory (the copy's
        // every access to it is in the list); anything else may write it.
        clear = llvm::isa<llvm::StoreInst>(i) && (g == group_of.end() || (a.groups && g->second != key.first));
      }
      if (!clear) continue;
      llvm::IRBuilder<> b(first);
      llvm::Type* i8 = b.getInt8Ty();
      auto piece = [&](int64_t at, unsigned bytes_wide) {
        llvm::Value* ptr = b.CreateGEP(i8, mem, b.CreateAdd(ivs[key.first], b.getInt64(uint64_t(at))));
        llvm::LoadInst* l = b.CreateAlignedLoad(b.getIntNTy(8 * bytes_wide), ptr, llvm::Align(1));
        l->copyMetadata(*run.front().load, {llvm::LLVMContext::MD_alias_scope, llvm::LLVMContext::MD_noalias});
        llvm::Value* v = b.CreateBitCast(l, llvm::FixedVectorType::get(i8, bytes_wide));
        std::vector<int> mask(kMergeSpan, llvm::PoisonMaskElem);
        for (unsigned j = 0; j < bytes_wide; ++j) mask[j] = int(j);
        return b.CreateShuffleVector(v, mask);
      };
      const int64_t low = run.front().d;
      const int64_t span = run.back().d + 1 - low;
      const auto head = unsigned(std::min<int64_t>(8, int64_t(llvm::bit_floor(uint64_t(span)))));
      llvm::Value* wide = piece(low, head);
      if (span > head) {  // the rest, read by a second load ending at the last byte
        const auto tail = unsigned(llvm::PowerOf2Ceil(uint64_t(span - head)));
        std::vector<int> mask(kMergeSpan, llvm::PoisonMaskElem);
        for (int64_t j = 0; j < span; ++j) mask[size_t(j)] = j < head ? int(j) : int(kMergeSpan + j - (span - tail));
        wide = b.CreateShuffleVector(wide, piece(low + span - tail, tail), mask);
      }
      for (const Byte& x : run) x.load->replaceAllUsesWith(b.CreateExtractElement(wide, uint64_t(x.d - low)));
      for (const Byte& x : run) x.load->eraseFromParent();  // the builder inserts before one of them until here
    }
  }
}

}  // namespace

MemoryAddress split_address(llvm::ScalarEvolution& se, llvm::Value* ptr, const llvm::SCEV* mem) {
  const llvm::SCEV* rel = se.getMinusSCEV(se.getSCEV(ptr), mem);
  if (const auto* add = llvm::dyn_cast<llvm::SCEVAddExpr>(rel); add && add->getNumOperands() == 2)
    if (const auto* c = llvm::dyn_cast<llvm::SCEVConstant>(add->getOperand(0));
        c && c->getAPInt().isNonNegative() && c->getAPInt().ult(uint64_t(1) << 32))
      return {c->getAPInt().getZExtValue(), add->getOperand(1)};
  return {0, rel};
}

FaultFreeAccesses fault_free_accesses(llvm::Loop* l, llvm::ScalarEvolution& se, llvm::SCEVExpander& expander,
                                      llvm::IRBuilder<>& b, llvm::Value* n, llvm::Value* thread, llvm::Value* mem) {
  llvm::Instruction* at = l->getLoopPreheader()->getTerminator();
  const llvm::DataLayout& dl = at->getModule()->getDataLayout();
  const llvm::SCEV* mem_scev = se.getSCEV(mem);
  FaultFreeAccesses r;
  std::vector<Group> groups;  // in the order first seen: the same module compiles to the same code
  for (llvm::BasicBlock* bb : l->blocks()) {
    for (llvm::Instruction& i : *bb) {
      auto* load = llvm::dyn_cast<llvm::LoadInst>(&i);
      auto* store = llvm::dyn_cast<llvm::StoreInst>(&i);
      if (!load && !store) continue;
      llvm::Value* ptr = load ? load->getPointerOperand() : store->getPointerOperand();
      // Through selects and phis: an access that may be to the memory and is
      // not known to be (a select of two of its addresses) leaves the loop as it is.
      llvm::SmallVector<const llvm::Value*, 4> objects;
      llvm::getUnderlyingObjects(ptr, objects, nullptr, 0);
      const bool to_memory = llvm::is_contained(objects, mem);
      if (!to_memory) continue;
      if (objects.size() != 1) return {};
      if (!(load ? load->isVolatile() : store->isVolatile())) return {};  // not one we emitted
      // A pointer ScalarEvolution does not see as mem + X (a phi of
      // addresses, `p = cond ? p : mem + c` carried round the loop).
      if (se.getPointerBase(se.getSCEV(ptr)) != mem_scev) return {};
      const auto [offset, x] = split_address(se, ptr, mem_scev);
      const llvm::SCEV* start = nullptr;
      int64_t step = 0;
      const llvm::SCEV* variable = nullptr;
      if (!classify(x, l, se, start, step, variable)) return {};
      // The group whose start differs from this one's by a constant d
      // (4 * i + 1049616 and 4 * i + 1049620: matmul's unrolled row).
      int64_t d = 0;
      auto g = std::find_if(groups.begin(), groups.end(), [&](const Group& o) {
        if (o.step != step || o.variable != variable || o.base->getType() != start->getType()) return false;
        const auto* c = llvm::dyn_cast<llvm::SCEVConstant>(se.getMinusSCEV(start, o.base));
        if (!c || c->getAPInt().getSignificantBits() > 33) return false;
        d = c->getAPInt().getSExtValue();
        return true;
      });
      if (g == groups.end()) {
        if (groups.size() == kMaxGroups) return {};
        d = 0;
        g = groups.insert(groups.end(), Group{start, step, variable});
      }
      const uint64_t size = dl.getTypeStoreSize(load ? load->getType() : store->getValueOperand()->getType());
      // |d| < 2^33, C < 2^32, size <= 16: no overflow.
      g->least = std::min(g->least, d);
      g->first = std::min(g->first, d + int64_t(offset));
      g->end = std::max(g->end, d + int64_t(offset + size));
      g->stores |= store != nullptr;
      r.accesses.push_back(&i);
      r.group.push_back(unsigned(g - groups.begin()));
      r.displacement.push_back(d + int64_t(offset));
    }
  }
  if (r.accesses.empty()) return {};
  for (const Group& g : groups)
    if (!expander.isSafeToExpandAt(g.base, at) || (g.variable && !expander.isSafeToExpandAt(g.variable, at))) return {};

  llvm::Type* i64 = b.getInt64Ty();
  llvm::Value* size = b.CreateLoad(i64, b.CreateConstGEP1_64(b.getInt8Ty(), thread, offsetof(exec::Thread, mem_size)));
  llvm::Value* ok = b.getTrue();
  for (Group& g : groups) {
    if (g.step == 0 && !g.variable) {  // X in [0, 2^33)
      llvm::Value* x = expander.expandCodeFor(g.base, i64, at);
      g.low = b.CreateAdd(x, b.getInt64(uint64_t(g.first)));
      g.high = b.CreateAdd(x, b.getInt64(uint64_t(g.end)));
      ok = b.CreateAnd(ok, b.CreateICmpULE(g.high, size));
      r.group_start.push_back(nullptr);
      r.group_step.push_back(nullptr);
      continue;
    }
    // n < 2^31 (the caller's kMaxTrips, checked with this) and |D| <= 2^31:
    // no 64-bit overflow when it holds; the result is unused when not.
    const bool narrow = g.base->getType()->isIntegerTy(32);
    llvm::Value* first = narrow ? b.CreateZExt(expander.expandCodeFor(g.base, b.getInt32Ty(), at), i64)
                                : expander.expandCodeFor(g.base, i64, at);
    // A variable D (an i32: narrow) is signed, as the i32 sum wraps the same.
    llvm::Value* step = g.variable ? b.CreateSExt(expander.expandCodeFor(g.variable, b.getInt32Ty(), at), i64)
                                   : b.getInt64(uint64_t(g.step));
    llvm::Value* last = b.CreateAdd(first, b.CreateMul(n, step));
    llvm::Value* rising = g.variable ? b.CreateICmpSGE(step, b.getInt64(0)) : b.getInt1(g.step > 0);
    llvm::Value* low = b.CreateSelect(rising, first, last);
    llvm::Value* high = b.CreateSelect(rising, last, first);
    // An i64 recurrence is the address in every iteration that runs (n
    // bounds them: the extremes here are conservative); an i32 one must not
    // wrap, which its least d (here) and greatest (the size check) show.
    if (narrow) ok = b.CreateAnd(ok, b.CreateICmpSGE(b.CreateAdd(low, b.getInt64(uint64_t(g.least))), b.getInt64(0)));
    // Then a member's address in iteration k is exactly first + k * D + its d + C.
    r.group_start.push_back(first);
    r.group_step.push_back(step);
    g.low = b.CreateAdd(low, b.getInt64(uint64_t(g.first)));
    g.high = b.CreateAdd(high, b.getInt64(uint64_t(g.end)));
    // Below the size (at most 2^32) also keeps the greatest d's i32 from wrapping.
    ok = b.CreateAnd(ok, b.CreateICmpSLE(g.high, size));
  }
  // Overlap checks for the pairs with a store, when there are few.
  std::vector<std::pair<unsigned, unsigned>> pairs;
  for (unsigned i = 0; i < groups.size(); ++i)
    for (unsigned j = i + 1; j < groups.size(); ++j)
      if (groups[i].stores || groups[j].stores) pairs.push_back({i, j});
  if (groups.size() > 1 && pairs.size() <= kMaxPairs) {
    for (const auto& [i, j] : pairs) {
      llvm::Value* below = b.CreateICmpSLE(groups[i].high, groups[j].low);
      llvm::Value* above = b.CreateICmpSLE(groups[j].high, groups[i].low);
      ok = b.CreateAnd(ok, b.CreateOr(below, above));
    }
    r.groups = unsigned(groups.size());
  }
  r.condition = ok;
  return r;
}

void make_plain(const FaultFreeAccesses& a, llvm::ValueToValueMapTy& map, llvm::Loop* copy, llvm::Value* mem) {
  if (a.accesses.empty()) return;
  llvm::BasicBlock* latch = copy->getLoopLatch();
  llvm::BasicBlock* pre = copy->getLoopPreheader();
  std::vector<llvm::PHINode*> ivs(a.group_start.size(), nullptr);
  llvm::IRBuilder<> b(copy->getHeader(), copy->getHeader()->begin());
  for (size_t g = 0; g < ivs.size(); ++g) {
    if (!a.group_start[g] || !latch || !pre) continue;
    ivs[g] = b.CreatePHI(b.getInt64Ty(), 2, "group");
    ivs[g]->addIncoming(a.group_start[g], pre);
    ivs[g]->addIncoming(llvm::BinaryOperator::CreateAdd(ivs[g], a.group_step[g], "group.next", latch->getTerminator()),
                        latch);
  }
  llvm::LLVMContext& ctx = a.accesses.front()->getContext();
  llvm::MDBuilder md(ctx);
  std::vector<llvm::MDNode*> scopes;
  if (a.groups) {
    llvm::MDNode* domain = md.createAnonymousAliasScopeDomain("wnn.loop");
    for (unsigned g = 0; g < a.groups; ++g) scopes.push_back(md.createAnonymousAliasScope(domain));
  }
  for (size_t k = 0; k < a.accesses.size(); ++k) {
    auto* i = llvm::cast<llvm::Instruction>(map[a.accesses[k]]);
    if (auto* load = llvm::dyn_cast<llvm::LoadInst>(i)) load->setVolatile(false);
    if (auto* store = llvm::dyn_cast<llvm::StoreInst>(i)) store->setVolatile(false);
    if (llvm::PHINode* iv = ivs[a.group[k]]) {
      b.SetInsertPoint(i);
      const unsigned ptr = llvm::isa<llvm::LoadInst>(i) ? 0 : 1;
      i->setOperand(ptr, b.CreateGEP(b.getInt8Ty(), mem, b.CreateAdd(iv, b.getInt64(uint64_t(a.displacement[k])))));
    }
    if (scopes.empty()) continue;
    std::vector<llvm::Metadata*> others;
    for (unsigned g = 0; g < a.groups; ++g)
      if (g != a.group[k]) others.push_back(scopes[g]);
    i->setMetadata(llvm::LLVMContext::MD_alias_scope, llvm::MDNode::get(ctx, {scopes[a.group[k]]}));
    i->setMetadata(llvm::LLVMContext::MD_noalias, llvm::MDNode::get(ctx, others));
  }
  merge_byte_loads(a, map, ivs, mem);
}

}  // namespace wnn::jit
