// wnn-tierdiff: the differential test between wnn's tiers (issue 14). Every
// generated module (tests/support's generator, SIMD included) is compiled
// for the interpreter and for the compiler tier, instantiated in one store
// each with the same limits and fuel, and every export is run on both; the
// two must agree exactly:
//   - compile and instantiation outcome (error kind, trap kind, message);
//   - per exported function, in export order, with the same arguments: the
//     results (floats by bits, NaNs by NaN-ness), or the error's kind, trap
//     kind and whole message (backtrace included);
//   - the spectest print calls made (names and arguments), in order;
//   - at the end, every exported global's value and memory's bytes.
// The store's fuel is shared by all calls, so any difference in fuel
// accounting shows as an out-of-fuel trap on one tier only.
//
//   wnn-tierdiff [--seed S] [--count N] [--bytes B] [--fuel F] [--keep DIR] [--tier jit|auto|switch]
//                [--level full|quick]
//
// --tier picks the side compared with the interpreter: jit (default), auto
// (Tier::Auto as `wnn run` uses it: compiles in the background, switches
// whenever that ends), or switch (Tier::Auto compiling synchronously when the
// first function is hot, with a per-seed sample chunk of 1..199 charged
// instructions and 1..4 samples: the switch happens at a different point of
// each module's run, between calls of one function, in the middle of loops
// of its callers, of recursion, of a run that ends out of fuel; an activation
// running a loop continues it in compiled code from a back-edge on: on-stack
// replacement, with values on the operand stack and loop parameters; Quick
// code is compiled again Full after 1..6 samples of it, so that switch
// happens mid-run too, and an activation in a Quick loop entry goes on in
// the Full entry from a back-edge). --level picks the LLVM pipeline: jit's (default
// full) or auto's first one (default quick).
//
// Seeds S .. S+N-1 (default 1, 1000: about 20 CPU-s with the compiler
// tier); even seeds in the generator's differential mode (bounded loops,
// canonical NaNs), odd ones in its fuzz mode (imports, recursion, endless
// loops that fuel ends). A disagreement is printed with both sides and,
// with --keep, the module is written to DIR/tierdiff-<seed>.wasm. Exit 0 if all agree, 1 otherwise, 77 (skipped)
// when this build has no compiler tier (libwnn_jit.so).
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "exec/tiering.h"
#include "module_gen.h"
#include "spectest_host.h"
#include "valid/compiled_module.h"
#include "wnn/runtime.h"

#ifndef WNN_TEST_HAVE_JIT
#define WNN_TEST_HAVE_JIT 0
#endif

namespace {

struct Options {
  uint64_t seed = 1, count = 1000, max_bytes = 8000, fuel = 200'000;
  std::string keep;
  std::string tier = "jit";
  std::optional<wnn::JitLevel> level;  // --level full|quick
  std::string module;  // --module FILE: replay a kept module (arguments from --seed)
  bool verbose = false;  // --verbose: every line of both tiers, not just the differing ones
};

std::string error_text(const wnn::Error& e) {
  return std::string(wnn::error_kind_name(e.kind)) + " trap=" + std::to_string(int(e.trap)) + " " + e.message;
}

std::string value_text(const wnn::Value& v) {
  char buf[64];
  switch (v.type) {
    case wnn::ValType::F32:
      if (v.as_f32() != v.as_f32()) return "f32:nan";
      break;
    case wnn::ValType::F64:
      if (v.as_f64() != v.as_f64()) return "f64:nan";
      break;
    default: break;
  }
  std::snprintf(buf, sizeof buf, "%d:%016" PRIx64 ":%016" PRIx64, int(v.type), v.lo, v.hi);
  return buf;
}

// A v128 result's text ("123:lo:hi") as its two 64-bit halves; false for other text.
bool v128_halves(const std::string& t, uint64_t half[2]) {
  return std::sscanf(t.c_str(), "123:%16" SCNx64 ":%16" SCNx64, &half[0], &half[1]) == 2 && t.size() == 37;
}

// Whether two v128 results differ only in which NaN a float lane holds: at f32
// or at f64 granularity, every lane equal or a NaN on both sides. A float
// operation on two NaNs may return either (the spec's nans_N), and the tiers
// need not pick the same operand (LLVM commutes `fmul`): fuzz mode does not
// canonicalise NaNs (differential mode does, and is compared exactly).
bool same_but_nans(const std::string& a, const std::string& b) {
  uint64_t x[2], y[2];
  if (!v128_halves(a, x) || !v128_halves(b, y)) return false;
  auto lanes_agree = [&](int bits) {
    const int per = 64 / bits;
    for (int h = 0; h < 2; ++h)
      for (int k = 0; k < per; ++k) {
        const uint64_t mask = bits == 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1;
        const uint64_t p = (x[h] >> (k * bits)) & mask, q = (y[h] >> (k * bits)) & mask;
        const uint64_t exponent = bits == 64 ? uint64_t(0x7FF) << 52 : uint64_t(0xFF) << 23;
        const uint64_t sign_less = mask >> 1;
        auto nan = [&](uint64_t v) { return (v & exponent) == exponent && (v & sign_less & ~exponent) != 0; };
        if (p != q && !(nan(p) && nan(q))) return false;
      }
    return true;
  };
  return lanes_agree(32) || lanes_agree(64);
}

// The outcomes' lines agree: equal, or (fuzz mode) word by word equal but for
// v128 results that differ only in their NaNs.
bool agree(const std::vector<std::string>& a, const std::vector<std::string>& b, bool nan_payloads_free) {
  if (a == b) return true;
  if (!nan_payloads_free || a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    std::istringstream sa(a[i]), sb(b[i]);
    std::string wa, wb;
    while (true) {
      const bool more_a = bool(sa >> wa), more_b = bool(sb >> wb);
      if (more_a != more_b) return false;
      if (!more_a) break;
      if (wa != wb && !same_but_nans(wa, wb)) return false;
    }
  }
  return true;
}

// Arguments for fuzz-mode entry points (differential ones take none).
uint64_t next_arg(uint64_t& state) {
  state = state * 6364136223846793005ull + 1442695040888963407ull;
  const uint64_t x = state >> 11;
  return (x & 3) == 0 ? 0 : (x & 3) == 1 ? ~uint64_t(0) : x * 0x9E3779B97F4A7C15ull;
}

// Everything observable of one module on one tier, as lines of text.
struct Outcome {
  std::vector<std::string> lines;
  uint64_t calls = 0, traps = 0, out_of_fuel = 0;
  bool switched = false;  // Tier::Auto: compiled code was published during the run
  bool switched_in_loop = false;  // ... and a running activation continued a loop in it
  bool recompiled = false;        // ... and Quick code of it was replaced by Full code
  bool entry_upgraded = false;    // ... and an activation in a Quick loop entry went on in the Full one
};

Outcome run_on(const std::vector<uint8_t>& bytes, wnn::Tier tier, const Options& opt, uint64_t seed) {
  Outcome outcome;
  std::vector<std::string>& out = outcome.lines;
  wnn::CompileOptions copts;
  copts.tier = tier;
  if (tier == wnn::Tier::Auto && opt.tier == "switch") {
    copts.tiering.synchronous = true;
    copts.tiering.sample_chunk = uint32_t(1 + seed * 7919 % 199);
    copts.tiering.hot_samples = uint32_t(1 + seed / 2 % 4);
    copts.tiering.full_samples = uint32_t(1 + seed / 8 % 6);  // Quick code compiled again Full, mid-run too
  }
  // --level: Tier::Jit's pipeline (default Full), Tier::Auto's first one (default Quick).
  copts.jit_level = opt.level.value_or(wnn::JitLevel::Full);
  copts.tiering.first_level = opt.level.value_or(wnn::JitLevel::Quick);
  copts.exact_fuel = opt.fuel != 0;  // fuel after a fault is compared too
  auto compiled = wnn::compile(bytes, copts);
  if (!compiled) {
    out.push_back("compile: " + error_text(compiled.error()));
    return outcome;
  }
  wnn::StoreConfig config;
  config.fuel = opt.fuel;
  config.max_call_depth = 2000;
  // Large enough that the call-depth limit, which both tiers count the same,
  // ends deep recursion first: compiled frames do not take interpreter value
  // stack, so a smaller stack ends the interpreter's recursion at another depth
  // (an implementation limit, docs/compiler.md; seeds 4235, 50931).
  config.value_stack_slots = 1 << 22;
  config.max_memory_pages = 16;
  config.max_table_elems = 100'000;
  wnn::Store store(config);
  wnn_test::ExternMap spectest;
  std::string error;
  auto print = [&out](std::string_view name, std::span<const wnn::ValType> params, const uint64_t* slots) {
    std::string line = "print " + std::string(name);
    for (size_t i = 0; i < params.size(); ++i) line += " " + std::to_string(slots[i]);
    out.push_back(line);
  };
  if (!wnn_test::make_spectest(store, spectest, error, print)) {
    out.push_back("spectest: " + error);
    return outcome;
  }
  auto inst = store.instantiate(*compiled, [&](std::string_view mod, std::string_view name) {
    return wnn_test::resolve_spectest(spectest, mod, name);
  });
  if (!inst) {
    out.push_back("instantiate: " + error_text(inst.error()));
    return outcome;
  }
  uint64_t state = seed;
  for (const auto& [name, ext] : store.exports(*inst)) {
    wnn::FuncInst* f = ext.func();
    if (!f) continue;
    std::vector<wnn::Value> args;
    for (wnn::ValType t : store.func_type(f).params) {
      if (t == wnn::ValType::V128) {
        const uint64_t lo = next_arg(state);
        args.push_back(wnn::Value::v128(lo, next_arg(state)));
      } else if (t == wnn::ValType::FuncRef || t == wnn::ValType::ExternRef) {
        args.push_back(wnn::Value::ref(t, 0));
      } else {
        args.push_back(
            {t, next_arg(state) & (t == wnn::ValType::I32 || t == wnn::ValType::F32 ? 0xffffffffu : ~uint64_t(0)), 0});
      }
    }
    auto r = store.invoke(f, args);
    std::string line = name + ":";
    ++outcome.calls;
    if (!r) {
      ++outcome.traps;
      outcome.out_of_fuel += r.error().trap == wnn::TrapKind::OutOfFuel;
      line += " " + error_text(r.error());
    } else {
      for (const wnn::Value& v : *r) line += " " + value_text(v);
    }
    out.push_back(line);
  }
  for (const auto& [name, ext] : store.exports(*inst)) {
    if (wnn::GlobalInst* g = ext.global()) out.push_back("global " + name + " " + value_text(store.global_value(g)));
    if (wnn::MemoryInst* m = ext.memory()) {
      uint64_t h = 0xcbf29ce484222325ull;
      for (uint8_t b : store.memory_data(m)) h = (h ^ b) * 0x100000001b3ull;
      char buf[64];
      std::snprintf(buf, sizeof buf, "%zu bytes, hash %016" PRIx64, store.memory_data(m).size(), h);
      out.push_back("memory " + name + " " + buf);
    }
  }
  outcome.switched =
      (*compiled)->tier && ((*compiled)->tier->compiled_count() > 0 || (*compiled)->tier->loop_entry_count() > 0);
  outcome.switched_in_loop = (*compiled)->tier && (*compiled)->tier->loop_switch_count() > 0;
  outcome.recompiled = (*compiled)->tier && (*compiled)->tier->full_count() > 0;
  outcome.entry_upgraded = (*compiled)->tier && (*compiled)->tier->loop_upgrade_count() > 0;
  return outcome;
}

int usage() {
  std::fprintf(stderr,
               "usage: wnn-tierdiff [--seed S] [--count N] [--bytes B] [--fuel F] [--keep DIR] "
               "[--tier jit|auto|switch] [--level full|quick] [--module FILE.wasm] [--verbose 1]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    if (a + 1 >= argc) return usage();
    const char* v = argv[++a];
    if (arg == "--seed")
      opt.seed = std::strtoull(v, nullptr, 0);
    else if (arg == "--count")
      opt.count = std::strtoull(v, nullptr, 0);
    else if (arg == "--bytes")
      opt.max_bytes = std::max<uint64_t>(1, std::strtoull(v, nullptr, 0));
    else if (arg == "--fuel")
      opt.fuel = std::strtoull(v, nullptr, 0);
    else if (arg == "--keep")
      opt.keep = v;
    else if (arg == "--tier" && (std::string(v) == "jit" || std::string(v) == "auto" || std::string(v) == "switch"))
      opt.tier = v;
    else if (arg == "--level" && (std::string(v) == "full" || std::string(v) == "quick"))
      opt.level = std::string(v) == "quick" ? wnn::JitLevel::Quick : wnn::JitLevel::Full;
    else if (arg == "--module")
      opt.module = v;
    else if (arg == "--verbose")
      opt.verbose = std::string(v) != "0";
    else
      return usage();
  }
  if (!WNN_TEST_HAVE_JIT) {
    std::printf("wnn-tierdiff: skipped: this build has no compiler tier (libwnn_jit.so; LLVM 19 not found)\n");
    return 77;
  }
  std::vector<uint8_t> kept;
  if (!opt.module.empty()) {
    std::ifstream in(opt.module, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "wnn-tierdiff: cannot read %s\n", opt.module.c_str());
      return 2;
    }
    kept.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    opt.count = 1;
  }
  uint64_t disagreements = 0, calls = 0, traps = 0, out_of_fuel = 0, switched = 0, switched_in_loop = 0, recompiled = 0,
           entry_upgraded = 0;
  for (uint64_t s = opt.seed; s < opt.seed + opt.count; ++s) {
    wnn_test::GenConfig config;
    config.differential = s % 2 == 0;
    const std::vector<uint8_t> bytes =
        kept.empty() ? wnn_test::generate_module(wnn_test::seed_bytes(s, opt.max_bytes), config) : kept;
    const auto interp = run_on(bytes, wnn::Tier::Interp, opt, s);
    const auto jit = run_on(bytes, opt.tier == "jit" ? wnn::Tier::Jit : wnn::Tier::Auto, opt, s);
    calls += interp.calls;
    traps += interp.traps;
    out_of_fuel += interp.out_of_fuel;
    switched += jit.switched;
    if (opt.verbose)
      for (size_t i = 0; i < std::max(interp.lines.size(), jit.lines.size()); ++i)
        std::printf("  %s | %s\n", i < interp.lines.size() ? interp.lines[i].c_str() : "",
                    i < jit.lines.size() ? jit.lines[i].c_str() : "");
    switched_in_loop += jit.switched_in_loop;
    recompiled += jit.recompiled;
    entry_upgraded += jit.entry_upgraded;
    if (agree(interp.lines, jit.lines, !config.differential)) continue;
    ++disagreements;
    std::printf("seed %" PRIu64 " (%s mode): the tiers disagree\n", s, config.differential ? "differential" : "fuzz");
    for (size_t i = 0; i < std::max(interp.lines.size(), jit.lines.size()); ++i) {
      const std::string a = i < interp.lines.size() ? interp.lines[i] : "(nothing)";
      const std::string b = i < jit.lines.size() ? jit.lines[i] : "(nothing)";
      if (a != b) std::printf("  interp: %s\n  %-7s %s\n", a.c_str(), (opt.tier + ":").c_str(), b.c_str());
    }
    if (!opt.keep.empty()) {
      const std::string path = opt.keep + "/tierdiff-" + std::to_string(s) + ".wasm";
      std::ofstream f(path, std::ios::binary);
      f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
      std::printf("  module written to %s\n", path.c_str());
    }
  }
  std::printf(
      "wnn-tierdiff (interp vs %s): %" PRIu64 " modules (seeds %" PRIu64 "..%" PRIu64 "), %" PRIu64
      " calls compared (%" PRIu64 " ended in errors or traps, %" PRIu64 " out of fuel), %" PRIu64 " disagreements",
      opt.tier.c_str(), opt.count, opt.seed, opt.seed + opt.count - 1, calls, traps, out_of_fuel, disagreements);
  if (opt.tier != "jit")
    std::printf("; %" PRIu64 " modules switched to compiled code during their run, %" PRIu64
                " of them in the middle of a loop (on-stack replacement), %" PRIu64 " compiled again Full, %" PRIu64
                " went on from a Quick loop entry in its Full one",
                switched, switched_in_loop, recompiled, entry_upgraded);
  std::printf("\n");
  return disagreements ? 1 : 0;
}
