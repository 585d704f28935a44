// GraphConfig on nlohmann-json (Debian's nlohmann-json3-dev, header-only).
// Compiled into wnn and into each backend module: every exception the
// library throws is caught here and becomes a Failure.
#include "nn/graph_config.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <exception>

#include <nlohmann/json.hpp>

namespace wnn::nn {

using Json = nlohmann::json;

struct GraphConfig::Impl {
  Json object = Json::object();
  std::vector<std::string> known;  // the keys read so far
};

std::string printable_config_text(std::string_view s, size_t max) {
  std::string out;
  for (size_t i = 0; i < s.size() && i < max; ++i) {
    const unsigned char c = s[i];
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += char(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (s.size() > max) out += "...";
  return out;
}

namespace {

std::string printable(std::string_view s, size_t max = 64) { return printable_config_text(s, max); }

std::string key_name(std::string_view key) { return "config key \"" + printable(key) + "\""; }

// The deepest nesting of arrays and objects outside strings: checked before
// parsing, so that no parser (or destructor) walks a deeply nested value.
uint32_t nesting(std::string_view s) {
  uint32_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : s) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == '}' || c == ']') && depth) {
      --depth;
    }
  }
  return deepest;
}

// "a string", "an array", ... for messages.
std::string a_type(const Json& v) {
  const std::string t = v.type_name();
  return (t == "array" || t == "object" ? "an " : "a ") + t;
}

Result<Json> parse_object(std::string_view text) {
  if (text.empty()) return Json::object();
  if (text.size() > kMaxConfigBytes)
    return Failure{kTooLarge, "config of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                                  std::to_string(kMaxConfigBytes)};
  if (nesting(text) > kMaxConfigDepth)
    return Failure{kInvalidArgument,
                   "config nests arrays/objects deeper than " + std::to_string(kMaxConfigDepth) + " levels"};
  try {
    Json j = Json::parse(text.begin(), text.end());
    if (!j.is_object())
      return Failure{kInvalidArgument, "config must be a JSON object ({\"key\": value, ...}), got " + a_type(j)};
    return j;
  } catch (const Json::exception& e) {
    // "[json.exception.parse_error.101] parse error at line 1, column 9: ..." (it quotes guest bytes).
    std::string why = e.what();
    if (size_t at = why.find("] "); at != std::string::npos) why = why.substr(at + 2);
    return Failure{kInvalidArgument, "config is not valid JSON: " + printable(why, 200)};
  } catch (const std::exception& e) {
    return Failure{kRuntimeError, std::string("config cannot be parsed: ") + e.what()};
  }
}

}  // namespace

GraphConfig::GraphConfig() : impl_(std::make_unique<Impl>()) {}
GraphConfig::GraphConfig(GraphConfig&&) noexcept = default;
GraphConfig& GraphConfig::operator=(GraphConfig&&) noexcept = default;
GraphConfig::~GraphConfig() = default;

Result<GraphConfig> GraphConfig::parse(std::string_view json) {
  auto j = parse_object(json);
  if (!j) return j.failure();
  GraphConfig c;
  c.impl_->object = std::move(*j);
  return c;
}

Result<std::string> GraphConfig::merge(std::string_view base, std::string_view over) {
  auto b = parse_object(base);
  if (!b) return b.failure();
  auto o = parse_object(over);
  if (!o) return o.failure();
  try {
    for (auto& [k, v] : o->items()) (*b)[k] = v;
    if (b->empty()) return std::string();
    return b->dump();
  } catch (const std::exception& e) {
    return Failure{kRuntimeError, std::string("config cannot be merged: ") + e.what()};
  }
}

bool GraphConfig::empty() const { return impl_->object.empty(); }

namespace {
// The value of `key` in `o` (null when absent), and `key` recorded as known.
const Json* find(Json& o, std::vector<std::string>& known, std::string_view key) {
  if (std::find(known.begin(), known.end(), key) == known.end()) known.emplace_back(key);
  auto it = o.find(std::string(key));
  return it == o.end() ? nullptr : &*it;
}

Failure wrong_type(std::string_view key, const char* want, const Json& v) {
  return Failure{kInvalidArgument, key_name(key) + " must be " + want + ", got " + a_type(v)};
}
}  // namespace

Result<std::optional<std::string>> GraphConfig::string(std::string_view key, size_t max_length) {
  const Json* v = find(impl_->object, impl_->known, key);
  if (!v) return std::optional<std::string>();
  if (!v->is_string()) return wrong_type(key, "a string", *v);
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_length)
    return Failure{kInvalidArgument, key_name(key) + ": a string of " + std::to_string(s.size()) +
                                         " bytes exceeds the limit of " + std::to_string(max_length)};
  return std::optional<std::string>(s);
}

Result<std::optional<std::string>> GraphConfig::one_of(std::string_view key,
                                                       std::initializer_list<std::string_view> values) {
  auto s = string(key, 256);
  if (!s || !*s) return s;
  std::string list;
  for (std::string_view v : values) {
    const std::string& got = **s;
    if (got.size() == v.size() && std::equal(got.begin(), got.end(), v.begin(), [](char a, char b) {
          return std::tolower((unsigned char)a) == std::tolower((unsigned char)b);
        }))
      return std::optional<std::string>(std::string(v));
    list += (list.empty() ? "" : ", ") + std::string(v);
  }
  return Failure{kInvalidArgument, key_name(key) + ": \"" + printable(**s) + "\" is not one of " + list};
}

Result<std::optional<int64_t>> GraphConfig::integer(std::string_view key, int64_t min, int64_t max) {
  const Json* v = find(impl_->object, impl_->known, key);
  if (!v) return std::optional<int64_t>();
  if (!v->is_number_integer()) return wrong_type(key, "an integer", *v);
  const bool fits = v->is_number_unsigned() ? v->get<uint64_t>() <= uint64_t(max) &&
                                                  v->get<uint64_t>() >= uint64_t(std::max<int64_t>(min, 0))
                                            : v->get<int64_t>() >= min && v->get<int64_t>() <= max;
  if (!fits)
    return Failure{kInvalidArgument, key_name(key) + ": " + v->dump() + " is outside " + std::to_string(min) + ".." +
                                         std::to_string(max)};
  return std::optional<int64_t>(v->get<int64_t>());
}

Result<std::optional<double>> GraphConfig::number(std::string_view key, double min, double max) {
  const Json* v = find(impl_->object, impl_->known, key);
  if (!v) return std::optional<double>();
  if (!v->is_number()) return wrong_type(key, "a number", *v);
  const double d = v->get<double>();
  if (!std::isfinite(d) || d < min || d > max) {
    char range[64];
    std::snprintf(range, sizeof range, "%g..%g", min, max);
    return Failure{kInvalidArgument, key_name(key) + ": " + printable(v->dump()) + " is outside " + range};
  }
  return std::optional<double>(d);
}

Result<std::optional<bool>> GraphConfig::boolean(std::string_view key) {
  const Json* v = find(impl_->object, impl_->known, key);
  if (!v) return std::optional<bool>();
  if (!v->is_boolean()) return wrong_type(key, "true or false", *v);
  return std::optional<bool>(v->get<bool>());
}

Result<void> GraphConfig::no_other_keys(std::string_view backend) const {
  for (const auto& [k, v] : impl_->object.items()) {
    if (std::find(impl_->known.begin(), impl_->known.end(), k) != impl_->known.end()) continue;
    std::string list;
    for (const std::string& n : impl_->known) list += (list.empty() ? "" : ", ") + n;
    return Failure{kInvalidArgument, key_name(k) + " is unknown to the " + std::string(backend) +
                                         " backend (it knows: " + (list.empty() ? "no keys" : list) + ")"};
  }
  return {};
}

}  // namespace wnn::nn
