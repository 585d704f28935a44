// Validates one function body and translates it, in the same pass, into the
// interpreter's register-style code (src/exec/code.h).
#pragma once
#include <cstdint>
#include <vector>

#include "binary/module.h"
#include "exec/code.h"
#include "wnn/expected.h"
#include "wnn/runtime.h"

namespace wnn::valid {

// What a function body may refer to: the module's index spaces.
struct ModuleContext {
  const Module& module;
  std::vector<uint32_t> func_types;    // type index per function (imports first)
  std::vector<GlobalType> globals;     // imports first
  std::vector<TableType> tables;       // imports first
  uint32_t num_memories = 0;
  std::vector<bool> declared_funcs;    // may be named by ref.func
  const CompileOptions* options = nullptr;  // interruption (may be null)
};

// Has the embedder asked compile to stop (CompileOptions)?
bool stop_requested(const CompileOptions& options);
// The error compile then returns; `where` says how far it got.
Error interrupted_compile(const std::string& where);

// `defined_index` indexes Module::functions / Module::codes.
Expected<exec::FunctionCode> translate_function(const ModuleContext& cx, uint32_t defined_index);

// The most slots a frame may use; deeper frames are rejected at validation
// rather than failing at run time.
constexpr uint32_t kMaxFrameSlots = 1u << 20;

// The deepest nesting of blocks, loops and ifs in a function: translation
// keeps a record per open block, and this bounds what that costs (a
// function body of nested blocks would otherwise take ~70x its size).
constexpr uint32_t kMaxControlDepth = 1u << 16;

}  // namespace wnn::valid
