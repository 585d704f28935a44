// The command line's short form of a named graph (wnn run -S nn-graph=...):
// internal to wnn's CLI, unlike NnContext::parse_preload, which embedders
// use for WasmEdge's --nn-preload syntax.
#pragma once
#include <string_view>

#include "wnn/expected.h"
#include "wnn/nn.h"

namespace wnn::nn {

// `ENCODING::DIR`: the graph named after DIR's basename, from DIR/model.xml +
// DIR/model.bin (openvino), model.onnx, model.pb (tensorflow), model.tflite.
Expected<NnPreload> parse_graph_option(std::string_view encoding_dir);

}  // namespace wnn::nn
