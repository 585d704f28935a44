/* wasi-nn for C guests (wasm32-wasi): the core-module ABI of the module
 * `wasi_ephemeral_nn`, written by hand from wasi-nn.witx (current numbering)
 * plus WasmEdge's extensions that wnn provides. Every function returns an
 * nn_errno (0 = success); results go through out-pointers.
 *
 *   graph g; graph_execution_context ctx;
 *   graph_builder b[2] = {{xml, xml_len}, {bin, bin_len}};
 *   nn_errno e = wasi_nn_load(b, 2, WASI_NN_ENCODING_OPENVINO, WASI_NN_TARGET_CPU, &g);
 */
#ifndef WASI_NN_H
#define WASI_NN_H
#include <stdint.h>

typedef uint32_t nn_errno; /* witx: enum (tag u16), returned as i32 */
enum {
  WASI_NN_SUCCESS = 0,
  WASI_NN_INVALID_ARGUMENT = 1,
  WASI_NN_INVALID_ENCODING = 2,
  WASI_NN_MISSING_MEMORY = 3,
  WASI_NN_BUSY = 4,
  WASI_NN_RUNTIME_ERROR = 5,
  WASI_NN_UNSUPPORTED_OPERATION = 6,
  WASI_NN_TOO_LARGE = 7,
  WASI_NN_NOT_FOUND = 8,
  /* WasmEdge's GGML backend (wasmedge-wasi-nn crate, src/error.rs) */
  WASI_NN_END_OF_SEQUENCE = 100, /* compute_single: the answer is complete */
  WASI_NN_CONTEXT_FULL = 101,    /* compute_single: no room left in the context */
  WASI_NN_PROMPT_TOO_LONG = 102,
  WASI_NN_MODEL_NOT_FOUND = 103,
};

typedef uint8_t tensor_type; /* witx numbering (since August 2023) */
enum {
  WASI_NN_TYPE_F16 = 0,
  WASI_NN_TYPE_F32 = 1,
  WASI_NN_TYPE_F64 = 2,
  WASI_NN_TYPE_U8 = 3,
  WASI_NN_TYPE_I32 = 4,
  WASI_NN_TYPE_I64 = 5,
};

typedef uint8_t graph_encoding;
enum {
  WASI_NN_ENCODING_OPENVINO = 0, /* two builders: IR xml, weights */
  WASI_NN_ENCODING_ONNX = 1,
  WASI_NN_ENCODING_TENSORFLOW = 2,
  WASI_NN_ENCODING_PYTORCH = 3,
  WASI_NN_ENCODING_TENSORFLOWLITE = 4,
  WASI_NN_ENCODING_AUTODETECT = 5,
  WASI_NN_ENCODING_GGML = 6, /* WasmEdge's number; one builder: GGUF bytes (or load_by_name) */
};

typedef uint8_t execution_target;
enum {
  WASI_NN_TARGET_CPU = 0,
  WASI_NN_TARGET_GPU = 1,
  WASI_NN_TARGET_TPU = 2,
  WASI_NN_TARGET_AUTO = 3, /* WasmEdge's */
};

typedef uint32_t graph;
typedef uint32_t graph_execution_context;

/* 8 bytes: {ptr, len} of one model part. */
typedef struct {
  const uint8_t* buf;
  uint32_t size;
} graph_builder;

/* 20 bytes, alignment 4: dims (u32 array), type at +8, data at +12. */
typedef struct {
  const uint32_t* dims;
  uint32_t dims_len;
  tensor_type type;
  const uint8_t* data;
  uint32_t data_len; /* must equal product(dims) x element size */
} tensor;

_Static_assert(sizeof(graph_builder) == 8, "graph_builder layout");
_Static_assert(sizeof(tensor) == 20, "tensor layout");

#define WASI_NN_IMPORT(name) __attribute__((import_module("wasi_ephemeral_nn"), import_name(name)))

WASI_NN_IMPORT("load")
nn_errno wasi_nn_load(const graph_builder* builders, uint32_t builders_len, uint32_t encoding, uint32_t target,
                      graph* graph_out);
WASI_NN_IMPORT("load_by_name")
nn_errno wasi_nn_load_by_name(const char* name, uint32_t name_len, graph* graph_out);
WASI_NN_IMPORT("load_by_name_with_config")
nn_errno wasi_nn_load_by_name_with_config(const char* name, uint32_t name_len, const char* config, uint32_t config_len,
                                          graph* graph_out);
WASI_NN_IMPORT("init_execution_context")
nn_errno wasi_nn_init_execution_context(graph g, graph_execution_context* ctx_out);
WASI_NN_IMPORT("set_input")
nn_errno wasi_nn_set_input(graph_execution_context ctx, uint32_t index, const tensor* t);
WASI_NN_IMPORT("compute")
nn_errno wasi_nn_compute(graph_execution_context ctx);
/* Too small a buffer: WASI_NN_TOO_LARGE, the needed size in *bytes_written, nothing copied. */
WASI_NN_IMPORT("get_output")
nn_errno wasi_nn_get_output(graph_execution_context ctx, uint32_t index, uint8_t* out, uint32_t out_max,
                            uint32_t* bytes_written);
WASI_NN_IMPORT("compute_single")
nn_errno wasi_nn_compute_single(graph_execution_context ctx);
WASI_NN_IMPORT("get_output_single")
nn_errno wasi_nn_get_output_single(graph_execution_context ctx, uint32_t index, uint8_t* out, uint32_t out_max,
                                   uint32_t* bytes_written);
WASI_NN_IMPORT("fini_single")
nn_errno wasi_nn_fini_single(graph_execution_context ctx);
WASI_NN_IMPORT("unload")
nn_errno wasi_nn_unload(graph g);
WASI_NN_IMPORT("finalize_execution_context")
nn_errno wasi_nn_finalize_execution_context(graph_execution_context ctx);

#undef WASI_NN_IMPORT
#endif
