// Strict parsers for the values of wnn's options and for `--invoke`
// arguments. Each accepts the whole string or fails with a usage error that
// names the option, the text and the accepted range: nothing wraps ("-1" is
// not a huge unsigned number), nothing is silently clamped.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "wnn/expected.h"
#include "wnn/value.h"

namespace wnn::cli {

// A decimal count in [min, max]: "1000", "1_000" is not accepted.
Expected<uint64_t> parse_count(std::string_view option, std::string_view text, uint64_t min, uint64_t max);

// Bytes with an optional binary suffix: "65536", "64K", "256M", "4G" (also Ki/Mi/Gi, k), at most `max`.
Expected<uint64_t> parse_size(std::string_view option, std::string_view text, uint64_t max);

// Seconds, a finite decimal number in (0, max]: "2", "0.25", "1e3".
Expected<double> parse_seconds(std::string_view option, std::string_view text, double max);

// A command-line argument as a value of type `t`: decimal or 0x-hex integers
// (negative allowed, within the type's range either signed or unsigned),
// floats in any strtod form (inf, -inf, nan, -0, 1e-3, 0x1p-3).
Expected<Value> parse_value(std::string_view text, ValType t);

// A result as `wnn run --invoke` prints it: integers signed, floats with enough
// digits to round-trip.
std::string format_value(const Value& v);

}  // namespace wnn::cli
