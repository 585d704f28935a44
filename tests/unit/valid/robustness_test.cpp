// compile() never crashes (run under -DWNN_SANITIZE=ON to catch memory
// errors too): truncations and single-byte mutations of every .wasm file of
// the spec suite, and every single-byte mutation of a body that uses most of
// what the translator handles. Results are ignored: only crashes, sanitizer
// reports and hangs count.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "binary/decoder.h"
#include "compile_checks.h"
#include "rng.h"
#include "wat_module.h"

namespace wnn::valid::test {
using namespace wnn::test;
namespace {

namespace fs = std::filesystem;

// ../shared/wasm-spec/wg-2.0 next to the repository, else $WNN_SPEC_DIR.
std::optional<fs::path> spec_dir() {
  fs::path root = fs::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
  std::error_code ec;
  fs::path near = root / ".." / "shared" / "wasm-spec" / "wg-2.0";
  if (fs::is_directory(near, ec)) return near;
  if (const char* env = std::getenv("WNN_SPEC_DIR"); env && *env && fs::is_directory(env, ec)) return fs::path(env);
  return std::nullopt;
}

struct WasmFile {
  std::string name;
  Bytes bytes;
};

const std::vector<WasmFile>& spec_files() {
  static const std::vector<WasmFile> files = [] {
    std::vector<WasmFile> out;
    auto dir = spec_dir();
    if (!dir) return out;
    for (const auto& e : fs::directory_iterator(*dir)) {
      if (e.path().extension() != ".wasm") continue;
      std::ifstream in(e.path(), std::ios::binary);
      out.push_back({e.path().filename().string(), Bytes(std::istreambuf_iterator<char>(in), {})});
    }
    std::sort(out.begin(), out.end(), [](const WasmFile& a, const WasmFile& b) { return a.name < b.name; });
    return out;
  }();
  return files;
}

void compile_ignoring_result(const Bytes& b) {
  auto r = compile(b);
  if (!r.ok()) EXPECT_FALSE(r.error().message.empty());
}

// Prefixes per file at most; longer files are cut with a larger step (the
// last few prefixes are always tried: they reach the last function bodies).
constexpr size_t kMaxPrefixesPerFile = 512;
constexpr size_t kMutationsPerFile = 32;

TEST(Robustness, SpecFilesTruncated) {
  const auto& files = spec_files();
  if (files.empty()) GTEST_SKIP() << "spec suite not found (../shared/wasm-spec/wg-2.0 or $WNN_SPEC_DIR)";
  size_t compiles = 0;
  for (const WasmFile& f : files) {
    SCOPED_TRACE(f.name);
    size_t n = f.bytes.size();
    size_t step = std::max<size_t>(1, n / kMaxPrefixesPerFile);
    auto one = [&](size_t len) {
      compile_ignoring_result(Bytes(f.bytes.begin(), f.bytes.begin() + ptrdiff_t(len)));
      ++compiles;
    };
    for (size_t len = 0; len < n; len += step) one(len);
    for (size_t len = n > 8 ? n - 8 : 0; len < n; ++len)
      if (step > 1) one(len);
  }
  EXPECT_GT(compiles, files.size());
}

// Bytes that steer decoding into interesting places: end, block starts,
// branches, prefixes, value types, LEB128 continuation, large values.
constexpr uint8_t kInteresting[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
                                    0x10, 0x11, 0x1A, 0x1B, 0x1C, 0x20, 0x21, 0x22, 0x40, 0x41, 0x6A,
                                    0x6F, 0x70, 0x7B, 0x7F, 0x80, 0xD2, 0xFC, 0xFD, 0xFF};

TEST(Robustness, SpecFilesMutated) {
  const auto& files = spec_files();
  if (files.empty()) GTEST_SKIP() << "spec suite not found (../shared/wasm-spec/wg-2.0 or $WNN_SPEC_DIR)";
  Rng rng{0x9E3779B97F4A7C15ull};
  size_t compiles = 0, in_bodies = 0;
  for (const WasmFile& f : files) {
    SCOPED_TRACE(f.name);
    if (f.bytes.empty()) continue;
    // Byte ranges of the function bodies, when the file decodes.
    std::vector<std::pair<size_t, size_t>> bodies;
    if (auto m = binary::decode_module(f.bytes); m.ok())
      for (const Code& c : m->codes)
        if (c.body_size) bodies.push_back({c.body_offset, c.body_size});
    for (size_t k = 0; k < kMutationsPerFile; ++k) {
      Bytes b = f.bytes;
      size_t at;
      if (!bodies.empty() && rng.below(4) != 0) {
        auto [off, size] = bodies[rng.below(bodies.size())];
        at = off + rng.below(size);
        ++in_bodies;
      } else {
        at = rng.below(b.size());
      }
      b[at] = rng.below(2) ? kInteresting[rng.below(sizeof kInteresting)] : uint8_t(rng.next());
      compile_ignoring_result(b);
      ++compiles;
    }
  }
  EXPECT_GT(compiles, 300u);
  EXPECT_GT(in_bodies, 100u);
}

// wat/rich_body.wat: a body using blocks with params, loops, if/else,
// br_table, calls, locals, memory, tables, globals, references and 0xFC ops.
TEST(Robustness, RichBodyIsValid) { compile_ok(wat_module("rich_body")); }

TEST(Robustness, EveryBodyByteMutated) {
  const Bytes full = wat_module("rich_body");
  ASSERT_FALSE(full.empty());
  size_t begin = wat_body_offset(full, 1);
  for (size_t at = begin; at < full.size(); ++at) {
    for (uint8_t v : kInteresting) {
      Bytes b = full;
      b[at] = v;
      compile_ignoring_result(b);
    }
  }
  for (size_t len = 0; len < full.size(); ++len)
    compile_ignoring_result(Bytes(full.begin(), full.begin() + ptrdiff_t(len)));
}

}  // namespace
}  // namespace wnn::valid::test
