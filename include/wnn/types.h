// WebAssembly types: value types, function types, limits and extern types.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wnn {

// Encoded as in the binary format.
enum class ValType : uint8_t {
  I32 = 0x7F,
  I64 = 0x7E,
  F32 = 0x7D,
  F64 = 0x7C,
  V128 = 0x7B,
  FuncRef = 0x70,
  ExternRef = 0x6F,
};

const char* val_type_name(ValType t);
inline bool is_ref(ValType t) { return t == ValType::FuncRef || t == ValType::ExternRef; }
// Number of 64-bit interpreter slots a value of this type occupies.
inline uint32_t slot_count(ValType t) { return t == ValType::V128 ? 2 : 1; }

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
};
std::string func_type_string(const FuncType& t);  // "(i32, i64) -> (f32)"

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool operator==(const Limits&) const = default;
};

struct TableType {
  ValType elem = ValType::FuncRef;
  Limits limits;
};

struct MemoryType {
  Limits limits;  // in 64 KiB pages
};

struct GlobalType {
  ValType type = ValType::I32;
  bool mut = false;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3 };
const char* extern_kind_name(ExternKind k);

// The type of an importable or exportable object: `kind` says which member
// holds it.
struct ExternType {
  ExternKind kind = ExternKind::Func;
  FuncType func;
  TableType table;
  MemoryType memory;
  GlobalType global;
};
// "func (i32) -> ()", "table funcref min=1 max=10", "memory min=1",
// "global mut i32", ...
std::string extern_type_string(const ExternType& t);

struct ImportType {
  std::string module;
  std::string name;
  ExternType type;
};

struct ExportType {
  std::string name;
  ExternType type;
};

constexpr uint64_t kPageSize = 65536;
constexpr uint64_t kMaxPages = 65536;  // 4 GiB for a 32-bit memory

}  // namespace wnn
