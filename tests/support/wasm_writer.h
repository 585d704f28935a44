// The one writer of binary modules for every test and fuzz target:
//   - encoding pieces (LEB128, names, vectors, sections, limits) as values,
//     for tests that write a module byte by byte, malformed ones included:
//       module({section(kType, vec({{0x60, 0x00, 0x00}})), funcs(1), codes(1)})
//   - Writer, the same pieces appended to a buffer (the module generator);
//   - ModuleBuilder, a module from types, imports, functions and the other
//     sections, in the order the format requires:
//       ModuleBuilder m;
//       uint32_t t = m.type({I32, I32}, {I32});
//       m.export_func("f", m.func(t, {0x20, 0, 0x20, 1, 0x6A, 0x0B}));
//       auto r = wnn::compile(m.build());
// Bodies are raw instruction bytes, the final `end` (0x0B) included. Tests
// whose modules WAT can express write them as .wat files instead (wat_module.h).
#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "binary/section_id.h"
#include "wnn/types.h"

namespace wnn::test {

using Bytes = std::vector<uint8_t>;

inline void put_uleb(Bytes& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    out.push_back(v ? uint8_t(b | 0x80) : b);
  } while (v);
}

inline void put_sleb(Bytes& out, int64_t v) {
  for (;;) {
    uint8_t b = v & 0x7F;
    v >>= 7;  // arithmetic
    bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    out.push_back(done ? b : uint8_t(b | 0x80));
    if (done) return;
  }
}

inline void append(Bytes& out, const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); }

inline Bytes uleb(uint64_t v) {
  Bytes out;
  put_uleb(out, v);
  return out;
}

inline Bytes sleb(int64_t v) {
  Bytes out;
  put_sleb(out, v);
  return out;
}

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) append(out, p);
  return out;
}

// A name: length, then the raw bytes (not necessarily valid UTF-8).
inline Bytes name_bytes(std::string_view s) {
  Bytes out = uleb(s.size());
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

// vec(items): the count, then the items.
inline Bytes vec(std::initializer_list<Bytes> items) {
  Bytes out = uleb(items.size());
  for (const Bytes& p : items) append(out, p);
  return out;
}

// Section ids: the decoder's (src/binary/section_id.h).
using enum binary::SectionId;

inline Bytes section(uint8_t id, const Bytes& content) { return cat({{id}, uleb(content.size()), content}); }

inline Bytes header() { return {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00}; }

inline Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out = header();
  for (const Bytes& s : sections) append(out, s);
  return out;
}

// Limits of a memory or table: flag 0 (min) or 1 (min, max).
inline Bytes limits(uint64_t min, std::optional<uint64_t> max = {}) {
  if (max) return cat({{0x01}, uleb(min), uleb(*max)});
  return cat({{0x00}, uleb(min)});
}

// A function type: 0x60, params, results.
inline Bytes func_type(const std::vector<ValType>& params, const std::vector<ValType>& results) {
  Bytes t = {0x60};
  put_uleb(t, params.size());
  for (ValType v : params) t.push_back(uint8_t(v));
  put_uleb(t, results.size());
  for (ValType v : results) t.push_back(uint8_t(v));
  return t;
}

// Instructions (without `end`) and constant expressions (with it).
inline Bytes i32_const(int32_t v) { return cat({{0x41}, sleb(v)}); }
inline Bytes i64_const(int64_t v) { return cat({{0x42}, sleb(v)}); }
inline Bytes i32_const_expr(int32_t v) { return cat({i32_const(v), {0x0B}}); }

// Common sections: one type () -> (), n functions of type 0, n empty bodies.
inline Bytes type_void() { return section(kType, vec({func_type({}, {})})); }
inline Bytes funcs(uint32_t n) {
  Bytes c = uleb(n);
  c.insert(c.end(), n, 0x00);
  return section(kFunction, c);
}
inline Bytes empty_body() { return {0x02, 0x00, 0x0B}; }  // size 2, no locals, end
inline Bytes codes(uint32_t n) {
  Bytes c = uleb(n);
  for (uint32_t i = 0; i < n; ++i) append(c, empty_body());
  return section(kCode, c);
}

// The pieces above appended to one buffer, for writers that stream.
struct Writer {
  Bytes b;
  void u8(uint8_t x) { b.push_back(x); }
  void uleb(uint64_t x) { put_uleb(b, x); }
  void sleb(int64_t x) { put_sleb(b, x); }
  void raw(uint64_t bits, int n) {  // little-endian, n bytes
    for (int i = 0; i < n; ++i) b.push_back(uint8_t(bits >> (8 * i)));
  }
  void name(std::string_view s) { test::append(b, name_bytes(s)); }
  void append(const Writer& o) { test::append(b, o.b); }
  void section(uint8_t id, const Writer& content) { test::append(b, test::section(id, content.b)); }
};

// A run of `count` locals of one type (count is 64-bit so that out-of-range
// LEB128 values can be written too).
struct Local {
  uint64_t count;
  ValType type;
};

class ModuleBuilder {
 public:
  uint32_t type(const std::vector<ValType>& params, const std::vector<ValType>& results) {
    types_.push_back(func_type(params, results));
    return uint32_t(types_.size() - 1);
  }

  // Imports; each returns the index in its index space. Without a name,
  // module "env" and a name made from the import's position.
  uint32_t import_func(uint32_t type, std::string module = "env", std::string name = {}) {
    if (name.empty()) name = "f" + std::to_string(imports_.size());
    imports_.push_back(cat({name_bytes(module), name_bytes(name), {0x00}, uleb(type)}));
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
    Bytes out = header();
    add_vec(out, kType, types_);
    add_vec(out, kImport, imports_);
    if (!funcs_.empty()) {
      std::vector<Bytes> f;
      for (const Func& fn : funcs_) f.push_back(uleb(fn.type));
      add_vec(out, kFunction, f);
    }
    add_vec(out, kTable, tables_);
    add_vec(out, kMemory, memories_);
    add_vec(out, kGlobal, globals_);
    add_vec(out, kExport, exports_);
    if (start_) append(out, section(kStart, uleb(*start_)));
    add_vec(out, kElement, elems_);
    if (data_count_) append(out, section(kDataCount, uleb(*data_count_)));
    body_offsets_.clear();
    if (!funcs_.empty()) {
      // Built by hand so that body offsets can be recorded.
      Bytes content = uleb(funcs_.size());
      std::vector<size_t> rel;  // body offsets relative to `content`
      for (const Func& fn : funcs_) {
        Bytes entry = uleb(fn.locals.size());
        for (const Local& l : fn.locals) {
          put_uleb(entry, l.count);
          entry.push_back(uint8_t(l.type));
        }
        size_t locals_size = entry.size();
        append(entry, fn.code);
        Bytes size = uleb(entry.size());
        rel.push_back(content.size() + size.size() + locals_size);
        append(content, size);
        append(content, entry);
      }
      out.push_back(kCode);
      put_uleb(out, content.size());
      for (size_t r : rel) body_offsets_.push_back(out.size() + r);
      append(out, content);
    }
    add_vec(out, kData, datas_);
    if (!names_.empty()) {
      Bytes map = uleb(names_.size());
      for (const auto& [idx, name] : names_) append(map, cat({uleb(idx), name_bytes(name)}));
      append(out, section(kCustom, cat({name_bytes("name"), {0x01}, uleb(map.size()), map})));
    }
    return out;
  }

  // Absolute offset of the first instruction of defined function `i` (what
  // error messages report), after build().
  size_t body_offset(size_t i) const { return body_offsets_.at(i); }

 private:
  struct Func {
    uint32_t type;
    std::vector<Local> locals;
    Bytes code;
  };
  static void add_vec(Bytes& out, uint8_t id, const std::vector<Bytes>& items) {
    if (items.empty()) return;
    Bytes content = uleb(items.size());
    for (const Bytes& i : items) append(content, i);
    append(out, section(id, content));
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
inline ModuleBuilder single(const std::vector<ValType>& params, const std::vector<ValType>& results, Bytes code,
                            std::vector<Local> locals = {}) {
  ModuleBuilder m;
  uint32_t t = m.type(params, results);
  m.export_func("f", m.func(t, std::move(code), std::move(locals)));
  return m;
}

// A host function a fuzz target exposes to its input.
struct HostImport {
  std::string module, name;
  FuncType type;
};

// Imports each function and exports trampoline "t<i>" calling import i with
// the trampoline's own parameters; with `memory_pages` (min, max), also
// exports a memory "memory" (first).
inline Bytes trampoline_module(const std::vector<HostImport>& fns,
                               std::optional<std::pair<uint8_t, uint8_t>> memory_pages) {
  ModuleBuilder m;
  for (const HostImport& f : fns) m.import_func(m.type(f.type.params, f.type.results), f.module, f.name);
  if (memory_pages) {
    m.memory(memory_pages->first, memory_pages->second);
    m.export_("memory", ExternKind::Memory, 0);
  }
  for (uint32_t i = 0; i < fns.size(); ++i) {
    Bytes body;
    for (uint32_t p = 0; p < fns[i].type.params.size(); ++p) append(body, cat({{0x20}, uleb(p)}));
    append(body, cat({{0x10}, uleb(i), {0x0B}}));
    m.export_func("t" + std::to_string(i), m.func(i, std::move(body)));
  }
  return m.build();
}

}  // namespace wnn::test
