// The native stack of the calling thread, for bounding host re-entry: a host
// function that calls back into wasm (Store::invoke from inside a host call)
// nests native frames (the host's, Executor::call's, the handler chain's)
// that the interpreter's own frame stack does not see, so each entry into
// guest code first checks that enough native stack is left.
#pragma once
#include <cstddef>

namespace wnn::exec {

// At least this much native stack (or a quarter of a smaller thread's stack)
// must be left when guest code is entered: room for the interpreter, the
// guard frame and the deepest host function it may call.
constexpr size_t kNativeStackReserve = size_t(128) << 10;

// Bytes of native stack left below the caller's frame on this thread, and
// the reserve that must remain for this thread's stack size. left is
// SIZE_MAX when the bounds cannot be found (the check is then off).
struct NativeStack {
  size_t left;
  size_t reserve;
};
NativeStack native_stack();

}  // namespace wnn::exec
