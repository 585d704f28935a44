// An attacker guest whose model takes OpenVINO long to compile: an ONNX
// chain of N ReLUs on x f32 [1,16], built here in memory (5000 ReLUs:
// ~140 KB, well over two minutes of compile_model). Under --timeout the load
// must end at the deadline (the worker process is killed) instead of
// holding wnn until OpenVINO is done.
//   slow N      load it, print "load=E", then compute and print "compute=E"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_nn.h"

static uint8_t buf[1 << 20];
static size_t len;

static void byte(uint8_t b) {
  if (len < sizeof buf) buf[len++] = b;
}
static void varint(uint64_t v) {
  do {
    byte((uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0)));
    v >>= 7;
  } while (v);
}
// A length-delimited field whose body `body` writes: written to a scratch
// area first, then copied after its tag and length.
static void field(uint32_t num, void (*body)(const void*), const void* arg) {
  const size_t start = len;
  body(arg);
  const size_t n = len - start;
  static uint8_t tmp[1 << 20];
  memcpy(tmp, buf + start, n);
  len = start;
  varint((uint64_t)num << 3 | 2);
  varint(n);
  memcpy(buf + len, tmp, n);
  len += n;
}
static void str_body(const void* s) {
  for (const char* p = s; *p; ++p) byte((uint8_t)*p);
}
static void str(uint32_t num, const char* s) { field(num, str_body, s); }
static void num(uint32_t n, uint64_t v) {
  varint((uint64_t)n << 3);
  varint(v);
}

static int g_i;
static void node_body(const void* unused) {  // NodeProto: input 1, output 2, op_type 4
  (void)unused;
  char in[16], out[16];
  snprintf(in, sizeof in, g_i ? "r%d" : "x", g_i);
  snprintf(out, sizeof out, "r%d", g_i + 1);
  str(1, in);
  str(2, out);
  str(4, "Relu");
}
static void dim_body(const void* d) { num(1, *(const uint64_t*)d); }
static void shape_body(const void* unused) {
  (void)unused;
  static const uint64_t dims[2] = {1, 16};
  for (int i = 0; i < 2; ++i) field(1, dim_body, &dims[i]);
}
static void tensor_type_body(const void* unused) {
  (void)unused;
  num(1, 1);  // FLOAT
  field(2, shape_body, NULL);
}
static void type_body(const void* unused) {
  (void)unused;
  field(1, tensor_type_body, NULL);
}
static void value_info_body(const void* name) {
  str(1, name);
  field(2, type_body, NULL);
}
static int g_n;
static char g_out[16];
static void graph_body(const void* unused) {
  (void)unused;
  for (g_i = 0; g_i < g_n; ++g_i) field(1, node_body, NULL);
  str(2, "slow");
  field(11, value_info_body, "x");
  snprintf(g_out, sizeof g_out, "r%d", g_n);
  field(12, value_info_body, g_out);
}
static void opset_body(const void* unused) {
  (void)unused;
  num(2, 13);
}

int main(int argc, char** argv) {
  if (argc < 3 || strcmp(argv[1], "slow")) {
    printf("usage: slow slow N\n");
    return 2;
  }
  g_n = atoi(argv[2]);
  num(1, 7);  // ModelProto: ir_version 1, graph 7, opset_import 8
  field(7, graph_body, NULL);
  field(8, opset_body, NULL);
  graph_builder b = {buf, (uint32_t)len};
  graph g;
  nn_errno e = wasi_nn_load(&b, 1, WASI_NN_ENCODING_ONNX, WASI_NN_TARGET_CPU, &g);
  printf("load=%u\n", (unsigned)e);
  fflush(stdout);
  if (e) return 0;
  graph_execution_context ctx;
  float x[16] = {0}, y[16];
  static const uint32_t dims[2] = {1, 16};
  tensor t = {dims, 2, WASI_NN_TYPE_F32, (const uint8_t*)x, sizeof x};
  uint32_t n = 0;
  e = wasi_nn_init_execution_context(g, &ctx);
  if (!e) e = wasi_nn_set_input(ctx, 0, &t);
  if (!e) e = wasi_nn_compute(ctx);
  if (!e) e = wasi_nn_get_output(ctx, 0, (uint8_t*)y, sizeof y, &n);
  printf("compute=%u bytes=%u\n", (unsigned)e, (unsigned)n);
  return 0;
}
