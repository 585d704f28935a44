// The binary-format decoder: bytes -> Module (structure only; function bodies
// are kept as byte ranges and checked by the validator).
#pragma once
#include <cstdint>
#include <vector>

#include "wnn/expected.h"
#include "wnn/module.h"

namespace wnn::binary {

// Decodes a WebAssembly 2.0 binary module. `bytes` is moved into
// Module::bytes; every offset in the result refers to it. Errors are
// ErrorKind::Malformed and name the section and absolute byte offset.
Expected<Module> decode_module(std::vector<uint8_t> bytes);

}  // namespace wnn::binary
