// Decode + validate + translate throughput: compiles a module repeatedly and
// prints MB/s of code-section bytes (and of the whole file).
//   compile_speed FILE.wasm [min-seconds]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <vector>

#include "valid/compiled_module.h"
#include "wnn/runtime.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: compile_speed FILE.wasm [min-seconds]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  double min_seconds = argc > 2 ? std::atof(argv[2]) : 1.0;

  // Peak memory of one compile (the decoded module, validation state and the
  // translated code): growth of the process's peak RSS over the first compile.
  auto peak_kb = [] {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return long(ru.ru_maxrss);
  };
  const long rss_before = peak_kb();
  auto first = wnn::compile(bytes);
  const long rss_growth_kb = peak_kb() - rss_before;
  if (!first) {
    std::fprintf(stderr, "compile failed: %s\n", first.error().message.c_str());
    return 1;
  }
  size_t code_bytes = 0, translated_words = 0;
  for (const auto& c : (*first)->module.codes) code_bytes += c.body_size;
  for (const auto& fc : (*first)->code) translated_words += fc.code.size();

  using clock = std::chrono::steady_clock;
  size_t iterations = 0;
  auto start = clock::now();
  double elapsed = 0;
  do {
    auto m = wnn::compile(bytes);
    if (!m) return 1;
    ++iterations;
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
  } while (elapsed < min_seconds);
  double per = elapsed / double(iterations);
  std::printf("%s: %zu bytes, %zu bytes of function bodies, %zu functions\n", argv[1], bytes.size(), code_bytes,
              (*first)->module.codes.size());
  std::printf("compile: %.1f us per module, %.1f MB/s of code, %.1f MB/s of file (%zu iterations)\n", per * 1e6,
              double(code_bytes) / per / 1e6, double(bytes.size()) / per / 1e6, iterations);
  std::printf("translated code: %zu bytes = %.2fx the body bytes, %.2fx the module\n", translated_words * 8,
              double(translated_words * 8) / double(code_bytes ? code_bytes : 1),
              double(translated_words * 8) / double(bytes.size() ? bytes.size() : 1));
  std::printf("peak RSS growth over the first compile: %.1f MB = %.2fx the module (file bytes held once)\n",
              double(rss_growth_kb) / 1024.0, double(rss_growth_kb) * 1024.0 / double(bytes.size() ? bytes.size() : 1));
  return 0;
}
