// Finding the calling thread's stack bounds (once per thread).
#include "exec/native_stack.h"

#include <pthread.h>

#include <algorithm>
#include <cstdint>

namespace wnn::exec {

namespace {

struct Bounds {
  uintptr_t low = 0;  // lowest usable address; 0: unknown
  size_t size = 0;
};

// pthread_getattr_np reads /proc/self/maps for the main thread: ask once.
Bounds find_bounds() {
  Bounds b;
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return b;
  void* addr = nullptr;
  size_t size = 0;
  if (pthread_attr_getstack(&attr, &addr, &size) == 0 && addr && size) {
    b.low = reinterpret_cast<uintptr_t>(addr);
    b.size = size;
  }
  pthread_attr_destroy(&attr);
  return b;
}

}  // namespace

NativeStack native_stack() {
  thread_local const Bounds bounds = find_bounds();
  // The frame address, not a local's: under ASan locals may live on a
  // heap-allocated fake stack.
  const auto sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  const size_t reserve = std::min(kNativeStackReserve, bounds.size / 4);
  if (!bounds.low || sp < bounds.low || sp - bounds.low > bounds.size) return {SIZE_MAX, reserve};
  return {sp - bounds.low, reserve};
}

}  // namespace wnn::exec
