// wnn_jit_target: the LLVM version, code generation options and host CPU that
// the code cache and artifacts key compiled code by. Here, not in the
// compiler, so that a run from cached code never loads the compiler; both
// modules link the same LLVM, whose detectHost (the compiler's target) reads
// the same getHostCPUName and getHostCPUFeatures.
#include <llvm/ADT/StringMap.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/TargetParser/Host.h>

#include <algorithm>
#include <string>
#include <vector>

#include "exec/jit.h"

namespace wnn::jit {

namespace {

// JitTarget::build is filled by the runtime: the modules' build ids (jit_support.cpp).
exec::JitTarget host_target() {
  exec::JitTarget t;
  t.llvm = "LLVM " LLVM_VERSION_STRING " O2 pic";
  std::vector<std::string> features;
  for (const auto& feature : llvm::sys::getHostCPUFeatures())
    if (feature.getValue()) features.push_back("+" + feature.getKey().str());
  std::sort(features.begin(), features.end());
  t.cpu = llvm::sys::getProcessTriple() + " " + llvm::sys::getHostCPUName().str() + " ";
  for (size_t i = 0; i < features.size(); ++i) t.cpu += (i ? "," : "") + features[i];
  return t;
}

}  // namespace

}  // namespace wnn::jit

#pragma clang diagnostic ignored "-Wreturn-type-c-linkage"  // both sides are this C++ build
extern "C" __attribute__((visibility("default"))) wnn::exec::JitTarget wnn_jit_target() {
  return wnn::jit::host_target();
}
