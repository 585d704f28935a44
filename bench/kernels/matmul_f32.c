// matmul_f32: single-precision dense matrix multiply (see matmul.h).
#define REAL float
#define REAL_BITS(x) bench_f32_bits(x)
#include "matmul.h"

BENCH_MAIN(kernel, 2744781229u)
