// fib: naive doubly recursive Fibonacci — call/return overhead and small
// integer arithmetic.
#include "bench.h"

BENCH_PARAM(n, 36);

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static uint32_t kernel(void) {
  uint32_t n = BENCH_GET(n);
  uint32_t h = 0;
  for (uint32_t i = 0; i < 3; ++i) h = bench_mix(h, fib(n - i));  // fib(36) + fib(35) + fib(34)
  return h;
}

BENCH_MAIN(kernel, 1385664605u)
