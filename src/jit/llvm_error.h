// LLVM's errors as text, for wnn's Error messages (both compiler-tier modules).
#pragma once
#include <llvm/Support/Error.h>

#include <string>

namespace wnn::jit {

inline std::string llvm_message(llvm::Error e) { return llvm::toString(std::move(e)); }

}  // namespace wnn::jit
