// A guest that chooses only the repeat counts of a preloaded Tile model
// (tests/nn/make_models.py: tile, tilesum). Modes (argv[1]):
//   tile NAME R0 R1             compute with r = [R0, R1] (i64), print "compute=E", then the
//                               output's size and its values (at most 32)
//   bench NAME COUNT same|vary [SPIN]  COUNT computes with r = [2, 3] (same) or alternating
//                               [2, 3] / [3, 2] (vary: each compute checks new shapes), the
//                               guest busy for SPIN microseconds before each; prints the mean
//                               microseconds per compute (the spin excluded)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wasi_nn.h"

static graph_execution_context open_ctx(const char* name) {
  graph g;
  graph_execution_context ctx;
  nn_errno e = wasi_nn_load_by_name(name, (uint32_t)strlen(name), &g);
  if (!e) e = wasi_nn_init_execution_context(g, &ctx);
  if (e) {
    printf("load=%u\n", (unsigned)e);
    exit(1);
  }
  return ctx;
}

static nn_errno set_r(graph_execution_context ctx, int64_t r0, int64_t r1) {
  static const uint32_t dims[1] = {2};
  int64_t r[2] = {r0, r1};
  tensor t = {dims, 1, WASI_NN_TYPE_I64, (const uint8_t*)r, sizeof r};
  return wasi_nn_set_input(ctx, 0, &t);
}

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(int argc, char** argv) {
  if (argc >= 5 && !strcmp(argv[1], "tile")) {
    graph_execution_context ctx = open_ctx(argv[2]);
    nn_errno e = set_r(ctx, strtoll(argv[3], 0, 10), strtoll(argv[4], 0, 10));
    if (!e) e = wasi_nn_compute(ctx);
    printf("compute=%u\n", (unsigned)e);
    if (e) return 0;
    uint32_t needed = 0;
    e = wasi_nn_get_output(ctx, 0, 0, 0, &needed);  // size query: too_large with the size (success when empty)
    if (e != WASI_NN_TOO_LARGE) {
      printf("get_output=%u bytes=%u:\n", (unsigned)e, (unsigned)needed);
      return 0;
    }
    float* out = malloc(needed ? needed : 1);
    uint32_t n = 0;
    e = wasi_nn_get_output(ctx, 0, (uint8_t*)out, needed, &n);
    printf("get_output=%u bytes=%u:", (unsigned)e, (unsigned)n);
    for (uint32_t i = 0; i < n / 4 && i < 32; ++i) printf(" %g", out[i]);
    printf("\n");
    return 0;
  }
  if (argc >= 5 && !strcmp(argv[1], "bench")) {
    graph_execution_context ctx = open_ctx(argv[2]);
    const int count = atoi(argv[3]), vary = !strcmp(argv[4], "vary");
    const double spin = argc > 5 ? atof(argv[5]) : 0;
    nn_errno e = 0;
    double total = 0;
    for (int i = 0; i < count && !e; ++i) {
      for (double s0 = now_us(); now_us() - s0 < spin;) {}
      double t0 = now_us();
      e = (vary && i % 2) ? set_r(ctx, 3, 2) : set_r(ctx, 2, 3);
      if (!e) e = wasi_nn_compute(ctx);
      total += now_us() - t0;
    }
    printf("errno=%u us_per_compute=%.1f\n", (unsigned)e, total / count);
    return 0;
  }
  printf("usage: tile tile NAME R0 R1 | tile bench NAME COUNT same|vary\n");
  return 2;
}
