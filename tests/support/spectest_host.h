// The "spectest" host module that the spec test suite imports from (as in
// the reference interpreter's spectest.ml): print functions, four constant
// globals, a table (10..20 funcrefs) and a memory (1..2 pages). Shared by the
// spec runner, fuzz_instantiate_run and the differential driver.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "wnn/host.h"
#include "wnn/types.h"

namespace wnn {
class Store;
}

namespace wnn_test {

using ExternMap = std::map<std::string, wnn::Extern, std::less<>>;

// Called by each print function: its name ("print_i32"), parameter types and
// argument slots (i32/f32 in the low 32 bits).
using SpectestPrint =
    std::function<void(std::string_view name, std::span<const wnn::ValType> params, const uint64_t* slots)>;

// Creates the spectest objects in `store` into `out`; false with `error` if
// the table or memory cannot be created (store limits).
bool make_spectest(wnn::Store& store, ExternMap& out, std::string& error, SpectestPrint print = {});

// An import resolver over `objects` for the module name "spectest".
std::optional<wnn::Extern> resolve_spectest(const ExternMap& objects, std::string_view module, std::string_view name);

}  // namespace wnn_test
