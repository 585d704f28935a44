// The on-disk container of compiled code, shared by code-cache entries and
// precompiled artifacts: a header naming what the code depends on, a SHA-256
// checksum over everything after it, then the payload sections.
//
//   0  magic[8]        "WNNCACHE" (cache entry) or "WNNCWASM" (artifact)
//   8  u32 format      kSealedFormat; anything else is refused
//   12 u32 header size offset of the first section
//   16 digest[32]      SHA-256 of bytes 48..end
//   48 strings (u32 length + bytes): wnn version, build, llvm, cpu, key;
//      u32 section count; u64 size of each section
//   header size: the sections, back to back, to the end of the file
//
// unseal checks, in order: magic, format, that the header and sections fit
// the file exactly (truncation), the checksum (corruption), then wnn
// version/build, LLVM, CPU and key, each mismatch with its own message.
// A file that passes was written by this wnn build for this host; its
// contents are then trusted (they are machine code).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wnn/expected.h"

namespace wnn::cache {

inline constexpr uint32_t kSealedFormat = 1;
inline constexpr std::string_view kCacheMagic = "WNNCACHE";
inline constexpr std::string_view kArtifactMagic = "WNNCWASM";

// What compiled code depends on besides the module (exec::JitTarget plus
// wnn's version).
struct CodeIdentity {
  std::string wnn;    // wnn's version
  std::string build;  // the compiler library's build id
  std::string llvm;   // LLVM's version and code generation options
  std::string cpu;    // triple, CPU name, features
};

using Section = std::span<const uint8_t>;

std::vector<uint8_t> seal(std::string_view magic, const CodeIdentity& id, std::string_view key,
                          std::span<const Section> sections);

// `what` names the file in messages ("artifact app.cwasm"). Sections point
// into `file`. Errors are ErrorKind::Invalid (Usage for another magic).
Expected<std::vector<Section>> unseal(std::span<const uint8_t> file, std::string_view magic, const CodeIdentity& id,
                                      std::string_view key, const std::string& what);

// Whether `file` starts with `magic` (artifact detection).
bool has_magic(std::span<const uint8_t> file, std::string_view magic);

// Writes `bytes` to a fresh temporary file beside `path` (created with `mode`,
// named ".tmp-<name>-" with pid, a counter and a random number, so concurrent writers never
// share one), then renames it over `path`: a reader sees the old file or the
// whole new one. The temporary file is removed on failure.
Expected<void> write_file_atomically(const std::string& path, std::span<const uint8_t> bytes, unsigned mode);

}  // namespace wnn::cache
