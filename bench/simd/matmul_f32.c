// f32 matrix multiply C = A * B (N x N, row-major), i-k-j order: the inner
// loop is c[j] += a * b[j], which clang vectorises (f32x4 with -msimd128,
// SSE/AVX natively).
#include "common.h"

#define N 256
PARAM(n, N);
PARAM(rounds, 64);

static float A[N * N], B[N * N], C[N * N];

static void matmul(uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    float* c = C + i * n;
    for (uint32_t j = 0; j < n; ++j) c[j] = 0;
    for (uint32_t k = 0; k < n; ++k) {
      const float a = A[i * n + k];
      const float* b = B + k * n;
      for (uint32_t j = 0; j < n; ++j) c[j] += a * b[j];
    }
  }
}

static uint32_t kernel(void) {
  uint32_t n = GET(n), seed = 12345, h = 0;
  for (uint32_t i = 0; i < n * n; ++i) A[i] = (float)((int32_t)(xorshift(&seed) % 2001) - 1000) / 1024.0f;
  for (uint32_t i = 0; i < n * n; ++i) B[i] = (float)((int32_t)(xorshift(&seed) % 2001) - 1000) / 1024.0f;
  for (uint32_t r = 0; r < GET(rounds); ++r) {
    matmul(n);
    for (uint32_t i = 0; i < n * n; i += 7) h = mix(h, f32_bits(C[i]));
    for (uint32_t i = 0; i < n * n; ++i) A[i] = C[i] * (1.0f / 64.0f);
  }
  return h;
}

SIMD_BENCH_MAIN(kernel)
