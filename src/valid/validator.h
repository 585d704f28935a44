// Module-level validation; translates every function body on the way.
#pragma once
#include <memory>

#include "valid/compiled_module.h"
#include "wnn/expected.h"

namespace wnn::valid {

Expected<std::shared_ptr<const CompiledModule>> validate_module(Module module);

}  // namespace wnn::valid
