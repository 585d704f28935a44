// Errors are values: Expected<T> holds either a T or an Error. Nothing here
// throws: asking an Expected for the alternative it does not hold is a bug in
// the caller, reported on stderr before the process aborts (like Rust's
// unwrap); check ok() first.
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

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
  Internal,    // a bug in wnn: a check of its own invariants failed (please report it)
};

const char* error_kind_name(ErrorKind kind);

// One frame of a trap's backtrace (Error::trace), innermost first.
struct TrapFrame {
  bool host = false;         // a host function (then func_index and code_offset are 0)
  uint32_t func_index = 0;   // in its module's function index space (imports first)
  std::string func_name;     // from the module's name section (or the host function's name); may be ""
  uint32_t code_offset = 0;  // byte offset in the module of the function's code entry
};

struct Error {
  ErrorKind kind;
  std::string message;             // what failed, where, why
  TrapKind trap = TrapKind::None;  // kind == Trap or Exhaustion: which trap
  int exit_code = 0;               // trap == Exit: the guest's exit code
  // kind == Trap or Exhaustion from running wasm: the frames active at the
  // trap, innermost first, as the message lists them (deep recursion is cut
  // to its innermost and outermost frames). A trap that a host function
  // passed on (its nested call trapped) keeps the nested frames first.
  std::vector<TrapFrame> trace;

  // No default: every Error says which kind it is.
  Error(ErrorKind k, std::string msg) : kind(k), message(std::move(msg)) {}
};

namespace detail {
[[noreturn]] inline void bad_expected_access(const char* what, const Error* e) {
  std::fprintf(stderr, "wnn: %s%s%s\n", what, e ? ": " : "", e ? e->message.c_str() : "");
  std::abort();
}
}  // namespace detail

template <typename T> class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Expected(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return *get(); }
  const T& value() const& { return *get(); }
  T&& value() && { return std::move(*get()); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return get(); }
  const T* operator->() const { return get(); }
  // The value, or `fallback` when this holds an error.
  T value_or(T fallback) const& { return ok() ? *get() : std::move(fallback); }

  const Error& error() const& { return *get_error(); }
  Error&& error() && { return std::move(*get_error()); }

 private:
  T* get() {
    if (T* p = std::get_if<0>(&v_)) return p;
    detail::bad_expected_access("Expected::value() on an error", std::get_if<1>(&v_));
  }
  const T* get() const { return const_cast<Expected*>(this)->get(); }
  Error* get_error() const {
    if (const Error* e = std::get_if<1>(&v_)) return const_cast<Error*>(e);
    detail::bad_expected_access("Expected::error() on a value", nullptr);
  }

  std::variant<T, Error> v_;
};

template <> class [[nodiscard]] Expected<void> {
 public:
  Expected() = default;
  Expected(Error error) : err_(std::move(error)) {}
  bool ok() const { return !err_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return *get_error(); }
  Error&& error() && { return std::move(*get_error()); }

 private:
  Error* get_error() const {
    if (err_) return const_cast<Error*>(&*err_);
    detail::bad_expected_access("Expected::error() on a value", nullptr);
  }
  std::optional<Error> err_;
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
