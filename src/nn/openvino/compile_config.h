// A graph's config (LoadOptions::config, src/nn/graph_config.h) turned into
// the device and properties of OpenVINO's compile_model. Keys: precision
// (f32 | f16 | bf16; default f32 on CPU and GPU, whose plugins would
// otherwise pick bf16/f16 on hardware that has it), threads, performance_hint
// (latency | throughput), device (cpu | gpu | npu, optionally ".N"; default:
// the load's execution target). Anything else is invalid_argument.
#pragma once
#include <string>
#include <string_view>

#include <openvino/openvino.hpp>

#include "nn/backend.h"

namespace wnn::nn {

struct CompileConfig {
  std::string device;      // OpenVINO's name: CPU, GPU, GPU.1, NPU
  bool from_config = false;  // device came from the config, not the target
  ov::AnyMap properties;   // for compile_model (without the cache dir)
};

Result<CompileConfig> compile_config(std::string_view json, Target target);

}  // namespace wnn::nn
