/* The wnn side of bench/nn/run (wasm32-wasi): the same work as native.cpp
 * through wasi-nn, timed inside the guest with WASI's monotonic clock.
 *
 *   guest ENCODING(0 openvino|1 onnx) TYPE(f32|u8) DIMS(1x1x28x28) ITERS FILE [FILE]
 *
 * load1_us: the first wasi_nn_load (in wnn this also opens the OpenVINO
 * backend module and creates ov::Core); load2_us: a second load; then the
 * median of ITERS x (set_input + compute + get_output of every output).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "read_file.h"
#include "wasi_nn.h"

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

static void check(nn_errno e, const char* what) {
  if (e) {
    fprintf(stderr, "guest: %s: nn_errno %u\n", what, (unsigned)e);
    exit(1);
  }
}

int main(int argc, char** argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: guest ENCODING TYPE DIMS ITERS FILE [FILE]\n");
    return 2;
  }
  const uint32_t enc = (uint32_t)atoi(argv[1]);
  const int f32 = strcmp(argv[2], "f32") == 0;
  uint32_t dims[8], rank = 0, count = 1;
  for (char* s = strtok(argv[3], "x"); s && rank < 8; s = strtok(NULL, "x")) count *= dims[rank++] = (uint32_t)atoi(s);
  const int iters = atoi(argv[4]);
  graph_builder b[2];
  uint32_t nb = 0;
  for (int i = 5; i < argc && nb < 2; ++i, ++nb) {
    uint32_t n;
    b[nb].buf = read_file(argv[i], &n);
    b[nb].size = n;
  }

  graph g1, g;
  double t = now_us();
  check(wasi_nn_load(b, nb, enc, WASI_NN_TARGET_CPU, &g1), "load");
  const double load1 = now_us() - t;
  t = now_us();
  check(wasi_nn_load(b, nb, enc, WASI_NN_TARGET_CPU, &g), "load");
  const double load2 = now_us() - t;

  float* xf = malloc(count * sizeof(float));
  uint8_t* xu = malloc(count);
  for (uint32_t i = 0; i < count; ++i) xu[i] = (uint8_t)(i * 7 % 256), xf[i] = (float)(i * 7 % 256) / 255.0f;
  tensor in = {dims, rank, f32 ? WASI_NN_TYPE_F32 : WASI_NN_TYPE_U8, f32 ? (const uint8_t*)xf : xu,
               f32 ? count * 4 : count};
  graph_execution_context ctx;
  check(wasi_nn_init_execution_context(g, &ctx), "init_execution_context");
  /* Output sizes, learnt once (as an application knows its model's). */
  uint32_t nout = 0, sizes[16];
  uint8_t* outs[16];
  check(wasi_nn_set_input(ctx, 0, &in), "set_input");
  check(wasi_nn_compute(ctx), "compute");
  while (nout < 16 && wasi_nn_get_output(ctx, nout, NULL, 0, &sizes[nout]) == WASI_NN_TOO_LARGE) {
    outs[nout] = malloc(sizes[nout]);
    ++nout;
  }
  double* times = malloc((size_t)iters * sizeof(double));
  for (int it = 0; it < iters; ++it) {
    t = now_us();
    check(wasi_nn_set_input(ctx, 0, &in), "set_input");
    check(wasi_nn_compute(ctx), "compute");
    for (uint32_t o = 0; o < nout; ++o) {
      uint32_t w;
      check(wasi_nn_get_output(ctx, o, outs[o], sizes[o], &w), "get_output");
    }
    times[it] = now_us() - t;
  }
  qsort(times, (size_t)iters, sizeof(double), cmp);
  printf("load1_us %.0f\nload2_us %.0f\ninfer_median_us %.2f\n", load1, load2, times[iters / 2]);
  return 0;
}
