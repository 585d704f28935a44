// The binary-format decoder: bytes -> Module (structure only; function bodies
// are kept as byte ranges and checked by the validator).
#pragma once
#include <cstdint>
#include <functional>
#include <span>
#include <string>
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

// Whether `bytes` start with the binary format's magic ("\0asm"): what a
// reader checks before taking a file for a module (decode_module says why
// one is not).
bool has_wasm_magic(std::span<const uint8_t> bytes);

// The module names a binary imports from, in order of first use, read from
// its import section alone: a look ahead of decode_module (wnn run starts the
// wasi-nn worker while the module compiles). Empty when the bytes are not a
// module or the section is malformed: decode_module says why.
std::vector<std::string> imported_modules(std::span<const uint8_t> bytes);

// Reading a module file without what decode_module does not need: the byte
// ranges of a `file_size`-byte file to read, in order. That is all of it up to
// the end of its last section other than a custom one, then each later
// custom section named "name" (function names for backtraces); the other
// custom sections after the last known one (a debug build's DWARF: most of
// its bytes) are left out, which moves no offset before them. The whole file
// when its sections do not walk (not a module, a size past the end, a custom
// section's name that is not UTF-8): decode_module then says why.
// `read(offset, n)`: up to n bytes at `offset`.
struct ByteRange {
  uint64_t offset, size;
};
using ReadAt = std::function<std::vector<uint8_t>(uint64_t offset, size_t n)>;
std::vector<ByteRange> needed_ranges(uint64_t file_size, const ReadAt& read);

}  // namespace wnn::binary
