// matmul_f64: double-precision dense matrix multiply (see matmul.h).
#define REAL double
#define REAL_BITS(x) (bench_f64_bits(x) ^ (bench_f64_bits(x) >> 32))
#include "matmul.h"

BENCH_MAIN(kernel, 2253782614u)
