// What one wasi-nn inference costs through the worker process beyond the
// same calls in process (bench/nn/run builds and runs it): the 4->3 linear
// model of tests/nn (its compute takes a few µs), ITERS x (set_input +
// compute + get_output), median, through nn::backend_for (in process) and
// nn::worker::make_process_backend (the default isolation).
//
//   roundtrip MODEL_DIR ITERS
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "nn/backend.h"
#include "nn/worker/proxy.h"

using namespace wnn::nn;

static std::vector<uint8_t> read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

static double median_us(Backend& b, const std::string& dir, int iters) {
  const std::vector<uint8_t> xml = read(dir + "/model.xml"), bin = read(dir + "/model.bin");
  std::vector<std::span<const uint8_t>> parts = {xml, bin};
  auto g = b.load(parts, Encoding::OpenVino, Target::Cpu, {});
  if (!g) std::fprintf(stderr, "load: %s\n", g.failure().why.c_str()), std::exit(1);
  auto e = (*g)->create_execution();
  if (!e) std::exit(1);
  float in[4] = {1, 2, 3, 4}, out[3];
  TensorView t{TensorType::F32, {1, 4}, {reinterpret_cast<const uint8_t*>(in), sizeof in}};
  std::vector<double> us;
  for (int i = 0; i < iters; ++i) {
    in[0] = float(i);
    const auto t0 = std::chrono::steady_clock::now();
    uint64_t needed = 0;
    if (!(*e)->set_input(0, t) || !(*e)->compute() ||
        !(*e)->get_output(0, {reinterpret_cast<uint8_t*>(out), sizeof out}, needed))
      std::exit(1);
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  return us[us.size() / 2];
}

int main(int argc, char** argv) {
  if (argc != 3) return std::fprintf(stderr, "usage: roundtrip MODEL_DIR ITERS\n"), 2;
  const int iters = std::atoi(argv[2]);
  auto process = worker::make_process_backend({});
  const double none = median_us(*backend_for(Encoding::OpenVino), argv[1], iters);
  const double isolated = median_us(*process, argv[1], iters);
  std::printf("inference_none_us %.2f\ninference_process_us %.2f\nround_trip_us %.2f\n", none, isolated,
              isolated - none);
  return 0;
}
