// Precompiled modules (`wnn compile app.wasm -o app.cwasm`): the module's
// bytes and the native code of all its functions, sealed (sealed_file.h,
// magic "WNNCWASM"). Loading one executes machine code from a file: the
// caller decides whether to trust it (wnn run's --allow-precompiled); the
// header is always checked first — format, checksum, wnn version and
// compiler build, LLVM version, host CPU — each mismatch with its own error.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "valid/compiled_module.h"
#include "wnn/expected.h"
#include "wnn/runtime.h"

namespace wnn::cache {

bool is_artifact(std::span<const uint8_t> bytes);

// The largest precompiled module wnn writes or reads: the module inside is at
// most binary::kMaxModuleBytes (1 GiB), its native code a few times its code.
inline constexpr uint64_t kMaxArtifactBytes = uint64_t(4) << 30;

// Validates `module`, compiles every function and seals both.
Expected<std::vector<uint8_t>> make_artifact(std::vector<uint8_t> module, const CompileOptions& options);

// `what` names the file in errors. The module inside is decoded and
// validated again (the interpreter's code is the fallback of nothing, but a
// CompiledModule needs it), then the native code is linked and installed.
Expected<std::shared_ptr<const CompiledModule>> load_artifact(std::span<const uint8_t> artifact,
                                                              const std::string& what, const CompileOptions& options);

}  // namespace wnn::cache
