// File references inside ONNX models. An ONNX tensor may keep its bytes
// outside the model ("external data": data_location = EXTERNAL and
// external_data {location, offset, length}); OpenVINO's ONNX frontend reads
// such a location from the file system (relative to its cwd for a model
// read from memory) or, for "*/_ORT_MEM_ADDR_/*", from process memory. A
// guest's model must not reach either, and a host's preloaded model only
// its own directory: both go through this schema-guided protobuf walker
// (wire format only, no onnx library) before any backend sees the bytes.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "nn/backend.h"

namespace wnn::nn {

// One tensor that names external data.
struct OnnxExternalRef {
  std::string tensor;    // TensorProto.name ("" when unnamed)
  std::string where;     // its place in the model, e.g. "graph.initializer[2]", "graph.node[3].attribute[0].t"
  std::string location;  // external_data "location" ("" when absent)
};

// Every tensor of an ONNX ModelProto that is marked as external data (any
// data_location = EXTERNAL or any external_data entry), walking the graph,
// its nodes' attributes (tensors, sparse tensors, subgraphs), the model's
// functions and training graphs. invalid_encoding when the bytes are not
// well-formed protobuf or nest deeper than kMaxOnnxDepth messages.
constexpr int kMaxOnnxDepth = 100;
Result<std::vector<OnnxExternalRef>> onnx_external_refs(std::span<const uint8_t> model);

// For a guest's `load`: invalid_argument naming the first external tensor,
// invalid_encoding for malformed protobuf; success when the model names no file.
Result<void> refuse_onnx_external_data(std::span<const uint8_t> model);

// For a host's preloaded model read from `dir`: the model with every
// external tensor's bytes inlined (raw_data), read from files inside `dir`
// only: the location must be relative, without "..", and resolve (symlinks
// included) beneath `dir` to a regular file. Empty when the model has no
// external data (`changed` false: use `model` as it is).
Result<std::vector<uint8_t>> inline_onnx_external_data(std::span<const uint8_t> model, const std::string& dir,
                                                       bool& changed);

}  // namespace wnn::nn
