// Module-level validation; translates every function body on the way.
#pragma once
#include <memory>

#include "valid/compiled_module.h"
#include "wnn/expected.h"
#include "wnn/runtime.h"

namespace wnn::valid {

Expected<std::shared_ptr<const CompiledModule>> validate_module(Module module, const CompileOptions& options = {});

}  // namespace wnn::valid
