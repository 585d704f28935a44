// wnn-difftool: the wnn side of the differential test against wabt
// (tests/diff/run-diff), and the generator's validity check.
//
//   wnn-difftool gen [--fuzz-mode] [--bytes N] SEED COUNT DIR
//                                           write COUNT generated modules DIR/<seed>.wasm
//                                           (from up to N pseudo-random bytes, default 8000)
//   wnn-difftool check SEED COUNT [DIR N]   generate COUNT modules in each mode, fail unless all
//                                           compile; with DIR, also write every N-th there
//   wnn-difftool run FILE...                instantiate each module (no imports), call each
//                                           export without parameters, in export order
//
// `run` prints, per module, "== FILE", then "instantiate: ok" or
// "instantiate: trap CATEGORY" / "instantiate: error KIND MESSAGE", then per
// export "NAME: TYPE:VALUE ..." (integers unsigned decimal, as wasm-interp
// prints them) or "NAME: trap CATEGORY". Categories name trap kinds in
// words both engines' messages map to (see run-diff).
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "module_gen.h"
#include "wnn/runtime.h"

namespace {

bool write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  return bool(out);
}

const char* category(wnn::TrapKind k) {
  using wnn::TrapKind;
  switch (k) {
    case TrapKind::Unreachable: return "unreachable";
    case TrapKind::MemoryOutOfBounds: return "oob-memory";
    case TrapKind::TableOutOfBounds: return "oob-table";
    case TrapKind::IntegerDivideByZero: return "div-by-zero";
    case TrapKind::IntegerOverflow: return "int-overflow";
    case TrapKind::InvalidConversion: return "invalid-conversion";
    case TrapKind::IndirectCallTypeMismatch: return "indirect-type-mismatch";
    case TrapKind::UndefinedElement: return "undefined-element";
    case TrapKind::UninitializedElement: return "uninitialized-element";
    case TrapKind::CallStackExhausted: return "stack-exhausted";
    case TrapKind::OutOfFuel: return "out-of-fuel";
    default: return "other";
  }
}

std::string value_text(const wnn::Value& v) {
  char buf[64];
  switch (v.type) {
    case wnn::ValType::I32: std::snprintf(buf, sizeof buf, "i32:%" PRIu32, v.as_u32()); break;
    case wnn::ValType::I64: std::snprintf(buf, sizeof buf, "i64:%" PRIu64, v.as_u64()); break;
    // Floats do not occur in differential modules' results (entry points
    // return their bits); NaNs are compared by NaN-ness only.
    case wnn::ValType::F32:
      if (v.as_f32() != v.as_f32()) return "f32:nan";
      std::snprintf(buf, sizeof buf, "f32:0x%08" PRIx32, v.as_u32());
      break;
    case wnn::ValType::F64:
      if (v.as_f64() != v.as_f64()) return "f64:nan";
      std::snprintf(buf, sizeof buf, "f64:0x%016" PRIx64, v.as_u64());
      break;
    default: return wnn::value_string(v);
  }
  return buf;
}

void run_one(const char* path) {
  std::printf("== %s\n", path);
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto compiled = wnn::compile(std::move(bytes));
  if (!compiled) {
    std::printf("instantiate: error %s %s\n", wnn::error_kind_name(compiled.error().kind),
                compiled.error().message.c_str());
    return;
  }
  wnn::StoreConfig config;
  config.fuel = 500'000'000;  // a safety net: differential modules bound their loops themselves
  wnn::Store store(config);
  auto inst = store.instantiate(*compiled, [](std::string_view, std::string_view) { return std::nullopt; });
  if (!inst) {
    const wnn::Error& e = inst.error();
    if (e.kind == wnn::ErrorKind::Trap || e.kind == wnn::ErrorKind::Exhaustion)
      std::printf("instantiate: trap %s\n", category(e.trap));
    else
      std::printf("instantiate: error %s %s\n", wnn::error_kind_name(e.kind), e.message.c_str());
    return;
  }
  std::printf("instantiate: ok\n");
  for (const auto& [name, ext] : store.exports(*inst)) {
    wnn::FuncInst* f = ext.func();
    if (!f || !store.func_type(f).params.empty()) continue;  // as wasm-interp --run-all-exports
    auto r = store.invoke(f, {});
    std::printf("%s:", name.c_str());
    if (!r) {
      const wnn::Error& e = r.error();
      std::printf(" trap %s\n", e.kind == wnn::ErrorKind::Exhaustion ? "stack-exhausted" : category(e.trap));
      continue;
    }
    for (const wnn::Value& v : *r) std::printf(" %s", value_text(v).c_str());
    std::printf("\n");
  }
}

int usage() {
  std::fprintf(stderr,
               "usage: wnn-difftool gen [--fuzz-mode] [--bytes N] SEED COUNT DIR | check SEED COUNT [DIR N] | "
               "run FILE...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string cmd = argv[1];
  if (cmd == "run") {
    for (int i = 2; i < argc; ++i) run_one(argv[i]);
    return 0;
  }
  if (cmd == "gen") {
    int a = 2;
    wnn_test::GenConfig config;
    config.differential = true;
    uint64_t max_bytes = 8000;
    for (; a < argc && argv[a][0] == '-'; ++a) {
      if (std::string(argv[a]) == "--fuzz-mode") {
        config.differential = false;
      } else if (std::string(argv[a]) == "--bytes" && a + 1 < argc) {
        max_bytes = std::max<uint64_t>(1, std::strtoull(argv[++a], nullptr, 0));
      } else {
        return usage();
      }
    }
    if (argc - a != 3) return usage();
    const uint64_t seed = std::strtoull(argv[a], nullptr, 0), count = std::strtoull(argv[a + 1], nullptr, 0);
    for (uint64_t s = seed; s < seed + count; ++s) {
      const std::string path = std::string(argv[a + 2]) + "/" + std::to_string(s) + ".wasm";
      if (!write_file(path, wnn_test::generate_module(wnn_test::seed_bytes(s, max_bytes), config))) {
        std::fprintf(stderr, "wnn-difftool: cannot write %s\n", path.c_str());
        return 1;
      }
    }
    return 0;
  }
  if (cmd == "check") {
    if (argc != 4 && argc != 6) return usage();
    const uint64_t seed = std::strtoull(argv[2], nullptr, 0), count = std::strtoull(argv[3], nullptr, 0);
    const uint64_t every = argc == 6 ? std::max<uint64_t>(1, std::strtoull(argv[5], nullptr, 0)) : 0;
    uint64_t failed = 0, total_bytes = 0;
    for (uint64_t s = seed; s < seed + count; ++s) {
      for (bool differential : {false, true}) {
        wnn_test::GenConfig config;
        config.differential = differential;
        std::vector<uint8_t> bytes = wnn_test::generate_module(wnn_test::seed_bytes(s), config);
        total_bytes += bytes.size();
        if (every && (s - seed) % every == 0) {
          const std::string path =
              std::string(argv[4]) + "/" + (differential ? "d" : "f") + std::to_string(s) + ".wasm";
          if (!write_file(path, bytes)) return 1;
        }
        auto compiled = wnn::compile(bytes);
        if (!compiled) {
          ++failed;
          const std::string path = "gen-invalid-" + std::string(differential ? "d" : "f") + std::to_string(s) + ".wasm";
          write_file(path, bytes);
          std::fprintf(stderr, "seed %" PRIu64 " (%s mode): %s (written to %s)\n", s,
                       differential ? "differential" : "fuzz", compiled.error().message.c_str(), path.c_str());
        }
      }
    }
    std::printf("wnn-difftool check: %" PRIu64 " modules (%" PRIu64 " bytes on average), %" PRIu64 " invalid\n",
                2 * count, count ? total_bytes / (2 * count) : 0, failed);
    return failed ? 1 : 0;
  }
  return usage();
}
