/* classify: run a classifier through wasi-nn and print its scores and the
 * top class. The input is a f32 tensor [1, N] of the numbers on the command
 * line; the output is read as f32 scores, its size learnt from the host
 * (a too-small get_output answers too_large with the needed size).
 *
 *   clang-19 --target=wasm32-wasi -O2 -I examples/classify -o classify.wasm examples/classify/classify.c
 *   wnn run --dir model_dir classify.wasm model_dir 1 2 3 4           (model_dir/model.xml + model.bin)
 *   wnn run --nn-preload net:openvino:cpu:m.xml:m.bin classify.wasm @net 1 2 3 4
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_nn.h"

static uint8_t* slurp(const char* dir, const char* name, uint32_t* len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "classify: cannot open %s (is its directory given with --dir?)\n", path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t* b = malloc(n ? (size_t)n : 1);
  if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) exit(1);
  fclose(f);
  *len = (uint32_t)n;
  return b;
}

static void check(nn_errno e, const char* what) {
  if (e == WASI_NN_SUCCESS) return;
  fprintf(stderr, "classify: %s failed with nn_errno %u (the host's log says why)\n", what, (unsigned)e);
  exit(1);
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: classify (MODEL_DIR | @NAME) X1 X2 ...\n");
    return 2;
  }
  graph g;
  if (argv[1][0] == '@') {
    check(wasi_nn_load_by_name(argv[1] + 1, (uint32_t)strlen(argv[1] + 1), &g), "load_by_name");
  } else {
    graph_builder b[2];
    uint32_t n0, n1;
    b[0].buf = slurp(argv[1], "model.xml", &n0);
    b[0].size = n0;
    b[1].buf = slurp(argv[1], "model.bin", &n1);
    b[1].size = n1;
    check(wasi_nn_load(b, 2, WASI_NN_ENCODING_OPENVINO, WASI_NN_TARGET_CPU, &g), "load");
    free((void*)b[0].buf); /* the host copied what it needs */
    free((void*)b[1].buf);
  }
  const uint32_t n = (uint32_t)(argc - 2);
  float* x = malloc(n * sizeof(float));
  for (uint32_t i = 0; i < n; ++i) x[i] = strtof(argv[i + 2], NULL);
  const uint32_t dims[2] = {1, n};
  tensor t = {dims, 2, WASI_NN_TYPE_F32, (const uint8_t*)x, n * (uint32_t)sizeof(float)};

  graph_execution_context ctx;
  check(wasi_nn_init_execution_context(g, &ctx), "init_execution_context");
  check(wasi_nn_set_input(ctx, 0, &t), "set_input");
  check(wasi_nn_compute(ctx), "compute");

  uint32_t size = 0;
  nn_errno e = wasi_nn_get_output(ctx, 0, NULL, 0, &size); /* learn the size */
  if (e != WASI_NN_TOO_LARGE && e != WASI_NN_SUCCESS) check(e, "get_output");
  float* scores = malloc(size ? size : 1);
  check(wasi_nn_get_output(ctx, 0, (uint8_t*)scores, size, &size), "get_output");
  const uint32_t classes = size / (uint32_t)sizeof(float);
  uint32_t best = 0;
  printf("scores:");
  for (uint32_t i = 0; i < classes; ++i) {
    printf(" %g", scores[i]);
    if (scores[i] > scores[best]) best = i;
  }
  printf("\nclass: %u\n", (unsigned)best);
  check(wasi_nn_finalize_execution_context(ctx), "finalize_execution_context");
  check(wasi_nn_unload(g), "unload");
  return 0;
}
