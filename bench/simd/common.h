// Glue for the SIMD benchmark kernels (bench/simd/*.c). Each kernel defines
// `static uint32_t kernel(void)` returning a checksum and ends with
// SIMD_BENCH_MAIN(kernel). Freestanding wasm builds (-DFREESTANDING) export
// `uint32_t run(void)`; native builds get a main() that prints the checksum.
// Static storage only: no libc needed in wasm (memset/memcpy are provided
// below for the calls the compiler may emit).
#ifndef SIMD_BENCH_COMMON_H
#define SIMD_BENCH_COMMON_H
#include <stddef.h>
#include <stdint.h>

// Sizes are read through volatile globals so nothing is computed at compile time.
#define PARAM(name, value) static volatile uint32_t name##_param = (value)
#define GET(name) (name##_param)

static inline uint32_t xorshift(uint32_t* s) {
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *s = x;
}
static inline uint32_t mix(uint32_t h, uint32_t v) {
  h ^= v;
  h *= 0x01000193u;
  return h ^ (h >> 15);
}
static inline uint32_t f32_bits(float f) {
  union {
    float f;
    uint32_t u;
  } c = {f};
  return c.u;
}

#ifdef FREESTANDING
void* memset(void* d, int c, size_t n) {
  unsigned char* p = (unsigned char*)d;
  while (n--) *p++ = (unsigned char)c;
  return d;
}
void* memcpy(void* __restrict d, const void* __restrict s, size_t n) {
  unsigned char* p = (unsigned char*)d;
  const unsigned char* q = (const unsigned char*)s;
  while (n--) *p++ = *q++;
  return d;
}
// `startup` does nothing: wnn's time for it (start-up, translation or
// compilation of the whole module) is subtracted from `run`'s by bench/simd/run.
#define SIMD_BENCH_MAIN(fn)                                               \
  __attribute__((export_name("run"))) uint32_t run(void) { return fn(); } \
  __attribute__((export_name("startup"))) uint32_t startup(void) { return 0; }
#else
#include <stdio.h>
#define SIMD_BENCH_MAIN(fn)         \
  int main(void) {                  \
    printf("%u\n", (unsigned)fn()); \
    return 0;                       \
  }
#endif
#endif
