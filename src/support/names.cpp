// Human-readable names for enums, used in error messages and output.
#include <cinttypes>
#include <cstdio>

#include "wnn/expected.h"
#include "wnn/trap.h"
#include "wnn/types.h"
#include "wnn/value.h"

namespace wnn {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Malformed: return "malformed module";
    case ErrorKind::Invalid: return "invalid module";
    case ErrorKind::Unlinkable: return "unlinkable";
    case ErrorKind::Trap: return "trap";
    case ErrorKind::Exhaustion: return "exhaustion";
    case ErrorKind::Io: return "i/o error";
    case ErrorKind::Usage: return "usage error";
    case ErrorKind::Internal: return "internal error";
  }
  return "error";
}

const char* val_type_name(ValType t) {
  switch (t) {
    case ValType::I32: return "i32";
    case ValType::I64: return "i64";
    case ValType::F32: return "f32";
    case ValType::F64: return "f64";
    case ValType::V128: return "v128";
    case ValType::FuncRef: return "funcref";
    case ValType::ExternRef: return "externref";
  }
  return "?";
}

const char* extern_kind_name(ExternKind k) {
  switch (k) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
  }
  return "?";
}

std::string func_type_string(const FuncType& t) {
  std::string s = "(";
  for (size_t i = 0; i < t.params.size(); ++i) s += (i ? ", " : "") + std::string(val_type_name(t.params[i]));
  s += ") -> (";
  for (size_t i = 0; i < t.results.size(); ++i) s += (i ? ", " : "") + std::string(val_type_name(t.results[i]));
  return s + ")";
}

const char* trap_message(TrapKind kind) {
  switch (kind) {
    case TrapKind::None: return "no trap";
    case TrapKind::Unreachable: return "unreachable";
    case TrapKind::MemoryOutOfBounds: return "out of bounds memory access";
    case TrapKind::TableOutOfBounds: return "out of bounds table access";
    case TrapKind::IntegerDivideByZero: return "integer divide by zero";
    case TrapKind::IntegerOverflow: return "integer overflow";
    case TrapKind::InvalidConversion: return "invalid conversion to integer";
    case TrapKind::IndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapKind::UndefinedElement: return "undefined element";
    case TrapKind::UninitializedElement: return "uninitialized element";
    case TrapKind::CallStackExhausted: return "call stack exhausted";
    case TrapKind::HostError: return "host error";
    case TrapKind::Exit: return "exit";
    case TrapKind::OutOfFuel: return "all fuel consumed";
    case TrapKind::Interrupted: return "interrupted";
  }
  return "trap";
}

std::string value_string(const Value& v) {
  char buf[96];
  switch (v.type) {
    case ValType::I32: std::snprintf(buf, sizeof buf, "%" PRIu32, v.as_u32()); break;
    case ValType::I64: std::snprintf(buf, sizeof buf, "%" PRIu64, v.as_u64()); break;
    case ValType::F32: std::snprintf(buf, sizeof buf, "%.9g", double(v.as_f32())); break;
    case ValType::F64: std::snprintf(buf, sizeof buf, "%.17g", v.as_f64()); break;
    case ValType::V128: std::snprintf(buf, sizeof buf, "0x%016" PRIx64 "%016" PRIx64, v.hi, v.lo); break;
    case ValType::FuncRef:
    case ValType::ExternRef:
      if (v.lo == 0) return "null";
      std::snprintf(buf, sizeof buf, "ref:0x%" PRIxPTR, uintptr_t(v.lo));
      break;
  }
  return std::string(val_type_name(v.type)) + ":" + buf;
}

}  // namespace wnn
