// The directory of the running executable: wnn's loadable modules
// (libwnn_jit.so, the wasi-nn backends) and its wasi-nn worker live next to it.
#pragma once
#include <string>

namespace wnn {

std::string executable_dir();  // "" when /proc/self/exe cannot be read

}  // namespace wnn
