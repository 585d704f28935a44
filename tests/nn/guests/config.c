// The graph-config test guest: `config NAME [--dims AxBx...] CONFIG...` loads
// the named graph once per CONFIG with load_by_name_with_config, prints
// "load=<errno>", and when it loaded, runs it on one f32 input of those dims
// (default 1x256: the mlp model of tests/nn/make_models.py), element i being
// ((37 i) mod 101 - 50) / 64, and prints every output ("out<k>: v v ...").
// CONFIG is JSON text, or:
//   -             load_by_name (no config)
//   @huge         a valid JSON object of 100,000 bytes
//   @deep         an object nesting 100 arrays
//   @bad-utf8     {"\xff": 1} (not UTF-8)
//   @out-of-bounds  a config pointer past the end of memory
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_nn.h"

static nn_errno load(const char* name, const char* config, graph* g) {
  const uint32_t name_len = (uint32_t)strlen(name);
  if (!strcmp(config, "-")) return wasi_nn_load_by_name(name, name_len, g);
  if (!strcmp(config, "@out-of-bounds"))
    return wasi_nn_load_by_name_with_config(name, name_len, (const char*)0xFFFFFF00u, 0x1000, g);
  static char buf[100001];
  const char* text = config;
  if (!strcmp(config, "@huge")) {
    memset(buf, 'a', 100000);
    memcpy(buf, "{\"k\":\"", 6);
    memcpy(buf + 100000 - 2, "\"}", 2);
    buf[100000] = 0;
    text = buf;
  } else if (!strcmp(config, "@deep")) {
    char* p = buf;
    p += sprintf(p, "{\"k\":");
    for (int i = 0; i < 100; ++i) *p++ = '[';
    for (int i = 0; i < 100; ++i) *p++ = ']';
    strcpy(p, "}");
    text = buf;
  } else if (!strcmp(config, "@bad-utf8")) {
    text = "{\"\xff\": 1}";
  }
  return wasi_nn_load_by_name_with_config(name, name_len, text, (uint32_t)strlen(text), g);
}

static uint32_t dims[8] = {1, 256};
static uint32_t rank = 2;

static void run(graph g) {
  uint32_t count = 1;
  for (uint32_t i = 0; i < rank; ++i) count *= dims[i];
  float* x = malloc(count * sizeof(float));
  for (uint32_t i = 0; i < count; ++i) x[i] = (float)((int)(37 * i % 101) - 50) / 64.0f;
  graph_execution_context ctx;
  tensor t = {dims, rank, WASI_NN_TYPE_F32, (const uint8_t*)x, count * (uint32_t)sizeof(float)};
  nn_errno e = wasi_nn_init_execution_context(g, &ctx);
  if (!e) e = wasi_nn_set_input(ctx, 0, &t);
  if (!e) e = wasi_nn_compute(ctx);
  free(x);
  if (e) {
    printf("run failed: %u\n", (unsigned)e);
    return;
  }
  for (uint32_t k = 0;; ++k) {
    uint32_t n = 0;
    if (wasi_nn_get_output(ctx, k, NULL, 0, &n) != WASI_NN_TOO_LARGE) break;  // the size, or no output k
    float* out = malloc(n ? n : 1);
    if (wasi_nn_get_output(ctx, k, (uint8_t*)out, n, &n)) break;
    printf("out%u:", (unsigned)k);
    for (uint32_t i = 0; i < n / sizeof(float); ++i) printf(" %.9g", out[i]);
    printf("\n");
    free(out);
  }
  wasi_nn_finalize_execution_context(ctx);
}

int main(int argc, char** argv) {
  int first = 2;
  if (argc > 3 && !strcmp(argv[2], "--dims")) {
    rank = 0;
    for (char* d = strtok(argv[3], "x"); d && rank < 8; d = strtok(NULL, "x")) dims[rank++] = (uint32_t)atoi(d);
    first = 4;
  }
  if (argc <= first) {
    printf("usage: config NAME [--dims AxBx...] CONFIG...\n");
    return 2;
  }
  for (int i = first; i < argc; ++i) {
    graph g;
    const nn_errno e = load(argv[1], argv[i], &g);
    printf("load=%u\n", (unsigned)e);
    if (e) continue;
    run(g);
    wasi_nn_unload(g);
  }
  return 0;
}
