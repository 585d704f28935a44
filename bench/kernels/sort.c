// sort: quicksort (median of three, insertion sort below 16 elements) of 1M
// pseudo-random u32, then heapsort of 256K — compares, swaps, unpredictable
// branches, recursion.
#include "bench.h"

#define QN (1u << 20)
#define HN (1u << 18)
BENCH_PARAM(qn, QN);
BENCH_PARAM(hn, HN);

static uint32_t qa[QN], ha[HN];

static void insertion_sort(uint32_t* a, int32_t n) {
  for (int32_t i = 1; i < n; ++i) {
    uint32_t v = a[i];
    int32_t j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      --j;
    }
    a[j + 1] = v;
  }
}

static inline void swap(uint32_t* a, uint32_t* b) {
  uint32_t t = *a;
  *a = *b;
  *b = t;
}

static void quicksort(uint32_t* a, int32_t n) {
  while (n > 16) {
    int32_t mid = n / 2;
    if (a[mid] < a[0]) swap(&a[mid], &a[0]);
    if (a[n - 1] < a[0]) swap(&a[n - 1], &a[0]);
    if (a[n - 1] < a[mid]) swap(&a[n - 1], &a[mid]);
    uint32_t pivot = a[mid];
    int32_t i = 0, j = n - 1;
    for (;;) {  // Hoare partition
      while (a[i] < pivot) ++i;
      while (a[j] > pivot) --j;
      if (i >= j) break;
      swap(&a[i], &a[j]);
      ++i;
      --j;
    }
    int32_t left = j + 1;
    // Recurse into the smaller half, loop on the larger.
    if (left < n - left) {
      quicksort(a, left);
      a += left;
      n -= left;
    } else {
      quicksort(a + left, n - left);
      n = left;
    }
  }
  insertion_sort(a, n);
}

static void sift_down(uint32_t* a, uint32_t root, uint32_t n) {
  for (;;) {
    uint32_t child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && a[child + 1] > a[child]) ++child;
    if (a[root] >= a[child]) return;
    swap(&a[root], &a[child]);
    root = child;
  }
}

static void heapsort(uint32_t* a, uint32_t n) {
  for (uint32_t i = n / 2; i-- > 0;) sift_down(a, i, n);
  for (uint32_t end = n; end-- > 1;) {
    swap(&a[0], &a[end]);
    sift_down(a, 0, end);
  }
}

static uint32_t check(const uint32_t* a, uint32_t n) {
  uint32_t h = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (i && a[i - 1] > a[i]) return 0;  // not sorted: checksum 0 fails the check
    if ((i & 1023) == 0) h = bench_mix(h, a[i]);
  }
  return h;
}

static uint32_t kernel(void) {
  uint32_t qn = BENCH_GET(qn), hn = BENCH_GET(hn), seed = 0xDEADBEEF, sum = 0, sorted_sum = 0;
  for (uint32_t i = 0; i < qn; ++i) sum += qa[i] = bench_rand(&seed) % 1000000007u;
  for (uint32_t i = 0; i < hn; ++i) ha[i] = bench_rand(&seed);
  quicksort(qa, (int32_t)qn);
  heapsort(ha, hn);
  for (uint32_t i = 0; i < qn; ++i) sorted_sum += qa[i];
  if (sum != sorted_sum) return 0;
  uint32_t q = check(qa, qn), hh = check(ha, hn);
  return q && hh ? bench_mix(q, hh) : 0;
}

BENCH_MAIN(kernel, 55857301u)
