// Import matching (WebAssembly 2.0, "Import Subtyping") and the descriptions
// of extern types used in link errors.
#pragma once
#include <string>

#include "binary/module.h"
#include "runtime/objects.h"
#include "wnn/host.h"

namespace wnn {

// Limits subtyping: `actual` (current size as min) fits where `expected` is
// required.
bool limits_match(const Limits& actual, const Limits& expected);

// "func (i32) -> ()", "table funcref min=1 max=10", "memory min=1",
// "global mut i32", ...
std::string import_type_string(const Module& m, const Import& imp);
ExternType import_type(const Module& m, const Import& imp);
// Of a Store's object; tables and memories at their current size.
ExternType extern_type(const Extern& e);
std::string extern_type_string(const Extern& e);

// Unlinkable error when `actual` cannot satisfy `imp`.
Expected<void> check_import(const Module& m, const Import& imp, const Extern& actual);

}  // namespace wnn
