#include "nn/openvino/compile_config.h"

#include <cctype>

#include "nn/graph_config.h"

namespace wnn::nn {

namespace {

const char* device_of(Target t) {
  switch (t) {
    case Target::Cpu: return "CPU";
    case Target::Gpu: return "GPU";
    case Target::Tpu: return "NPU";
  }
  return "CPU";
}

// "cpu", "GPU", "gpu.1" -> "CPU", "GPU", "GPU.1"; empty when not such a name.
std::string device_name(const std::string& s) {
  std::string d;
  for (char c : s) d += char(std::toupper((unsigned char)c));
  const std::string kind = d.substr(0, 3);
  if (kind != "CPU" && kind != "GPU" && kind != "NPU") return {};
  if (d.size() == 3) return d;
  if (d.size() > 6 || d[3] != '.') return {};
  for (size_t i = 4; i < d.size(); ++i)
    if (!std::isdigit((unsigned char)d[i])) return {};
  return d.size() > 4 ? d : std::string();
}

}  // namespace

Result<CompileConfig> compile_config(std::string_view json, Target target) {
  auto cfg = GraphConfig::parse(json);
  if (!cfg) return cfg.failure();
  CompileConfig out;
  out.device = device_of(target);
  auto precision = cfg->one_of("precision", {"f32", "f16", "bf16"});
  if (!precision) return precision.failure();
  auto threads = cfg->integer("threads", 1, 1024);
  if (!threads) return threads.failure();
  auto hint = cfg->one_of("performance_hint", {"latency", "throughput"});
  if (!hint) return hint.failure();
  auto device = cfg->string("device", 64);
  if (!device) return device.failure();
  if (auto r = cfg->no_other_keys("openvino"); !r) return r.failure();

  if (*device) {
    out.device = device_name(**device);
    if (out.device.empty())
      return Failure{kInvalidArgument, "config key \"device\": \"" + printable_config_text(**device, 16) +
                                           "\" is not cpu, gpu or npu (optionally with .N, as gpu.1)"};
    out.from_config = true;
  }
  const bool cpu = out.device == "CPU", gpu = out.device.rfind("GPU", 0) == 0;
  if (*threads && !cpu)
    return Failure{kInvalidArgument,
                   "config key \"threads\" applies to the CPU device only (this graph's is " + out.device + ")"};
  // The model's own precision unless asked otherwise (the plugins' default is
  // bf16 on CPUs with AVX-512 BF16/AMX and f16 on GPUs). NPU keeps its own.
  const std::string p = precision->value_or(cpu || gpu ? "f32" : "");
  if (p == "f32") out.properties.emplace(ov::hint::inference_precision(ov::element::f32));
  if (p == "f16") out.properties.emplace(ov::hint::inference_precision(ov::element::f16));
  if (p == "bf16") out.properties.emplace(ov::hint::inference_precision(ov::element::bf16));
  if (*threads) out.properties.emplace(ov::inference_num_threads(int(**threads)));
  if (*hint)
    out.properties.emplace(ov::hint::performance_mode(**hint == "throughput" ? ov::hint::PerformanceMode::THROUGHPUT
                                                                             : ov::hint::PerformanceMode::LATENCY));
  return out;
}

}  // namespace wnn::nn
