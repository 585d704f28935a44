// Reading a module (or a precompiled module) from disk for `wnn run` and
// `wnn compile`.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "wnn/expected.h"

namespace wnn::cli {

// A module's bytes, from a regular file only (a FIFO or device could block or
// never end). What the decoder does not need is not read: the custom sections
// after the last other section but `name` (binary::needed_ranges; a Rust debug
// build's 5.9 MB are 0.2 MB of code, data and names), which moves no offset an
// error message or backtrace names. A module with more than
// binary::kMaxModuleBytes to read is an Exhaustion error before anything is read.
Expected<std::vector<uint8_t>> read_module(const std::string& path);

// The first 64 KiB of a regular file (a module's types and imports), as a
// hint: empty when it cannot be read.
std::vector<uint8_t> read_head(const std::string& path);

}  // namespace wnn::cli
