// The interpreter's internal code: what the translator (src/valid) emits and
// the interpreter (src/exec) runs. See docs/architecture.md, "Internal code".
//
// A function's code is an array of 64-bit Words. Each instruction is a handler
// pointer (word 0) followed by operand words. Operands are frame-slot indices
// (uint32, relative to the frame pointer `fp`), immediates, or branch offsets
// (int32, in Words, relative to the start of the branching instruction); two
// 32-bit operands share one word (.a, .b). Each op's layout (ops.def,
// layouts.def) names its operands; code reads and writes them through the
// structs of operands.h, never by position.
//
// There is no Wasm operand stack at run time: the value at Wasm stack height h
// of a function lives in slot `num_locals + h` of its frame (a v128 takes two
// slots), so every operand is just a slot index fixed at translation time.
#pragma once
#include <cstdint>
#include <vector>

#include "wnn/trap.h"

namespace wnn {
struct Instance;
}

namespace wnn::exec {

using Slot = uint64_t;
struct Thread;
union Word;

#if defined(__clang__) && __has_attribute(preserve_none) && defined(__x86_64__)
#define WNN_CC __attribute__((preserve_none))
#else
#define WNN_CC
#endif

// Every handler has this signature so that each can tail-call the next.
// It returns TrapKind::None when the outermost frame finishes (`halt`).
using Handler = TrapKind(WNN_CC*)(const Word* ip, Slot* fp, uint8_t* mem, Thread* th);

union Word {
  Handler h;
  uint64_t u64;
  int64_t i64;
  struct {
    uint32_t a;
    uint32_t b;
  };
};
static_assert(sizeof(Word) == 8);

// A loop of a function's code: where its body starts (the target of its
// back-edges) and the module byte offset of its `loop` instruction, the
// loop's name for the compiler (on-stack replacement: src/exec/tiering.h).
struct LoopHeader {
  uint32_t word;
  uint32_t wasm_offset;
};

// The translated code of one defined function.
struct FunctionCode {
  std::vector<Word> code;
  uint32_t param_slots = 0;   // slots taken by parameters (fp[0..param_slots))
  uint32_t local_slots = 0;   // params + declared locals; locals start zeroed
  uint32_t result_slots = 0;  // results are left in fp[0..result_slots) on return
  uint32_t frame_slots = 0;   // max slots the frame ever uses (>= locals, results)
  std::vector<LoopHeader> loops;  // every loop that has code, in code order
};

// Declarations of every handler, `op_<name>`, from ops.def.
#define WNN_OP(name, layout) TrapKind WNN_CC op_##name(const Word* ip, Slot* fp, uint8_t* mem, Thread* th);
#include "exec/ops.def"
#undef WNN_OP

}  // namespace wnn::exec
