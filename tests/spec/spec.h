// The spec-test runner (wnn-spec): shared declarations.
//
// It runs the command lists that wabt's wast2json makes of the official
// WebAssembly test suite (*.json next to the binary modules *.N.wasm).
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "wnn/host.h"
#include "wnn/runtime.h"
#include "wnn/value.h"

namespace wnn {
class Store;
}

namespace wnn_spec {

using nlohmann::json;

struct Options {
  int verbosity = 0;       // -v: failures; -vv: also notes and spectest prints
  bool simd = false;       // --simd: also run <suite>/simd/*.json
  bool by_kind = false;    // --by-kind: totals per command type
  bool isolate = true;     // run each file in a child process (--no-fork: in-process)
  unsigned timeout = 60;   // seconds per file in a child process (0: none)
  wnn::Tier tier = wnn::Tier::Interp;  // --tier interp|jit|auto|switch|aot: how modules run
  wnn::TieringOptions tiering;         // switch: Tier::Auto compiling synchronously, early
  wnn::JitLevel jit_level = wnn::JitLevel::Full;  // jit-quick: Tier::Jit with the Quick pipeline
  bool aot = false;  // --tier aot: each module through `wnn compile`'s artifact and back (src/cache/artifact.h)
};

// Command types, for the per-kind totals.
enum Kind : int {
  kModule,
  kRegister,
  kAction,
  kAssertReturn,
  kAssertTrap,
  kAssertExhaustion,
  kAssertInvalid,
  kAssertMalformed,
  kAssertUnlinkable,
  kAssertUninstantiable,
  kOther,    // unknown command types (always failures)
  kNotRun,   // commands after a crash or time-out of their file
  kNumKinds,
};
const char* kind_name(int kind);
int kind_of(std::string_view type);

struct Counts {
  uint64_t passed = 0, failed = 0, skipped = 0;
  void add(const Counts& o) {
    passed += o.passed;
    failed += o.failed;
    skipped += o.skipped;
  }
};

// Results of one file. Plain data: in isolated mode it lives in memory shared
// with the child process that runs the file, so that it survives a crash.
struct Stats {
  Counts by_kind[kNumKinds];
  uint64_t other_kind_rejections = 0;  // assert_invalid rejected as malformed or vice versa
  uint64_t message_mismatches = 0;     // trap/exhaustion text not found in the message
  uint64_t commands_total = 0;         // commands in the file (once parsed)
  uint64_t commands_done = 0;          // commands finished
  int64_t current_line = -1;           // line of the command being run
  int current_kind = kOther;
  char note[240] = {};                 // file-level problem (unreadable, bad JSON, ...)

  Counts total() const {
    Counts c;
    for (const Counts& k : by_kind) c.add(k);
    return c;
  }
  void add(const Stats& o) {
    for (int i = 0; i < kNumKinds; ++i) by_kind[i].add(o.by_kind[i]);
    other_kind_rejections += o.other_kind_rejections;
    message_mismatches += o.message_mismatches;
    commands_total += o.commands_total;
    commands_done += o.commands_done;
  }
};

// Runs one JSON command file in a fresh Store; `display` names it in messages.
void run_script(const Options& opts, const std::filesystem::path& json_path, const std::string& display, Stats& stats);

// --- values (json_values.cpp) ---

// An argument value, e.g. {"type": "i32", "value": "42"}; empty `error` on success.
bool parse_value(const json& j, wnn::Value& out, std::string& error);
// Whether `actual` matches an expected value (NaN patterns, lanes, refs, "either").
bool match_value(const json& expected, const wnn::Value& actual);
// "i32:42", "f32:nan:canonical", "v128:i16x8 [1 2 ...]", "externref:7".
std::string describe_json_value(const json& j);
// An actual value; `lane_type` chooses how a v128 is shown.
std::string describe_value(const wnn::Value& v, std::string_view lane_type = "i32");
// The lane type of an expected v128 (or "i32").
std::string lane_type_of(const json& expected);
// Externref host handle N as a reference word (N + 1; 0 is null).
inline uint64_t externref_word(uint64_t n) { return n + 1; }

// --- the spectest module (spectest_host.cpp) ---

using ExternMap = std::map<std::string, wnn::Extern, std::less<>>;
// Creates the "spectest" functions, globals, table and memory in `store`.
bool make_spectest(wnn::Store& store, int verbosity, ExternMap& out, std::string& error);

}  // namespace wnn_spec
