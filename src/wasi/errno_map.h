// Host errno -> WASI errno.
#pragma once
#include <cstdint>

#include "wasi/abi.h"

namespace wnn::wasi {

Errno from_host_errno(int e);
// errno after a failed call (reads ::errno).
Errno last_errno();

}  // namespace wnn::wasi
