// Guard-page bounds checks. Every linear memory reserves 8 GiB + 64 KiB of
// address space with only its current pages accessible (runtime/memory.cpp),
// so a load or store at u32 address + u32 offset can only fault inside that
// reservation. The interpreter's loads and stores therefore do not check
// bounds; a SIGSEGV inside the running instance's reservation, while guest
// code runs on this thread, jumps back to the entry of the run as an
// "out of bounds memory access" trap. Faults anywhere else (host code, other
// addresses) go to the previous handler, so real crashes stay crashes.
// Bulk memory operations still check explicitly (their traps must happen
// before any byte is written).
#pragma once
#include <csetjmp>

#include "exec/code.h"

#if defined(__x86_64__) && defined(__linux__) && !defined(WNN_EXPLICIT_BOUNDS_CHECKS)
#define WNN_GUARD_PAGES 1
#else
#define WNN_GUARD_PAGES 0
#endif

namespace wnn::exec {

struct Thread;

// One active run of guest code on this thread (runs nest through host calls).
// A trap jumps to `jump` with the TrapKind as the value (faults here, traps
// of compiled code in jit_support.cpp).
struct GuardFrame {
  sigjmp_buf jump;
  Thread* thread = nullptr;
  GuardFrame* prev = nullptr;
};

// The innermost run whose faults become traps; null while host code runs.
extern thread_local GuardFrame* t_guard;

// Installs the process-wide SIGSEGV handler (once; thread-safe).
void install_guard_handler();

}  // namespace wnn::exec
