// sieve: sieve of Eratosthenes over a byte array — tight integer loops with
// byte loads and stores.
#include "bench.h"

#define LIMIT (1u << 22)
BENCH_PARAM(limit, LIMIT);
BENCH_PARAM(rounds, 14);

static uint8_t composite[LIMIT + 1];

// Sieves [0, n]; returns the number of primes, *sum gets their sum.
static uint32_t sieve(uint32_t n, uint32_t* sum) {
  for (uint32_t i = 0; i <= n; ++i) composite[i] = 0;
  for (uint32_t i = 2; i * i <= n; ++i)
    if (!composite[i])
      for (uint32_t j = i * i; j <= n; j += i) composite[j] = 1;
  uint32_t count = 0, s = 0;
  for (uint32_t i = 2; i <= n; ++i)
    if (!composite[i]) {
      ++count;
      s += i;
    }
  *sum = s;
  return count;
}

static uint32_t kernel(void) {
  uint32_t h = 0, n = BENCH_GET(limit), rounds = BENCH_GET(rounds), sum;
  if (sieve(n, &sum) != 295947) return 0;  // pi(2^22), independent of this code
  for (uint32_t r = 1; r < rounds; ++r) {
    uint32_t count = sieve(n - r * 9973, &sum);
    h = bench_mix(bench_mix(h, count), sum);
  }
  return h;
}

BENCH_MAIN(kernel, 2841380386u)
