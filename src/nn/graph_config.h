// A graph's configuration: the JSON object a guest passes to
// load_by_name_with_config, or `wnn run --nn-config NAME=JSON` gives a named
// graph. The host checks its syntax and merges the two (nn.cpp); the raw
// text travels to the backend (LoadOptions::config, through the worker's
// arena), and each backend reads its own keys with the typed getters below
// and refuses the rest with no_other_keys. The text is attacker input:
// bounded in size and nesting, parsed without exceptions, and every message
// names the key (shortened and escaped: keys are guest bytes too).
#pragma once
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nn/backend.h"

namespace wnn::nn {

constexpr size_t kMaxConfigBytes = 64 << 10;  // more: too_large
constexpr uint32_t kMaxConfigDepth = 8;       // nesting of arrays/objects, the top object included

// At most `max` bytes of config text for a message: printable ASCII as is,
// other bytes as \xNN (one log line, whatever the guest wrote).
std::string printable_config_text(std::string_view s, size_t max = 64);

class GraphConfig {
 public:
  // Parses `json`: empty text means no keys; anything else must be one JSON
  // object. invalid_argument (malformed, not an object, too deep) or
  // too_large, with a reason that starts "config ...".
  static Result<GraphConfig> parse(std::string_view json);
  // The keys of `over` replacing those of `base` (both as parse accepts),
  // as compact JSON text; "" when no key is left, so equal configs compare equal.
  static Result<std::string> merge(std::string_view base, std::string_view over);

  GraphConfig();
  GraphConfig(GraphConfig&&) noexcept;
  GraphConfig& operator=(GraphConfig&&) noexcept;
  ~GraphConfig();

  bool empty() const;
  // Typed reads: nullopt when the key is absent; invalid_argument naming the
  // key when its value has the wrong type or range. Each marks its key known.
  Result<std::optional<std::string>> string(std::string_view key, size_t max_length = 4096);
  // A string from `values`, compared case-insensitively; returns the entry of `values`.
  Result<std::optional<std::string>> one_of(std::string_view key, std::initializer_list<std::string_view> values);
  Result<std::optional<int64_t>> integer(std::string_view key, int64_t min, int64_t max);
  Result<std::optional<double>> number(std::string_view key, double min, double max);  // integers too
  Result<std::optional<bool>> boolean(std::string_view key);
  // invalid_argument naming the first key no read above asked for, and the
  // keys `backend` knows (those read so far).
  Result<void> no_other_keys(std::string_view backend) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wnn::nn
