// The on-disk code cache: compiled objects of a module's functions, reused
// by later runs (docs/compiler.md, "Code cache and artifacts").
//
//   DIR/code-v1/<module key>/<batch>.obj     one sealed object (sealed_file.h)
//
// The module key is the SHA-256 of the module's bytes and the CodeIdentity
// (wnn version, compiler build, LLVM version and code generation options,
// host CPU and features); a batch names the set of functions an object holds
// ("all", or a hash of the indices). An entry's header repeats the identity
// and the key: a corrupted, truncated, foreign or misplaced entry is
// detected, removed and reported as a miss, never returned.
//
// Processes share the cache: an entry is written to a temporary file in its
// directory and renamed into place (a reader sees a whole entry or none; two
// writers of one entry both write whole files and the last rename wins).
// Eviction keeps the total size under a cap, dropping the entries used least
// recently (a hit refreshes the entry's mtime); a reader that already opened
// an entry being evicted still reads it whole.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cache/sealed_file.h"
#include "wnn/expected.h"

namespace wnn::cache {

inline constexpr uint64_t kDefaultCacheBytes = uint64_t(512) << 20;

struct CacheStats {
  std::string dir;
  uint64_t modules = 0;  // entry directories
  uint64_t objects = 0;  // entries
  uint64_t bytes = 0;    // their total size
  uint64_t max_bytes = 0;
};

// $XDG_CACHE_HOME/wnn, else $HOME/.cache/wnn; "" when neither is set.
std::string default_cache_dir();
// wnn's version (CodeIdentity::wnn).
const char* wnn_version();

// Whether a module may have code stored under `dir`, told without the module
// key (which needs the compiler tier's identity, i.e. loading LLVM): a hint
// file named by a quick fingerprint of the module (its size, first and last
// 64 KiB), written with each entry. A run finding none does not load the
// compiler tier to link nothing; a stale or shared hint only costs that load.
bool may_have_code(const std::string& dir, std::span<const uint8_t> module_bytes);
void note_code(const std::string& dir, std::span<const uint8_t> module_bytes);

class CodeCache {
 public:
  // Creates `dir` (mode 0700) if needed; Io error when it cannot.
  static Expected<CodeCache> open(std::string dir, uint64_t max_bytes, CodeIdentity id);

  // `variant`: the compile options that change generated code beyond the
  // identity ("" for none; "exact-fuel").
  std::string module_key(std::span<const uint8_t> module_bytes, std::string_view variant = "") const;
  // "all" for every function (empty), else "b" + 32 hex digits of the
  // SHA-256 of the sorted indices.
  static std::string batch_name(std::span<const uint32_t> defined);

  // The object stored for (module key, batch), or nullopt. A hit refreshes
  // the entry's recency.
  std::optional<std::vector<uint8_t>> load(const std::string& key, const std::string& batch) const;
  // Every object stored for the module, by batch name.
  std::vector<std::pair<std::string, std::vector<uint8_t>>> load_all(const std::string& key) const;
  // Stores atomically, then evicts past the cap.
  Expected<void> store(const std::string& key, const std::string& batch, std::span<const uint8_t> object) const;

  Expected<CacheStats> stats() const;
  // Removes every entry; returns the bytes freed.
  Expected<uint64_t> clear() const;
  // Removes least recently used entries until the total is at most the cap.
  void evict() const;

  const std::string& dir() const { return dir_; }

 private:
  CodeCache(std::string dir, uint64_t max_bytes, CodeIdentity id)
      : dir_(std::move(dir)), max_bytes_(max_bytes), id_(std::move(id)) {}
  std::string root() const { return dir_ + "/code-v1"; }
  std::optional<std::vector<uint8_t>> read_entry(const std::string& key, const std::string& batch) const;

  std::string dir_;
  uint64_t max_bytes_;
  CodeIdentity id_;
};

}  // namespace wnn::cache
