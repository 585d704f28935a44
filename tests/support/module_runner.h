// A test module instantiated in its own Store (no imports) and its exports
// called; every failure is a test failure and gives empty results.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compile_checks.h"
#include "wnn/runtime.h"

namespace wnn::test {

class Runner {
 public:
  explicit Runner(const Bytes& bytes) {
    auto c = compile_ok(bytes);
    if (!c) return;
    auto r = store_.instantiate(c, [](std::string_view, std::string_view) { return std::optional<Extern>{}; });
    EXPECT_TRUE(r.ok()) << r.error().message;
    if (r.ok()) inst_ = *r;
  }
  explicit Runner(ModuleBuilder m) : Runner(m.build()) {}

  // The call's results or its error (a trap a test expects).
  Expected<std::vector<Value>> try_call(const char* name, const std::vector<Value>& args) {
    if (!inst_) return Error(ErrorKind::Usage, "the module was not instantiated");
    auto e = store_.find_export(inst_, name);
    if (!e || !e->func()) return Error(ErrorKind::Usage, std::string("no export ") + name);
    return store_.invoke(e->func(), args);
  }
  std::vector<Value> call(const char* name, const std::vector<Value>& args) {
    auto r = try_call(name, args);
    if (!r.ok()) {
      ADD_FAILURE() << name << ": " << r.error().message;
      return {};
    }
    return *r;
  }
  // i32 arguments; the results' low 64 bits (an i32 zero-extended).
  std::vector<uint64_t> call_i32(const char* name, const std::vector<uint32_t>& args) {
    std::vector<Value> vals;
    for (uint32_t a : args) vals.push_back(Value::i32(a));
    std::vector<uint64_t> out;
    for (const Value& v : call(name, vals)) out.push_back(v.type == ValType::I32 ? v.as_u32() : v.lo);
    return out;
  }

 private:
  Store store_;
  Instance* inst_ = nullptr;
};

}  // namespace wnn::test
