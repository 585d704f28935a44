/* chat: stream a language model's answer to a prompt, token by token, with
 * wasi-nn's GGML backend (WasmEdge's ABI, so the same guest runs on WasmEdge).
 * The model is a GGUF file that the host preloads under a name.
 *
 *   wnn run --nn-preload default:GGML:AUTO:SmolLM2-135M-Instruct.Q4_1.gguf build/examples/chat.wasm 'The capital of
 * France is'
 *
 * usage: chat [--graph NAME] [--config JSON] [--compute] PROMPT
 *   --graph   the preloaded graph's name (default "default")
 *   --config  the graph's options as WasmEdge's JSON (default {"n-predict":64});
 *             e.g. {"temp":0,"n-predict":16,"ctx-size":512,"threads":2}
 *   --compute the whole answer from one compute instead of streaming it
 * The answer goes to stdout; the backend's metadata (output 1: tokens in and
 * out) to stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_nn.h"

static void check(nn_errno e, const char* what) {
  if (e == WASI_NN_SUCCESS) return;
  fprintf(stderr, "chat: %s failed with nn_errno %u (the host's log says why)\n", what, (unsigned)e);
  exit(1);
}

/* Output INDEX of the whole answer (compute) into a buffer grown to the size
 * the host asks for; NUL-terminated. */
static char* whole_output(graph_execution_context ctx, uint32_t index) {
  uint32_t cap = 4096, n = 0;
  char* buf = malloc(cap + 1);
  nn_errno e = wasi_nn_get_output(ctx, index, (uint8_t*)buf, cap, &n);
  if (e == WASI_NN_TOO_LARGE && n > cap) {
    cap = n;
    buf = realloc(buf, cap + 1);
    if (!buf) check(WASI_NN_TOO_LARGE, "allocating the answer");
    e = wasi_nn_get_output(ctx, index, (uint8_t*)buf, cap, &n);
  }
  check(e, "get_output");
  buf[n] = '\0';
  return buf;
}

int main(int argc, char** argv) {
  const char* name = "default";
  const char* config = "{\"n-predict\":64}";
  int whole = 0, i = 1;
  for (; i < argc && strncmp(argv[i], "--", 2) == 0; ++i) {
    if (strcmp(argv[i], "--graph") == 0 && i + 1 < argc)
      name = argv[++i];
    else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
      config = argv[++i];
    else if (strcmp(argv[i], "--compute") == 0)
      whole = 1;
    else
      break;
  }
  if (i + 1 != argc) {
    fprintf(stderr, "usage: chat [--graph NAME] [--config JSON] [--compute] PROMPT\n");
    return 2;
  }
  const char* prompt = argv[i];

  graph g;
  graph_execution_context ctx;
  check(wasi_nn_load_by_name_with_config(name, strlen(name), config, strlen(config), &g), "load_by_name_with_config");
  check(wasi_nn_init_execution_context(g, &ctx), "init_execution_context");
  /* The prompt's bytes as u8 [len] at input 0. */
  uint32_t dims[1] = {(uint32_t)strlen(prompt)};
  tensor in = {dims, 1, WASI_NN_TYPE_U8, (const uint8_t*)prompt, dims[0]};
  check(wasi_nn_set_input(ctx, 0, &in), "set_input");

  if (whole) {
    check(wasi_nn_compute(ctx), "compute");
    char* answer = whole_output(ctx, 0);
    fputs(answer, stdout);
    fprintf(stderr, "chat: metadata %s\n", whole_output(ctx, 1));
  } else {
    /* One token per compute_single; its text (a piece of UTF-8, possibly a
     * partial character) is output 0 of get_output_single. */
    for (;;) {
      nn_errno e = wasi_nn_compute_single(ctx);
      if (e == WASI_NN_END_OF_SEQUENCE || e == WASI_NN_CONTEXT_FULL) break;
      check(e, "compute_single");
      uint8_t piece[256];
      uint32_t n = 0;
      check(wasi_nn_get_output_single(ctx, 0, piece, sizeof piece, &n), "get_output_single");
      fwrite(piece, 1, n, stdout);
      fflush(stdout);
    }
    char meta[512];
    uint32_t n = 0;
    check(wasi_nn_get_output_single(ctx, 1, (uint8_t*)meta, sizeof meta - 1, &n), "get_output_single (metadata)");
    meta[n] = '\0';
    fprintf(stderr, "chat: metadata %s\n", meta);
    check(wasi_nn_fini_single(ctx), "fini_single");
  }
  putchar('\n');
  check(wasi_nn_finalize_execution_context(ctx), "finalize_execution_context");
  check(wasi_nn_unload(g), "unload");
  return 0;
}
