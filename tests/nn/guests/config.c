// The graph-config test guest: `config NAME CONFIG...` loads the named graph
// once per CONFIG with load_by_name_with_config, prints "load=<errno>", and
// when it loaded, runs the mlp model of tests/nn/make_models.py on its fixed
// input and prints the ten outputs ("p: ..."). CONFIG is JSON text, or:
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

static void run_mlp(graph g) {
  static float x[256];
  for (int i = 0; i < 256; ++i) x[i] = (float)((37 * i) % 101 - 50) / 64.0f;
  static const uint32_t dims[2] = {1, 256};
  graph_execution_context ctx;
  tensor t = {dims, 2, WASI_NN_TYPE_F32, (const uint8_t*)x, sizeof x};
  float p[10];
  uint32_t n = 0;
  nn_errno e = wasi_nn_init_execution_context(g, &ctx);
  if (!e) e = wasi_nn_set_input(ctx, 0, &t);
  if (!e) e = wasi_nn_compute(ctx);
  if (!e) e = wasi_nn_get_output(ctx, 0, (uint8_t*)p, sizeof p, &n);
  if (e || n != sizeof p) {
    printf("run failed: %u (%u bytes)\n", (unsigned)e, (unsigned)n);
    return;
  }
  printf("p:");
  for (int i = 0; i < 10; ++i) printf(" %.9g", p[i]);
  printf("\n");
  wasi_nn_finalize_execution_context(ctx);
}

int main(int argc, char** argv) {
  if (argc < 3) {
    printf("usage: config NAME CONFIG...\n");
    return 2;
  }
  for (int i = 2; i < argc; ++i) {
    graph g;
    const nn_errno e = load(argv[1], argv[i], &g);
    printf("load=%u\n", (unsigned)e);
    if (e) continue;
    run_mlp(g);
    wasi_nn_unload(g);
  }
  return 0;
}
