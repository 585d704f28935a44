// The decoded form of a binary module, as the decoder (src/binary) produces it.
// Function bodies stay as byte ranges into `bytes`; the validator decodes,
// checks and translates them in one pass (src/valid).
#pragma once
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "wnn/types.h"

namespace wnn {

// One instruction of a constant expression. The decoder keeps every
// instruction it finds (even non-constant ones) so that the validator can say
// "constant expression required" rather than the decoder saying "malformed".
struct ConstInstr {
  uint16_t opcode = 0;  // single-byte opcode, or 0xFC00|sub for prefixed ones
  uint64_t imm = 0;     // i32/i64 value (sign-extended), f32/f64 bits, index or ref type
};

// The instructions of a constant expression. A valid one (WebAssembly 2.0)
// is a single instruction: it is kept inline, so that an element segment's
// items cost 32 bytes each, not a heap allocation apiece; any more (which
// validation rejects) go to the heap.
class ConstInstrs {
 public:
  ConstInstrs() = default;
  ConstInstrs(std::initializer_list<ConstInstr> list) {
    for (const ConstInstr& in : list) push_back(in);
  }
  ConstInstrs(const ConstInstrs& o)
      : opcode_(o.opcode_),
        size_(o.size_),
        imm_(o.imm_),
        rest_(o.rest_ ? std::make_unique<std::vector<ConstInstr>>(*o.rest_) : nullptr) {}
  ConstInstrs& operator=(const ConstInstrs& o) {
    if (this != &o) *this = ConstInstrs(o);
    return *this;
  }
  ConstInstrs(ConstInstrs&&) noexcept = default;
  ConstInstrs& operator=(ConstInstrs&&) noexcept = default;

  void push_back(const ConstInstr& in) {
    if (size_ == 0) {
      opcode_ = in.opcode;
      imm_ = in.imm;
    } else {
      if (!rest_) rest_ = std::make_unique<std::vector<ConstInstr>>();
      rest_->push_back(in);
    }
    ++size_;
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  ConstInstr operator[](size_t i) const { return i == 0 ? ConstInstr{opcode_, imm_} : (*rest_)[i - 1]; }
  ConstInstr at(size_t i) const {
    if (i >= size_) throw std::out_of_range("ConstInstrs::at");
    return (*this)[i];
  }

  class iterator {
   public:
    iterator(const ConstInstrs* c, size_t i) : c_(c), i_(i) {}
    ConstInstr operator*() const { return (*c_)[i_]; }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const iterator& o) const { return i_ == o.i_; }

   private:
    const ConstInstrs* c_;
    size_t i_;
  };
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size_}; }

 private:
  uint16_t opcode_ = 0;  // the first instruction
  uint32_t size_ = 0;
  uint64_t imm_ = 0;
  std::unique_ptr<std::vector<ConstInstr>> rest_;  // the others
};

struct ConstExpr {
  ConstInstrs instrs;   // without the final `end`
  uint32_t offset = 0;  // byte offset in the module, for messages
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t func_type = 0;  // kind == Func: type index
  TableType table;         // kind == Table
  MemoryType memory;       // kind == Memory
  GlobalType global;       // kind == Global
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Active;
  uint32_t table = 0;
  ConstExpr offset;                // Active only
  ValType type = ValType::FuncRef;
  std::vector<ConstExpr> items;    // each is ref.func x, ref.null t or global.get
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Active;  // never Declarative
  uint32_t memory = 0;
  ConstExpr offset;                        // Active only
  uint32_t data_offset = 0;                // bytes[data_offset, +data_size)
  uint32_t data_size = 0;
};

struct LocalDecl {
  uint32_t count = 0;
  ValType type = ValType::I32;
};

struct Code {
  std::vector<LocalDecl> locals;
  uint32_t body_offset = 0;  // first instruction, in `Module::bytes`
  uint32_t body_size = 0;    // up to and including the final `end`
  uint32_t offset = 0;       // start of the code entry (its size field), for messages
};

struct Module {
  std::vector<uint8_t> bytes;  // the whole binary; bodies and data point into it

  std::vector<FuncType> types;
  std::vector<Import> imports;
  std::vector<uint32_t> functions;  // type index of each *defined* function
  std::vector<TableType> tables;    // defined tables
  std::vector<MemoryType> memories; // defined memories
  std::vector<Global> globals;      // defined globals
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::optional<uint32_t> data_count;
  std::vector<Code> codes;          // same length as `functions` (checked by the decoder)
  std::vector<DataSegment> datas;

  // From the custom "name" section, when present and well-formed (index
  // space of all functions, imports first).
  std::string module_name;
  std::unordered_map<uint32_t, std::string> function_names;

  // Counts of imports per kind, so that index spaces can be computed.
  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;

  uint32_t total_funcs() const { return num_imported_funcs + uint32_t(functions.size()); }
  uint32_t total_tables() const { return num_imported_tables + uint32_t(tables.size()); }
  uint32_t total_memories() const { return num_imported_memories + uint32_t(memories.size()); }
  uint32_t total_globals() const { return num_imported_globals + uint32_t(globals.size()); }
};

}  // namespace wnn
