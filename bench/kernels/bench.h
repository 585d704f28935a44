// Glue shared by the C benchmark kernels (bench/kernels/*.c).
//
// A kernel defines `static uint32_t kernel(void)` — the whole computation,
// returning a checksum — and ends with `BENCH_MAIN(kernel, EXPECTED)`.
// The same source builds three ways (see bench/run):
//   hosted (native, wasm32-wasi): main() runs the kernel, prints "ok <checksum>"
//     and exits 0, or prints "FAIL ..." and exits 1 on a mismatch;
//   freestanding (-DBENCH_FREESTANDING, --target=wasm32 -nostdlib): exports
//     `uint32_t run(void)` that returns the checksum and traps (unreachable)
//     on a mismatch. rt.c supplies memset/memcpy/memmove/memcmp.
// Kernels use only static storage (no malloc), so both variants behave alike.
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

// Problem sizes are read through volatile globals so the compiler cannot
// evaluate a kernel at compile time.
#define BENCH_PARAM(name, value) static volatile uint32_t name##_param = (value)
#define BENCH_GET(name) (name##_param)

// xorshift32: small, deterministic, the same on every target.
static inline uint32_t bench_rand(uint32_t* s) {
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *s = x;
}

// Order-dependent mixing of a 32-bit value into a checksum.
static inline uint32_t bench_mix(uint32_t h, uint32_t v) {
  h ^= v;
  h *= 0x01000193u;  // FNV-1a prime
  return h ^ (h >> 15);
}

static inline uint32_t bench_f32_bits(float f) {
  union {
    float f;
    uint32_t u;
  } c = {f};
  return c.u;
}
static inline uint64_t bench_f64_bits(double d) {
  union {
    double d;
    uint64_t u;
  } c = {d};
  return c.u;
}

void* memset(void* dst, int c, size_t n);
void* memcpy(void* __restrict dst, const void* __restrict src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
int memcmp(const void* a, const void* b, size_t n);

#ifdef BENCH_FREESTANDING
#define BENCH_MAIN(fn, expected)                           \
  __attribute__((export_name("run"))) uint32_t run(void) { \
    uint32_t got = fn();                                   \
    if (got != (uint32_t)(expected)) __builtin_trap();     \
    return got;                                            \
  }
#else
#include <stdio.h>
#define BENCH_MAIN(fn, expected)                                              \
  int main(void) {                                                            \
    uint32_t got = fn();                                                      \
    if (got != (uint32_t)(expected)) {                                        \
      printf("FAIL %u (expected %u)\n", (unsigned)got, (unsigned)(expected)); \
      return 1;                                                               \
    }                                                                         \
    printf("ok %u\n", (unsigned)got);                                         \
    return 0;                                                                 \
  }
#endif

#endif
