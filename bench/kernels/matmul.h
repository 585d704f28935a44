// Dense matrix multiply C = A * B (N x N, row-major), shared by matmul_f32.c
// and matmul_f64.c: define REAL and REAL_BITS before including.
// i-k-j loop order: the inner loop streams a row of B and a row of C (native
// -O2 vectorises it; the scalar build and wasm without SIMD do not).
#include "bench.h"

#define N 512
BENCH_PARAM(n, N);
BENCH_PARAM(rounds, 3);

static REAL A[N * N], B[N * N], C[N * N];

static void fill(REAL* m, uint32_t n, uint32_t* seed) {
  for (uint32_t i = 0; i < n * n; ++i) m[i] = (REAL)((int32_t)(bench_rand(seed) % 2001) - 1000) / (REAL)1024;
}

static void matmul(uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    REAL* c = C + i * n;
    for (uint32_t j = 0; j < n; ++j) c[j] = 0;
    for (uint32_t k = 0; k < n; ++k) {
      REAL a = A[i * n + k];
      const REAL* b = B + k * n;
      for (uint32_t j = 0; j < n; ++j) c[j] += a * b[j];
    }
  }
}

static uint32_t kernel(void) {
  uint32_t n = BENCH_GET(n), rounds = BENCH_GET(rounds), seed = 0xC0FFEE;
  uint32_t h = 0;
  fill(A, n, &seed);
  fill(B, n, &seed);
  for (uint32_t r = 0; r < rounds; ++r) {
    matmul(n);
    for (uint32_t i = 0; i < n * n; i += 7) h = bench_mix(h, (uint32_t)REAL_BITS(C[i]));
    // Feed the result back (scaled) so rounds differ: A = C / 64.
    for (uint32_t i = 0; i < n * n; ++i) A[i] = C[i] / (REAL)64;
  }
  return h;
}
