/* The LLM row of bench/nn/run: a preloaded GGUF graph's answers streamed
 * through wasi-nn (GGML backend), timed as bench/nn/llm_native.cpp times
 * llama.cpp called natively.
 *
 *   llm_guest GRAPH CONFIG PROMPT RUNS
 *
 * Per run (set_input of the prompt, compute_single until end_of_sequence,
 * fini_single) one line `run I pp_tokens N pp_us T tg_tokens M tg_us U`:
 * pp = the first compute_single (the prompt evaluated, one token generated)
 * and its get_output_single, tg = the later ones; also this thread's CPU
 * time for each (pp_cpu_us, tg_cpu_us).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wasi_nn.h"

static void check(nn_errno e, const char* what) {
  if (e == WASI_NN_SUCCESS) return;
  fprintf(stderr, "llm_guest: %s failed with nn_errno %u\n", what, (unsigned)e);
  exit(1);
}

static double clock_us(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}
static double now_us(void) { return clock_us(CLOCK_MONOTONIC); }
/* The CPU time of this thread: with --nn-isolation=none and one llama.cpp
 * thread it includes all of the compute (in the worker process, none of it). */
static double cpu_us(void) { return clock_us(CLOCK_THREAD_CPUTIME_ID); }

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: llm_guest GRAPH CONFIG PROMPT RUNS\n");
    return 2;
  }
  const char *name = argv[1], *config = argv[2], *prompt = argv[3];
  const int runs = atoi(argv[4]);
  graph g;
  graph_execution_context ctx;
  check(wasi_nn_load_by_name_with_config(name, strlen(name), config, strlen(config), &g), "load_by_name_with_config");
  check(wasi_nn_init_execution_context(g, &ctx), "init_execution_context");
  uint32_t dims[1] = {(uint32_t)strlen(prompt)};
  tensor in = {dims, 1, WASI_NN_TYPE_U8, (const uint8_t*)prompt, dims[0]};
  for (int r = 0; r < runs; ++r) {
    check(wasi_nn_set_input(ctx, 0, &in), "set_input");
    uint8_t piece[256];
    uint32_t n = 0;
    double t0 = now_us(), c0 = cpu_us(), pp_us = 0, pp_cpu_us = 0;
    unsigned tg_tokens = 0;
    for (int i = 0;; ++i) {
      nn_errno e = wasi_nn_compute_single(ctx);
      if (e == WASI_NN_END_OF_SEQUENCE || e == WASI_NN_CONTEXT_FULL) break;
      check(e, "compute_single");
      check(wasi_nn_get_output_single(ctx, 0, piece, sizeof piece, &n), "get_output_single");
      if (i == 0) {
        pp_us = now_us() - t0;
        pp_cpu_us = cpu_us() - c0;
      } else {
        ++tg_tokens;
      }
    }
    double tg_us = now_us() - t0 - pp_us, tg_cpu_us = cpu_us() - c0 - pp_cpu_us;
    char meta[512];
    check(wasi_nn_get_output_single(ctx, 1, (uint8_t*)meta, sizeof meta - 1, &n), "get_output_single (metadata)");
    meta[n] = '\0';
    const char* in_tokens = strstr(meta, "\"input_tokens\":");
    check(wasi_nn_fini_single(ctx), "fini_single");
    printf("run %d pp_tokens %ld pp_us %.1f tg_tokens %u tg_us %.1f pp_cpu_us %.1f tg_cpu_us %.1f\n", r,
           in_tokens ? strtol(in_tokens + 15, NULL, 10) : -1L, pp_us, tg_tokens, tg_us, pp_cpu_us, tg_cpu_us);
  }
  return 0;
}
