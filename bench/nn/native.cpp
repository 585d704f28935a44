// The native side of bench/nn/run: what an OpenVINO C++ application does for
// the work that bench/nn/guest.c asks wnn for, with the same calls as wnn's
// backend (src/nn/openvino/): the model bytes are in memory, IR is read with
// Core::read_model(xml, weights), ONNX/TFLite with the frontend, compiled for
// CPU in f32 as wnn does by default; each inference copies the input in, infers, and copies the output out.
//
//   native ENCODING(0 openvino|1 onnx) TYPE(f32|u8) DIMS(1x1x28x28) ITERS CACHE_DIR|- FILE [FILE]
//
// Prints load1_us (first load: ov::Core creation + read + compile), load2_us
// (second load in the same process) and infer_median_us, as guest.c does.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <openvino/frontend/manager.hpp>
#include <openvino/openvino.hpp>

namespace {

using Clock = std::chrono::steady_clock;
double us_since(Clock::time_point t) { return std::chrono::duration<double, std::micro>(Clock::now() - t).count(); }

std::string slurp(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ov::CompiledModel load(ov::Core& core, int enc, const std::vector<std::string>& files, const std::string& cache) {
  std::shared_ptr<ov::Model> model;
  ov::Tensor weights;
  if (enc == 0) {
    // wnn copies the weights out of guest memory once; an application owns its buffer: same cost.
    weights = ov::Tensor(ov::element::u8, ov::Shape{files[1].size()});
    std::memcpy(weights.data(), files[1].data(), files[1].size());
    model = core.read_model(files[0], weights);
  } else {
    ov::frontend::FrontEndManager fem;
    auto fe = fem.load_by_framework(enc == 1 ? "onnx" : "tflite");
    std::istringstream is(files[0], std::ios::in | std::ios::binary);
    std::istream* isp = &is;
    model = fe->convert(fe->load(isp));
  }
  // The precision wnn asks for by default (f32, src/nn/openvino/compile_config.cpp), or
  // WNN_BENCH_PRECISION (bf16, f16: bench/nn/precision).
  const char* p = std::getenv("WNN_BENCH_PRECISION");
  const std::string precision = p && *p ? p : "f32";
  ov::AnyMap properties{ov::hint::inference_precision(precision == "bf16"  ? ov::element::bf16
                                                      : precision == "f16" ? ov::element::f16
                                                                           : ov::element::f32)};
  if (!cache.empty()) properties.emplace(ov::cache_dir(cache));
  return core.compile_model(model, "CPU", properties);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 7) {
    std::fprintf(stderr, "usage: native ENCODING TYPE DIMS ITERS CACHE_DIR|- FILE [FILE]\n");
    return 2;
  }
  const int enc = std::atoi(argv[1]);
  const bool f32 = std::strcmp(argv[2], "f32") == 0;
  ov::Shape shape;
  for (char* s = std::strtok(argv[3], "x"); s; s = std::strtok(nullptr, "x"))
    shape.push_back(std::strtoul(s, nullptr, 10));
  const int iters = std::atoi(argv[4]);
  const std::string cache = std::strcmp(argv[5], "-") == 0 ? "" : argv[5];
  std::vector<std::string> files;
  for (int i = 6; i < argc; ++i) files.push_back(slurp(argv[i]));

  try {
    auto t0 = Clock::now();
    ov::Core core;
    ov::CompiledModel first = load(core, enc, files, cache);
    const double load1 = us_since(t0);
    t0 = Clock::now();
    ov::CompiledModel model = load(core, enc, files, cache);
    const double load2 = us_since(t0);

    size_t count = ov::shape_size(shape);
    std::vector<float> xf(count);
    std::vector<uint8_t> xu(count);
    for (size_t i = 0; i < count; ++i) xu[i] = uint8_t(i * 7 % 256), xf[i] = float(i * 7 % 256) / 255.0f;
    ov::InferRequest req = model.create_infer_request();
    std::vector<std::vector<uint8_t>> outs(model.outputs().size());
    std::vector<double> times;
    // One untimed inference first, as guest.c does (it learns the output sizes with it).
    for (int it = -1; it < iters; ++it) {
      auto t = Clock::now();
      ov::Tensor in = req.get_input_tensor(0);
      if (f32)
        std::memcpy(in.data(), xf.data(), count * 4);
      else
        std::memcpy(in.data(), xu.data(), count);
      req.infer();
      for (size_t o = 0; o < outs.size(); ++o) {
        ov::Tensor out = req.get_output_tensor(o);
        outs[o].resize(out.get_byte_size());
        std::memcpy(outs[o].data(), out.data(), out.get_byte_size());
      }
      if (it >= 0) times.push_back(us_since(t));
    }
    std::sort(times.begin(), times.end());
    std::printf("load1_us %.0f\nload2_us %.0f\ninfer_median_us %.2f\n", load1, load2, times[times.size() / 2]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "native: %s\n", e.what());
    return 1;
  }
  return 0;
}
