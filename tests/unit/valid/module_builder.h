// Assembles binary modules for the validator tests: a list of function types
// and bodies plus the optional sections a test needs, so that a test reads
//
//   ModuleBuilder m;
//   uint32_t t = m.type({I32, I32}, {I32});
//   m.func(t, body({0x20, 0, 0x20, 1, 0x6A, 0x0B}));
//   auto r = wnn::compile(m.build());
//
// Bodies are the raw instruction bytes, the final `end` (0x0B) included.
// After build(), body_offset(i) is the absolute offset of the first
// instruction of defined function i (what error messages report).
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wnn/expected.h"
#include "wnn/runtime.h"
#include "wnn/types.h"

namespace wnn::valid::test {

using Bytes = std::vector<uint8_t>;

inline Bytes uleb(uint64_t v) {
  Bytes out;
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    out.push_back(v ? uint8_t(b | 0x80) : b);
  } while (v);
  return out;
}

inline Bytes sleb(int64_t v) {
  Bytes out;
  for (;;) {
    uint8_t b = v & 0x7F;
    v >>= 7;  // arithmetic
    bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    out.push_back(done ? b : uint8_t(b | 0x80));
    if (done) return out;
  }
}

inline void append(Bytes& out, const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); }

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) append(out, p);
  return out;
}

// The instruction bytes of a body or constant expression.
inline Bytes body(std::initializer_list<uint8_t> b) { return Bytes(b); }

inline Bytes name_bytes(const std::string& s) {
  Bytes out = uleb(s.size());
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

inline Bytes i32_const(int32_t v) { return cat({{0x41}, sleb(v)}); }
inline Bytes i64_const(int64_t v) { return cat({{0x42}, sleb(v)}); }

// A run of `count` locals of one type (count is 64-bit so that out-of-range
// LEB128 values can be written too).
struct Local {
  uint64_t count;
  ValType type;
};

class ModuleBuilder {
 public:
  // Section contents, in the order the binary format requires.
  uint32_t type(std::vector<ValType> params, std::vector<ValType> results) {
    Bytes t = {0x60};
    append(t, uleb(params.size()));
    for (ValType v : params) t.push_back(uint8_t(v));
    append(t, uleb(results.size()));
    for (ValType v : results) t.push_back(uint8_t(v));
    types_.push_back(std::move(t));
    return uint32_t(types_.size() - 1);
  }

  // Imports; each returns the index in its index space.
  uint32_t import_func(uint32_t type) {
    imports_.push_back(cat({name_bytes("env"), name_bytes("f" + std::to_string(imports_.size())), {0x00}, uleb(type)}));
    return num_imported_funcs_++;
  }
  uint32_t import_global(ValType t, bool mut) {
    imports_.push_back(cat({name_bytes("env"),
                            name_bytes("g" + std::to_string(imports_.size())),
                            {0x03, uint8_t(t), uint8_t(mut ? 1 : 0)}}));
    return num_imported_globals_++;
  }
  void import_memory(uint64_t min, std::optional<uint64_t> max = {}) {
    imports_.push_back(
        cat({name_bytes("env"), name_bytes("m" + std::to_string(imports_.size())), {0x02}, limits(min, max)}));
  }

  // A defined function; returns its index in the function index space.
  uint32_t func(uint32_t type, Bytes code, std::vector<Local> locals = {}) {
    funcs_.push_back({type, std::move(locals), std::move(code)});
    return num_imported_funcs_ + uint32_t(funcs_.size() - 1);
  }
  void table(ValType elem, uint64_t min, std::optional<uint64_t> max = {}) {
    tables_.push_back(cat({{uint8_t(elem)}, limits(min, max)}));
  }
  void memory(uint64_t min, std::optional<uint64_t> max = {}) { memories_.push_back(limits(min, max)); }
  // `init` is the constant expression without its `end`.
  uint32_t global(ValType t, bool mut, Bytes init) {
    globals_.push_back(cat({{uint8_t(t), uint8_t(mut ? 1 : 0)}, init, {0x0B}}));
    return num_imported_globals_ + uint32_t(globals_.size() - 1);
  }
  void export_(const std::string& name, ExternKind kind, uint32_t index) {
    exports_.push_back(cat({name_bytes(name), {uint8_t(kind)}, uleb(index)}));
  }
  void export_func(const std::string& name, uint32_t index) { export_(name, ExternKind::Func, index); }
  void start(uint32_t f) { start_ = f; }
  void data_count(uint32_t n) { data_count_ = n; }
  // Raw segment encodings (flags byte first).
  void elem(Bytes seg) { elems_.push_back(std::move(seg)); }
  void data(Bytes seg) { datas_.push_back(std::move(seg)); }
  // A "name" custom section entry for a function.
  void func_name(uint32_t index, const std::string& name) { names_.push_back({index, name}); }

  Bytes build() {
    Bytes out = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
    add_vec(out, 1, types_);
    add_vec(out, 2, imports_);
    if (!funcs_.empty()) {
      std::vector<Bytes> f;
      for (const Func& fn : funcs_) f.push_back(uleb(fn.type));
      add_vec(out, 3, f);
    }
    add_vec(out, 4, tables_);
    add_vec(out, 5, memories_);
    add_vec(out, 6, globals_);
    add_vec(out, 7, exports_);
    if (start_) add_section(out, 8, uleb(*start_));
    add_vec(out, 9, elems_);
    if (data_count_) add_section(out, 12, uleb(*data_count_));
    body_offsets_.clear();
    if (!funcs_.empty()) {
      // Built by hand so that body offsets can be recorded.
      Bytes content = uleb(funcs_.size());
      std::vector<size_t> rel;  // body offsets relative to `content`
      for (const Func& fn : funcs_) {
        Bytes entry = uleb(fn.locals.size());
        for (const Local& l : fn.locals) {
          append(entry, uleb(l.count));
          entry.push_back(uint8_t(l.type));
        }
        size_t locals_size = entry.size();
        append(entry, fn.code);
        Bytes size = uleb(entry.size());
        rel.push_back(content.size() + size.size() + locals_size);
        append(content, size);
        append(content, entry);
      }
      out.push_back(10);
      append(out, uleb(content.size()));
      for (size_t r : rel) body_offsets_.push_back(out.size() + r);
      append(out, content);
    }
    add_vec(out, 11, datas_);
    if (!names_.empty()) {
      Bytes map = uleb(names_.size());
      for (const auto& [idx, name] : names_) append(map, cat({uleb(idx), name_bytes(name)}));
      Bytes content = cat({name_bytes("name"), {0x01}, uleb(map.size()), map});
      add_section(out, 0, content);
    }
    return out;
  }

  // Absolute offset of the first instruction of defined function `i`.
  size_t body_offset(size_t i) const { return body_offsets_.at(i); }

 private:
  struct Func {
    uint32_t type;
    std::vector<Local> locals;
    Bytes code;
  };
  static Bytes limits(uint64_t min, std::optional<uint64_t> max) {
    if (max) return cat({{0x01}, uleb(min), uleb(*max)});
    return cat({{0x00}, uleb(min)});
  }
  static void add_section(Bytes& out, uint8_t id, const Bytes& content) {
    out.push_back(id);
    append(out, uleb(content.size()));
    append(out, content);
  }
  static void add_vec(Bytes& out, uint8_t id, const std::vector<Bytes>& items) {
    if (items.empty()) return;
    Bytes content = uleb(items.size());
    for (const Bytes& i : items) append(content, i);
    add_section(out, id, content);
  }

  std::vector<Bytes> types_, imports_, tables_, memories_, globals_, exports_, elems_, datas_;
  std::vector<Func> funcs_;
  std::optional<uint32_t> start_, data_count_;
  std::vector<std::pair<uint32_t, std::string>> names_;
  uint32_t num_imported_funcs_ = 0;
  uint32_t num_imported_globals_ = 0;
  std::vector<size_t> body_offsets_;
};

// A module with one function of type params -> results (exported as "f").
inline ModuleBuilder single(std::vector<ValType> params, std::vector<ValType> results, Bytes code,
                            std::vector<Local> locals = {}) {
  ModuleBuilder m;
  uint32_t t = m.type(std::move(params), std::move(results));
  m.export_func("f", m.func(t, std::move(code), std::move(locals)));
  return m;
}

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

}  // namespace wnn::valid::test

namespace wnn::valid::test {

// EXPECT_HAS_SUBSTR(text, part): `text` contains `part` (a HasSubstr matcher
// without gmock, which this tree does not install).
inline ::testing::AssertionResult HasSubstr(const char* text_expr, const char* part_expr, const std::string& text,
                                            const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << text_expr << " (\"" << text << "\") does not contain " << part_expr << " (\""
                                       << part << "\")";
}
#define EXPECT_HAS_SUBSTR(text, part) EXPECT_PRED_FORMAT2(::wnn::valid::test::HasSubstr, text, part)

}  // namespace wnn::valid::test
