// Trap kinds: why a guest stopped abnormally.
#pragma once
#include <cstdint>

namespace wnn {

enum class TrapKind : uint8_t {
  None = 0,  // no trap: the code finished normally
  Unreachable,
  MemoryOutOfBounds,
  TableOutOfBounds,
  IntegerDivideByZero,
  IntegerOverflow,
  InvalidConversion,         // float -> int that is NaN or out of range
  IndirectCallTypeMismatch,
  UndefinedElement,          // call_indirect with an index past the end of the table
  UninitializedElement,      // call_indirect through a null table entry
  CallStackExhausted,        // call depth or value stack limit reached
  HostError,                 // a host function failed; see Thread::host_message
  Exit,                      // the guest asked to exit (WASI proc_exit)
  OutOfFuel,                 // the StoreConfig::fuel budget is spent
  Interrupted,               // Store::interrupt() (e.g. a wall-clock timeout)
};

// The spec test suite's wording, e.g. "integer divide by zero".
const char* trap_message(TrapKind kind);

}  // namespace wnn
