// gtest checks on compiling a test module: it must compile (compile_ok) or
// must not (compile_error), and EXPECT_HAS_SUBSTR for error messages.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "wasm_writer.h"
#include "wnn/expected.h"
#include "wnn/runtime.h"

namespace wnn::test {

// The error of a module that must not compile (a test failure if it does).
inline Error compile_error(const Bytes& bytes) {
  auto r = compile(bytes);
  if (r.ok()) {
    ADD_FAILURE() << "the module compiled, but an error was expected";
    return Error(ErrorKind::Usage, "<compiled>");
  }
  return r.error();
}

// The compiled module of a module that must compile (null and a test failure
// if it does not).
inline std::shared_ptr<const CompiledModule> compile_ok(const Bytes& bytes) {
  auto r = compile(bytes);
  if (!r.ok()) {
    ADD_FAILURE() << "compile failed: " << r.error().message;
    return nullptr;
  }
  return *r;
}

// EXPECT_HAS_SUBSTR(text, part): `text` contains `part` (a HasSubstr matcher
// without gmock, which this tree does not install).
inline ::testing::AssertionResult HasSubstr(const char* text_expr, const char* part_expr, const std::string& text,
                                            const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << text_expr << " (\"" << text << "\") does not contain " << part_expr << " (\""
                                       << part << "\")";
}
#define EXPECT_HAS_SUBSTR(text, part) EXPECT_PRED_FORMAT2(::wnn::test::HasSubstr, text, part)

}  // namespace wnn::test
