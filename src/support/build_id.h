// The GNU build id of an ELF file on disk (its NT_GNU_BUILD_ID note), read
// without loading it: the code cache keys compiled code by the compiler
// tier's modules even in a run that never loads the compiler.
#pragma once
#include <string>

namespace wnn {

// Lower-case hex; "" when the file cannot be read or has no build id.
std::string elf_build_id(const std::string& path);

}  // namespace wnn
