// A generator of always-valid WebAssembly modules from arbitrary bytes, for
// fuzzing (fuzz_instantiate_run) and the differential test against wabt
// (tests/diff). Every input gives a module that decodes and validates; the
// bytes only steer the choices, and missing bytes read as zeros, which pick
// the simplest choice (so generation always ends).
//
// A module has a few function types and functions (i32/i64/f32/f64/v128
// params, results and locals), one small memory with a maximum, mutable globals, two
// funcref tables, active, passive and declarative element segments, active
// and passive data segments, and bodies of numeric, memory, bulk-memory,
// table and reference (table.get/set/size/grow/fill/copy/init, elem.drop,
// ref.null/func/is_null), variable and control instructions (blocks, loops,
// if/else, br/br_if/br_table, calls and call_indirect, select, return,
// unreachable, both forms of select) and SIMD (module_gen_simd.cpp: v128
// constants, splats, lanes, shuffles, lane arithmetic, comparisons,
// conversions, tests, loads and stores incl. lane forms) built by a
// type-stack-driven walk. Every function is exported.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace wnn_test {

struct GenConfig {
  // Deterministic and terminating without an engine fuel limit, for
  // comparing engines:
  //   - every loop is bounded by a counter local and by a global budget
  //     that each entry point resets; when either runs out, the loop exits
  //     (with constant results) instead of trapping;
  //   - calls only go to functions with a higher index (directly, and
  //     call_indirect through constant slots of table 0, which no
  //     instruction changes: table instructions write table 1 only), so no
  //     recursion;
  //   - floats are canonicalised where their NaN bits could become
  //     visible (stores, reinterpretations, copysign's sign operand,
  //     splat/replace_lane), float lanes of v128s right after each SIMD
  //     float operation;
  //   - no imports, no start function; the exports are entry points
  //     "e<i>" without parameters that call function i with constant
  //     arguments and return its results, floats reinterpreted as integers
  //     and v128s as two i64s,
  //     and, last, "state": a hash of the globals and the memory.
  // Otherwise (fuzzing) loops may run forever (the engine's fuel stops
  // them), calls may recurse, and spectest print functions may be imported.
  bool differential = false;
};

// A binary module; `data` may be anything, including empty.
std::vector<uint8_t> generate_module(std::span<const uint8_t> data, const GenConfig& config = {});

// The generator's input for module number `seed` of a differential run: 64
// to 64 + max_bytes pseudo-random bytes (splitmix64; nearby seeds give
// unrelated streams).
std::vector<uint8_t> seed_bytes(uint64_t seed, uint64_t max_bytes = 8000);

}  // namespace wnn_test
