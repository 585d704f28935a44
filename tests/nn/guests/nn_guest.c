// The wasi-nn test guest. Modes (argv[1]):
//   linear DIR        load DIR/model.xml + model.bin, run x = [1,2,3,4], print both outputs
//   ints DIR          u8 + i32 inputs -> i32
//   types DIR         f16, f64, i64 inputs and outputs
//   named NAME        load_by_name (and _with_config) + the linear run
//   errors DIR        every error path: prints "case=code" per line (DIR: the linear model)
//   missing DIR       load with the backend missing: prints the code
//   single ENC FILE [N]  load one builder (FILE) with encoding ENC (a number), run it as the linear
//                     model, print its first N outputs (default 2)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read_file.h"
#include "wasi_nn.h"

#define CHECK(call)                                   \
  do {                                                \
    nn_errno e_ = (call);                             \
    if (e_) {                                         \
      printf("%s failed: %u\n", #call, (unsigned)e_); \
      exit(1);                                        \
    }                                                 \
  } while (0)

static graph load_ir(const char* dir) {
  graph_builder b[2];
  b[0].buf = read_file_in(dir, "model.xml", &b[0].size);
  b[1].buf = read_file_in(dir, "model.bin", &b[1].size);
  graph g;
  CHECK(wasi_nn_load(b, 2, WASI_NN_ENCODING_OPENVINO, WASI_NN_TARGET_CPU, &g));
  free((void*)b[0].buf);  // the host keeps its own copy
  memset((void*)b[1].buf, 0xff, b[1].size);
  free((void*)b[1].buf);
  return g;
}

static const uint32_t dims14[2] = {1, 4};
static const float x14[4] = {1, 2, 3, 4};

static void run_linear_n(graph g, uint32_t outputs) {
  graph_execution_context ctx;
  CHECK(wasi_nn_init_execution_context(g, &ctx));
  tensor t = {dims14, 2, WASI_NN_TYPE_F32, (const uint8_t*)x14, sizeof x14};
  CHECK(wasi_nn_set_input(ctx, 0, &t));
  CHECK(wasi_nn_compute(ctx));
  for (uint32_t i = 0; i < outputs; ++i) {
    float out[3] = {0};
    uint32_t n = 0;
    CHECK(wasi_nn_get_output(ctx, i, (uint8_t*)out, sizeof out, &n));
    printf("%s (%u bytes): %g %g %g\n", i == 0 ? "relu" : "add", (unsigned)n, out[0], out[1], out[2]);
  }
  CHECK(wasi_nn_finalize_execution_context(ctx));
}

static void run_linear(graph g) { run_linear_n(g, 2); }

static void run_ints(graph g) {
  graph_execution_context ctx;
  CHECK(wasi_nn_init_execution_context(g, &ctx));
  const uint8_t a[4] = {1, 2, 3, 250};
  const int32_t b[4] = {10, -20, 30, -40};
  tensor ta = {dims14, 2, WASI_NN_TYPE_U8, a, sizeof a};
  tensor tb = {dims14, 2, WASI_NN_TYPE_I32, (const uint8_t*)b, sizeof b};
  CHECK(wasi_nn_set_input(ctx, 0, &ta));
  CHECK(wasi_nn_set_input(ctx, 1, &tb));
  CHECK(wasi_nn_compute(ctx));
  int32_t y[4];
  uint32_t n = 0;
  CHECK(wasi_nn_get_output(ctx, 0, (uint8_t*)y, sizeof y, &n));
  printf("y (%u bytes): %d %d %d %d\n", (unsigned)n, (int)y[0], (int)y[1], (int)y[2], (int)y[3]);
}

static void run_types(graph g) {
  graph_execution_context ctx;
  CHECK(wasi_nn_init_execution_context(g, &ctx));
  static const uint32_t d2[1] = {2};
  const uint16_t h[2] = {0x3C00, 0x4100};  // f16 1.0, 2.5
  const double d[2] = {1.5, -2};
  const int64_t l[2] = {7, -100};
  tensor th = {d2, 1, WASI_NN_TYPE_F16, (const uint8_t*)h, sizeof h};
  tensor td = {d2, 1, WASI_NN_TYPE_F64, (const uint8_t*)d, sizeof d};
  tensor tl = {d2, 1, WASI_NN_TYPE_I64, (const uint8_t*)l, sizeof l};
  CHECK(wasi_nn_set_input(ctx, 0, &th));
  CHECK(wasi_nn_set_input(ctx, 1, &td));
  CHECK(wasi_nn_set_input(ctx, 2, &tl));
  CHECK(wasi_nn_compute(ctx));
  uint16_t oh[2];
  double od[2];
  int64_t ol[2];
  uint32_t n1, n2, n3;
  CHECK(wasi_nn_get_output(ctx, 0, (uint8_t*)oh, sizeof oh, &n1));
  CHECK(wasi_nn_get_output(ctx, 1, (uint8_t*)od, sizeof od, &n2));
  CHECK(wasi_nn_get_output(ctx, 2, (uint8_t*)ol, sizeof ol, &n3));
  printf("f16 (%u bytes): 0x%04x 0x%04x\n", (unsigned)n1, oh[0], oh[1]);
  printf("f64 (%u bytes): %g %g\n", (unsigned)n2, od[0], od[1]);
  printf("i64 (%u bytes): %lld %lld\n", (unsigned)n3, (long long)ol[0], (long long)ol[1]);
}

static void report(const char* name, nn_errno e) { printf("%s=%u\n", name, (unsigned)e); }

static void errors(const char* dir) {
  graph g, g2;
  graph_execution_context ctx;
  uint32_t xml_len, bin_len;
  uint8_t* xml = read_file_in(dir, "model.xml", &xml_len);
  uint8_t* bin = read_file_in(dir, "model.bin", &bin_len);
  graph_builder good[2] = {{xml, xml_len}, {bin, bin_len}};
  static const uint8_t junk[] = "this is not a model";
  graph_builder garbage[2] = {{junk, sizeof junk}, {junk, sizeof junk}};

  report("bad_graph_handle", wasi_nn_init_execution_context(999, &ctx));
  report("garbage_model", wasi_nn_load(garbage, 2, WASI_NN_ENCODING_OPENVINO, WASI_NN_TARGET_CPU, &g2));
  report("one_builder", wasi_nn_load(good, 1, WASI_NN_ENCODING_OPENVINO, WASI_NN_TARGET_CPU, &g2));
  report("bad_encoding", wasi_nn_load(good, 2, 9, WASI_NN_TARGET_CPU, &g2));
  report("bad_target", wasi_nn_load(good, 2, WASI_NN_ENCODING_OPENVINO, 7, &g2));
  report("pytorch", wasi_nn_load(good, 1, WASI_NN_ENCODING_PYTORCH, WASI_NN_TARGET_CPU, &g2));
  report("builders_oob", wasi_nn_load((const graph_builder*)0xFFFFFFF0u, 2, WASI_NN_ENCODING_OPENVINO, 0, &g2));
  graph_builder oob[2] = {{xml, 0x7FFFFFFF}, {bin, bin_len}};
  report("builder_data_oob", wasi_nn_load(oob, 2, WASI_NN_ENCODING_OPENVINO, 0, &g2));
  report("graph_out_oob", wasi_nn_load(good, 2, WASI_NN_ENCODING_OPENVINO, 0, (graph*)0xFFFFFFFEu));
  report("load", wasi_nn_load(good, 2, WASI_NN_ENCODING_AUTODETECT, WASI_NN_TARGET_CPU, &g));
  report("init", wasi_nn_init_execution_context(g, &ctx));
  report("compute_before_set_input", wasi_nn_compute(ctx));
  uint8_t buf[64];
  uint32_t n = 12345;
  report("get_output_before_compute", wasi_nn_get_output(ctx, 0, buf, sizeof buf, &n));
  tensor t = {dims14, 2, WASI_NN_TYPE_F32, (const uint8_t*)x14, 12};
  report("wrong_data_length", wasi_nn_set_input(ctx, 0, &t));
  static const uint8_t u8s[4] = {1, 2, 3, 4};
  tensor tu = {dims14, 2, WASI_NN_TYPE_U8, u8s, 4};
  report("wrong_type", wasi_nn_set_input(ctx, 0, &tu));
  static const uint32_t dims15[2] = {1, 5};
  static const float x15[5] = {0};
  tensor ts = {dims15, 2, WASI_NN_TYPE_F32, (const uint8_t*)x15, sizeof x15};
  report("wrong_shape", wasi_nn_set_input(ctx, 0, &ts));
  tensor tt = {dims14, 2, 9, (const uint8_t*)x14, sizeof x14};
  report("bad_tensor_type", wasi_nn_set_input(ctx, 0, &tt));
  tensor tok = {dims14, 2, WASI_NN_TYPE_F32, (const uint8_t*)x14, sizeof x14};
  report("input_index_out_of_range", wasi_nn_set_input(ctx, 3, &tok));
  report("tensor_oob", wasi_nn_set_input(ctx, 0, (const tensor*)0xFFFFFFF8u));
  tensor tdo = {(const uint32_t*)0xFFFFFFFCu, 2, WASI_NN_TYPE_F32, (const uint8_t*)x14, sizeof x14};
  report("dims_oob", wasi_nn_set_input(ctx, 0, &tdo));
  report("set_input", wasi_nn_set_input(ctx, 0, &tok));
  report("compute", wasi_nn_compute(ctx));
  report("output_index_out_of_range", wasi_nn_get_output(ctx, 5, buf, sizeof buf, &n));
  report("output_buffer_oob", wasi_nn_get_output(ctx, 0, (uint8_t*)0xFFFFFFF0u, 64, &n));
  memset(buf, 0xAB, sizeof buf);
  n = 0;
  nn_errno e = wasi_nn_get_output(ctx, 0, buf, 8, &n);
  int untouched = 1;
  for (size_t i = 0; i < sizeof buf; ++i) untouched &= buf[i] == 0xAB;
  printf("too_small_buffer=%u needed=%u untouched=%d\n", (unsigned)e, (unsigned)n, untouched);
  report("exact_buffer", wasi_nn_get_output(ctx, 0, buf, n, &n));
  report("compute_single", wasi_nn_compute_single(ctx));
  report("get_output_single", wasi_nn_get_output_single(ctx, 0, buf, sizeof buf, &n));
  report("fini_single", wasi_nn_fini_single(ctx));
  report("context_as_graph", wasi_nn_init_execution_context(ctx, &ctx));
  report("graph_as_context", wasi_nn_compute(g));
  report("not_found", wasi_nn_load_by_name("nope", 4, &g2));
  report("finalize", wasi_nn_finalize_execution_context(ctx));
  report("stale_context", wasi_nn_compute(ctx));
  report("finalize_twice", wasi_nn_finalize_execution_context(ctx));
  report("unload", wasi_nn_unload(g));
  report("stale_graph", wasi_nn_init_execution_context(g, &ctx));
  report("unload_twice", wasi_nn_unload(g));
  e = wasi_nn_load(good, 2, WASI_NN_ENCODING_OPENVINO, WASI_NN_TARGET_GPU, &g2);
  report("gpu_target", e == WASI_NN_SUCCESS ? WASI_NN_UNSUPPORTED_OPERATION : e);  // 6 on machines without a GPU
}

int main(int argc, char** argv) {
  if (argc < 3) {
    printf("usage: nn_guest MODE ARG\n");
    return 2;
  }
  const char* mode = argv[1];
  if (!strcmp(mode, "linear"))
    run_linear(load_ir(argv[2]));
  else if (!strcmp(mode, "ints"))
    run_ints(load_ir(argv[2]));
  else if (!strcmp(mode, "types"))
    run_types(load_ir(argv[2]));
  else if (!strcmp(mode, "named")) {
    graph g, g2;
    CHECK(wasi_nn_load_by_name(argv[2], strlen(argv[2]), &g));
    run_linear(g);
    CHECK(wasi_nn_load_by_name_with_config(argv[2], strlen(argv[2]), "{}", 2, &g2));
    printf("second handle differs: %d\n", g != g2);
    run_linear(g2);
  } else if (!strcmp(mode, "single") && argc > 3) {
    graph_builder b;
    uint32_t n;
    b.buf = read_file_in(".", argv[3], &n);
    b.size = n;
    graph g;
    nn_errno e = wasi_nn_load(&b, 1, (uint32_t)atoi(argv[2]), WASI_NN_TARGET_CPU, &g);
    if (e) {
      report("load", e);
      return 0;
    }
    run_linear_n(g, argc > 4 ? (uint32_t)atoi(argv[4]) : 2);
  } else if (!strcmp(mode, "errors"))
    errors(argv[2]);
  else if (!strcmp(mode, "missing")) {
    uint32_t xl, bl;
    graph_builder b[2];
    b[0].buf = read_file_in(argv[2], "model.xml", &xl);
    b[0].size = xl;
    b[1].buf = read_file_in(argv[2], "model.bin", &bl);
    b[1].size = bl;
    graph g;
    report("load", wasi_nn_load(b, 2, WASI_NN_ENCODING_OPENVINO, WASI_NN_TARGET_CPU, &g));
  } else {
    printf("unknown mode %s\n", mode);
    return 2;
  }
  return 0;
}
