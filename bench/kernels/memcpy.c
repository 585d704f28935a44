// memcpy: block copies — memcpy between two buffers and overlapping memmove
// within one, of pseudo-random sizes (8 B to 16 KiB) and offsets, plus a
// light checksum of each destination. Measures how an engine runs the
// toolchain's memcpy/memmove (native: libc; wasm32-wasi: wasi-libc; the
// WASI-free variant: rt.c — all without the bulk-memory proposal).
#include "bench.h"

#define BUF (1u << 20)
BENCH_PARAM(ops, 600000);

static uint8_t a[BUF], b[BUF];

static uint32_t kernel(void) {
  uint32_t seed = 0x0DDBA11, h = 0, ops = BENCH_GET(ops);
  for (uint32_t i = 0; i < BUF; ++i) a[i] = (uint8_t)bench_rand(&seed);
  for (uint32_t i = 0; i < ops; ++i) {
    uint32_t r = bench_rand(&seed);
    uint32_t size = 8u << (r & 11);  // 8 B .. 16 KiB
    if (r & 0x800) size = 8u << (r & 7);
    size += (r >> 12) & 7;  // not always a multiple of 8
    uint32_t from = bench_rand(&seed) % (BUF - size), to = bench_rand(&seed) % (BUF - size);
    switch ((r >> 16) & 3) {
      case 0:
        memcpy(b + to, a + from, size);
        h = bench_mix(h, b[to + size / 2]);
        break;
      case 1:
        memcpy(a + to, b + from, size);
        h = bench_mix(h, a[to + size - 1]);
        break;
      case 2:
        memmove(a + to, a + from, size);
        h = bench_mix(h, a[to]);
        break;
      default:
        memmove(b + to, b + from, size);
        h = bench_mix(h, b[to + size / 3]);
        break;
    }
  }
  for (uint32_t i = 0; i < BUF; i += 4096) h = bench_mix(h, a[i] | b[i] << 8);
  return h;
}

BENCH_MAIN(kernel, 2296726010u)
