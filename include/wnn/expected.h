// Errors are values: Expected<T> holds either a T or an Error.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <variant>

#include "wnn/trap.h"

namespace wnn {

// Which phase rejected the input; the spec runner and the CLI use it to tell
// "malformed" from "invalid" from "unlinkable" from a trap.
enum class ErrorKind : uint8_t {
  Malformed,   // the bytes are not a well-formed binary module (decoder)
  Invalid,     // well-formed but fails validation (validator)
  Unlinkable,  // imports cannot be resolved or do not match (instantiation)
  Trap,        // a trap at run time (also during instantiation: start, segments)
  Exhaustion,  // call stack or value stack exhausted (a trap kind of its own)
  Io,          // a file could not be read
  Usage,       // bad command-line or API use
};

const char* error_kind_name(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::Invalid;
  std::string message;  // what failed, where, why
  TrapKind trap = TrapKind::None;  // kind == Trap or Exhaustion: which trap
  int exit_code = 0;               // trap == Exit: the guest's exit code

  Error() = default;
  Error(ErrorKind k, std::string msg) : kind(k), message(std::move(msg)) {}
};

template <typename T> class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Expected(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <> class [[nodiscard]] Expected<void> {
 public:
  Expected() = default;
  Expected(Error error) : err_(std::move(error)), ok_(false) {}
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { return err_; }
  Error&& error() && { return std::move(err_); }

 private:
  Error err_;
  bool ok_ = true;
};

// Propagate an error: WNN_TRY(x, expr) declares `auto x` from an Expected.
#define WNN_CONCAT_(a, b) a##b
#define WNN_CONCAT(a, b) WNN_CONCAT_(a, b)
#define WNN_TRY_VOID(expr)                              \
  do {                                                  \
    auto _wnn_r = (expr);                               \
    if (!_wnn_r.ok()) return std::move(_wnn_r).error(); \
  } while (0)
#define WNN_TRY(var, expr)                                                                          \
  auto WNN_CONCAT(_wnn_r_, __LINE__) = (expr);                                                      \
  if (!WNN_CONCAT(_wnn_r_, __LINE__).ok()) return std::move(WNN_CONCAT(_wnn_r_, __LINE__)).error(); \
  auto var = std::move(WNN_CONCAT(_wnn_r_, __LINE__)).value()

}  // namespace wnn
