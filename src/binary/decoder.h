// The binary-format decoder: bytes -> Module (structure only; function bodies
// are kept as byte ranges and checked by the validator).
#pragma once
#include <cstdint>
#include <vector>

#include "binary/module.h"
#include "wnn/expected.h"

namespace wnn::binary {

// Implementation limits beyond the spec's, those of the JS API that web
// engines and wasmparser share, so that the host memory compile needs stays
// proportionate (docs/security.md). Past one: ErrorKind::Exhaustion.
constexpr uint64_t kMaxModuleBytes = uint64_t(1) << 30;
constexpr uint32_t kMaxDefinedFunctions = 1'000'000;
constexpr uint32_t kMaxFunctionBodyBytes = 7'654'321;  // locals declarations included
// Items of all element segments together (the JS API's limit per segment,
// and the largest table): each costs 32 bytes when decoded.
constexpr uint64_t kMaxElemItems = 10'000'000;

// Decodes a WebAssembly 2.0 binary module. `bytes` is moved into
// Module::bytes; every offset in the result refers to it. Errors are
// ErrorKind::Malformed and name the section and absolute byte offset.
Expected<Module> decode_module(std::vector<uint8_t> bytes);

}  // namespace wnn::binary
