// Fuzz target (b): instantiate and run modules. Built twice: as
// fuzz_instantiate_run on the interpreter, and as fuzz_jit_run
// (WNN_FUZZ_JIT=1) with every function compiled by the compiler tier
// (CompileOptions::tier = Tier::Jit), the same inputs, the same fuel; half of
// fuzz_jit_run's inputs (by their hash) run on Tier::Auto compiling
// synchronously after a few small samples instead, so that running
// activations switch to compiled code at loop headers (on-stack replacement,
// docs/compiler.md "Tiering") at input-dependent points, and Quick code (a
// running Quick loop entry too) is replaced by Full code mid-run. A build
// without the compiler tier (no libwnn_jit.so) makes fuzz_jit_run run
// nothing, and it says so.
//
// An input that starts with the binary magic "\0asm" is taken as a module
// (the spec suite's modules of the seed corpus and their mutations: odd
// encodings, imports, SIMD, reference types); any other input is fed to the
// module generator (tests/support/module_gen.h), which makes a valid module
// of it (deep control flow, loops, calls, traps; raw mutations rarely stay
// valid). A generated module that does not compile is a bug (of the
// generator or the validator): the target aborts.
//
// If the module compiles and imports only from `spectest` (print functions,
// globals, table, memory: provided), it is instantiated (start function
// included) and every exported function is invoked with arguments derived
// from the input. Traps and link errors are fine; crashes, sanitizer reports
// and hangs are not.
//
// Termination: the store has a fuel limit (StoreConfig::fuel: about one unit
// per instruction, charged at calls and loop back-edges) shared by the start
// function and all calls, so loops and recursion run until they trap with
// OutOfFuel. Memories and tables are kept small by StoreConfig limits: a
// module asking for more fails to instantiate, and grow returns -1.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "module_gen.h"
#include "spectest_host.h"
#include "wnn/runtime.h"

#ifndef WNN_FUZZ_JIT
#define WNN_FUZZ_JIT 0
#endif
#ifndef WNN_TEST_HAVE_JIT
#define WNN_TEST_HAVE_JIT 0
#endif

namespace {

constexpr const char* kName = WNN_FUZZ_JIT ? "fuzz_jit_run" : "fuzz_instantiate_run";
constexpr wnn::Tier kTier = WNN_FUZZ_JIT ? wnn::Tier::Jit : wnn::Tier::Interp;

// Fuel per input (WNN_FUZZ_FUEL overrides). Calls and loop back-edges are
// charged, straight-line code is not, so a unit can be many instructions.
const uint64_t kFuel =
    std::getenv("WNN_FUZZ_FUEL") ? std::strtoull(std::getenv("WNN_FUZZ_FUEL"), nullptr, 0) : 1'000'000;
constexpr uint64_t kMaxPages = 16;  // 1 MiB: fuel does not charge memory.fill/copy/init by length
constexpr uint64_t kMaxTableElems = 100'000;

// Arguments derived from the input: mostly small values, some edge cases.
struct ArgGen {
  uint64_t state;
  uint64_t next() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    uint64_t x = state >> 11;
    switch (x & 7) {
      case 0:
      case 1: return 0;
      case 2: return 1;
      case 3: return ~uint64_t(0);
      case 4: return (x >> 3) & 0xffff;
      case 5: return uint64_t(1) << ((x >> 3) & 63);
      default: return x * 0x9E3779B97F4A7C15ull;
    }
  }
};

// WNN_FUZZ_STATS=1: at exit, how far the inputs got.
struct Stats {
  uint64_t inputs = 0, generated = 0, compiled = 0, imports_ok = 0, instantiated = 0, calls = 0, traps = 0,
           out_of_fuel = 0, switching = 0;
  bool on = std::getenv("WNN_FUZZ_STATS") != nullptr;
  ~Stats() {
    if (on)
      std::fprintf(stderr,
                   "%s: %llu inputs (%llu generated), %llu compiled, %llu spectest-only, "
                   "%llu instantiated, %llu calls (%llu trapped, %llu out of fuel), %llu on switching tiers\n",
                   kName, (unsigned long long)inputs, (unsigned long long)generated, (unsigned long long)compiled,
                   (unsigned long long)imports_ok, (unsigned long long)instantiated, (unsigned long long)calls,
                   (unsigned long long)traps, (unsigned long long)out_of_fuel, (unsigned long long)switching);
  }
};
Stats stats;

void count_trap(const wnn::Error& e) {
  ++stats.traps;
  if (e.trap == wnn::TrapKind::OutOfFuel) ++stats.out_of_fuel;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (WNN_FUZZ_JIT && !WNN_TEST_HAVE_JIT) {
    static bool said = false;
    if (!said) std::fprintf(stderr, "%s: this build has no compiler tier (libwnn_jit.so): nothing is run\n", kName);
    said = true;
    return 0;
  }
  ++stats.inputs;
  const bool generated = size < 4 || std::memcmp(data, "\0asm", 4) != 0;
  std::vector<uint8_t> bytes;
  if (generated) {
    ++stats.generated;
    bytes = wnn_test::generate_module({data, size});
  } else {
    bytes.assign(data, data + size);
  }
  uint64_t seed = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < size; ++i) seed = (seed ^ data[i]) * 0x100000001b3ull;
  wnn::CompileOptions options;
  options.tier = kTier;
  options.exact_fuel = seed % 4 < 2;  // the Store has fuel: with and without the code for it
  if (WNN_FUZZ_JIT && seed % 2) {
    ++stats.switching;
    options.tier = wnn::Tier::Auto;
    options.tiering.synchronous = true;
    options.tiering.sample_chunk = uint32_t(1 + seed / 2 % 199);
    options.tiering.hot_samples = uint32_t(1 + seed / 512 % 4);
    // Quick code compiled again Full mid-run, a Quick loop entry switching to its Full one.
    options.tiering.full_samples = uint32_t(1 + seed / 4096 % 6);
  }
  auto compiled = wnn::compile(bytes, options);
  if (!compiled) {
    if (generated) {
      std::fprintf(stderr, "%s: a generated module does not compile: %s\n", kName, compiled.error().message.c_str());
      std::abort();
    }
    return 0;
  }
  ++stats.compiled;
  for (const wnn::ImportType& imp : wnn::module_imports(**compiled))
    if (imp.module != "spectest") return 0;
  ++stats.imports_ok;

  wnn::StoreConfig config;
  config.max_call_depth = 2000;
  config.value_stack_slots = 1 << 16;
  config.fuel = kFuel;
  config.max_memory_pages = kMaxPages;
  config.max_table_elems = kMaxTableElems;
  wnn::Store store(config);
  wnn_test::ExternMap spectest;
  std::string error;
  if (!wnn_test::make_spectest(store, spectest, error)) return 0;
  auto inst = store.instantiate(*compiled, [&](std::string_view mod, std::string_view name) {
    return wnn_test::resolve_spectest(spectest, mod, name);
  });
  if (!inst) {
    if (inst.error().kind == wnn::ErrorKind::Trap) count_trap(inst.error());
    return 0;
  }
  ++stats.instantiated;

  ArgGen gen{seed};
  for (const auto& [name, ext] : store.exports(*inst)) {
    wnn::FuncInst* f = ext.func();
    if (!f) continue;
    std::vector<wnn::Value> args;
    for (wnn::ValType t : store.func_type(f).params) {
      switch (t) {
        case wnn::ValType::I32: args.push_back(wnn::Value::i32(uint32_t(gen.next()))); break;
        case wnn::ValType::I64: args.push_back(wnn::Value::i64(gen.next())); break;
        case wnn::ValType::F32: args.push_back(wnn::Value::f32_bits(uint32_t(gen.next()))); break;
        case wnn::ValType::F64: args.push_back(wnn::Value::f64_bits(gen.next())); break;
        case wnn::ValType::V128: args.push_back(wnn::Value::v128(gen.next(), gen.next())); break;
        default: args.push_back(wnn::Value::ref(t, 0)); break;
      }
    }
    ++stats.calls;
    auto r = store.invoke(f, args);
    if (!r) count_trap(r.error());
  }
  return 0;
}
