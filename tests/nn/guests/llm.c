// A LlamaEdge-style guest of the GGML backend (WasmEdge's contract): the
// prompt as a u8 tensor of dims [1] at input 0, options JSON at input 1.
//   llm NAME CONFIG PROMPT [OPTIONS]
// load_by_name_with_config(NAME, CONFIG) ("-": load_by_name); a NAME that
// starts with '/' is a GGUF file the guest reads and passes to load (encoding
// ggml 6; CONFIG unused). Then:
//   compute: "compute=E", "answer=<text>|", "meta=<output 1>"
//   streaming: "single=E" per compute_single that failed, then "stream=<tokens concatenated>|",
//   "after_end=E" (compute_single once more), "fini=E", "meta_single=<output 1>"
// With OPTIONS it is set as input 1 first ("options=E"). Any failure before
// compute prints "<call>=E" and exits 1.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_nn.h"

static char answer[1 << 16];
static char stream[1 << 16];

static int fail(const char* what, nn_errno e) {
  printf("%s=%u\n", what, (unsigned)e);
  return 1;
}

static nn_errno set_text(graph_execution_context ctx, uint32_t index, const char* text) {
  static const uint32_t dims[1] = {1};  // as WasmEdge's Rust crate passes it
  tensor t = {dims, 1, WASI_NN_TYPE_U8, (const uint8_t*)text, (uint32_t)strlen(text)};
  return wasi_nn_set_input(ctx, index, &t);
}

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: llm NAME CONFIG PROMPT [OPTIONS]\n");
    return 2;
  }
  const char* name = argv[1];
  const char* config = argv[2];
  graph g;
  nn_errno e;
  if (name[0] == '/') {
    FILE* f = fopen(name, "rb");
    if (!f) return fail("open", 0);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t* bytes = malloc(size > 0 ? (size_t)size : 1);
    if (!bytes || fread(bytes, 1, (size_t)size, f) != (size_t)size) return fail("read", 0);
    fclose(f);
    graph_builder b = {bytes, (uint32_t)size};
    e = wasi_nn_load(&b, 1, 6 /* WasmEdge's ggml */, WASI_NN_TARGET_CPU, &g);
    free(bytes);
  } else {
    e = strcmp(config, "-") == 0 ? wasi_nn_load_by_name(name, strlen(name), &g)
                                 : wasi_nn_load_by_name_with_config(name, strlen(name), config, strlen(config), &g);
  }
  if (e) return fail("load", e);
  graph_execution_context ctx;
  if ((e = wasi_nn_init_execution_context(g, &ctx))) return fail("init", e);
  if (argc > 4) {
    e = set_text(ctx, 1, argv[4]);
    printf("options=%u\n", (unsigned)e);
    if (e) return 1;
  }
  if ((e = set_text(ctx, 0, argv[3]))) return fail("set_input", e);

  e = wasi_nn_compute(ctx);
  printf("compute=%u\n", (unsigned)e);
  uint32_t n = 0;
  if ((e = wasi_nn_get_output(ctx, 0, (uint8_t*)answer, sizeof answer - 1, &n))) return fail("get_output", e);
  answer[n] = 0;
  printf("answer=%s|\n", answer);
  char meta[512];
  if ((e = wasi_nn_get_output(ctx, 1, (uint8_t*)meta, sizeof meta - 1, &n))) return fail("get_output_1", e);
  meta[n] = 0;
  printf("meta=%s\n", meta);

  // The same prompt streamed token by token, on the same context.
  size_t len = 0;
  for (int i = 0; i < 100000; ++i) {
    e = wasi_nn_compute_single(ctx);
    if (e) {
      printf("single=%u\n", (unsigned)e);
      break;
    }
    char tok[256];
    if ((e = wasi_nn_get_output_single(ctx, 0, (uint8_t*)tok, sizeof tok, &n))) return fail("get_output_single", e);
    if (len + n < sizeof stream) {
      memcpy(stream + len, tok, n);
      len += n;
    }
  }
  stream[len] = 0;
  printf("stream=%s|\n", stream);
  printf("after_end=%u\n", (unsigned)wasi_nn_compute_single(ctx));
  if ((e = wasi_nn_get_output_single(ctx, 1, (uint8_t*)meta, sizeof meta - 1, &n)))
    return fail("get_output_single_1", e);
  meta[n] = 0;
  printf("fini=%u\n", (unsigned)wasi_nn_fini_single(ctx));
  printf("meta_single=%s\n", meta);
  return 0;
}
