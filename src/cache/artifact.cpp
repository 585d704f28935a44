#include "cache/artifact.h"

#include "cache/sealed_file.h"
#include "exec/jit.h"

namespace wnn::cache {

bool is_artifact(std::span<const uint8_t> bytes) { return has_magic(bytes, kArtifactMagic); }

Expected<std::vector<uint8_t>> make_artifact(std::vector<uint8_t> module, const CompileOptions& options) {
  CompileOptions interp = options;
  interp.tier = Tier::Interp;
  WNN_TRY(id, exec::jit_code_identity());
  WNN_TRY(cm, compile(module, interp));
  exec::JitOptions jo;
  jo.compile_options = &options;
  WNN_TRY(object, exec::jit_compile_object(*cm, {}, jo));
  const Section sections[] = {module, object};
  std::vector<uint8_t> sealed = seal(kArtifactMagic, id, "", sections);
  if (sealed.size() > kMaxArtifactBytes)
    return Error(ErrorKind::Exhaustion, "a precompiled module of " + std::to_string(sealed.size()) +
                                            " bytes would exceed the limit of " + std::to_string(kMaxArtifactBytes) +
                                            " bytes (4 GiB)");
  return sealed;
}

Expected<std::shared_ptr<const CompiledModule>> load_artifact(std::span<const uint8_t> artifact,
                                                              const std::string& what, const CompileOptions& options) {
  WNN_TRY(id, exec::jit_code_identity());
  WNN_TRY(sections, unseal(artifact, kArtifactMagic, id, "", what));
  if (sections.size() != 2)
    return Error(ErrorKind::Invalid, what + ": holds " + std::to_string(sections.size()) + " sections, not 2");
  CompileOptions interp = options;
  interp.tier = Tier::Interp;
  WNN_TRY(cm, compile(std::vector<uint8_t>(sections[0].begin(), sections[0].end()), interp));
  WNN_TRY(linked, exec::jit_link_object(*cm, sections[1]));
  // Not shared yet: its code may still be replaced.
  exec::jit_install(const_cast<CompiledModule&>(*cm), std::move(linked));
  return cm;
}

}  // namespace wnn::cache
