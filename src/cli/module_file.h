// Reading a module (or a precompiled module) from disk for `wnn run` and
// `wnn compile`.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "wnn/expected.h"

namespace wnn::cli {

// A module file, opened once: a regular file only (a FIFO or device could
// block or never end). Its first 64 KiB (a module's types and imports) are
// read at open, for a look ahead (binary::imported_modules); read() then
// reads what the decoder needs and reuses them.
class ModuleFile {
 public:
  static Expected<ModuleFile> open(const std::string& path);
  ModuleFile(ModuleFile&& other) noexcept;
  ModuleFile& operator=(ModuleFile&&) = delete;
  ModuleFile(const ModuleFile&) = delete;
  ~ModuleFile();

  std::span<const uint8_t> head() const { return head_; }

  // The module's bytes without what the decoder does not need: the custom
  // sections after the last other section but `name` (binary::needed_ranges;
  // a Rust debug build's 5.9 MB are 0.2 MB of code, data and names), which
  // moves no offset an error message or backtrace names. A module with more
  // than binary::kMaxModuleBytes to read, or a precompiled module (read
  // whole) over cache::kMaxArtifactBytes, is an Exhaustion error before
  // anything more is read; of any other file only the head is returned (the
  // decoder rejects it by its first bytes).
  Expected<std::vector<uint8_t>> read();

 private:
  ModuleFile(std::string path, int fd, uint64_t size) : path_(std::move(path)), fd_(fd), size_(size) {}
  std::string path_;
  int fd_;
  uint64_t size_;
  std::vector<uint8_t> head_;
};

// ModuleFile::open, then read().
Expected<std::vector<uint8_t>> read_module(const std::string& path);

}  // namespace wnn::cli
