// gtest checks on decoding a test module. The decoder's tests write their
// modules byte by byte (tests/support/wasm_writer.h), not in WAT: most are
// malformed (bad lengths, LEB128s, section order, UTF-8), which WAT cannot say.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "binary/decoder.h"
#include "wasm_writer.h"

namespace wnn::binary::test {

using namespace wnn::test;

inline Expected<Module> decode(const Bytes& b) { return decode_module(b); }

// Succeeds when `r` is a Malformed error whose message contains `phrase`.
inline ::testing::AssertionResult Malformed(const Expected<Module>& r, std::string_view phrase) {
  if (r.ok()) return ::testing::AssertionFailure() << "decoded fine, expected \"" << phrase << "\"";
  if (r.error().kind != ErrorKind::Malformed)
    return ::testing::AssertionFailure() << "wrong error kind: " << r.error().message;
  if (r.error().message.find(phrase) == std::string::npos)
    return ::testing::AssertionFailure() << "message \"" << r.error().message << "\" lacks \"" << phrase << "\"";
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult Decodes(const Expected<Module>& r) {
  if (!r.ok()) return ::testing::AssertionFailure() << r.error().message;
  return ::testing::AssertionSuccess();
}

}  // namespace wnn::binary::test
