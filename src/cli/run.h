// `wnn run`: compile, link WASI and wasi-nn, instantiate, run; the process's
// exit status.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "cli/command_line.h"

namespace wnn::cli {

int run(const RunOptions& opt);

// Prints a load error, trap or usage error (with a Wasm backtrace for traps)
// and returns the exit status it means: the guest's for proc_exit, 2 for
// usage errors, 1 otherwise.
int report(const Error& e);

}  // namespace wnn::cli
