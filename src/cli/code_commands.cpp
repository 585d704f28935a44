#include "cli/code_commands.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "cache/artifact.h"
#include "cache/code_cache.h"
#include "cache/sealed_file.h"
#include "cli/module_file.h"
#include "cli/run.h"
#include "exec/jit.h"

namespace wnn::cli {

namespace {

const char* const kCompileHelp =
    "Usage: wnn compile MODULE -o OUT.cwasm\n"
    "\n"
    "Compiles every function of MODULE to native code for this CPU and writes OUT.cwasm: the module's bytes,\n"
    "the code, and a header (wnn version, compiler build, LLVM version, CPU features, SHA-256 checksum).\n"
    "`wnn run --allow-precompiled OUT.cwasm` runs it on a host with the same wnn and CPU features; any\n"
    "mismatch or corruption is refused with an error saying which.\n";

const char* const kCacheHelp =
    "Usage: wnn cache stats|clear [--cache DIR]\n"
    "\n"
    "The code cache: `wnn run` keeps compiled code there (--cache DIR, default $XDG_CACHE_HOME/wnn, else\n"
    "~/.cache/wnn; --no-cache: none), keyed by the module's SHA-256, wnn's version, the LLVM version and the\n"
    "CPU features, and evicts the least recently used code past 512 MiB.\n"
    "  stats   the directory, how many modules and objects it holds and their size\n"
    "  clear   removes every entry\n";

std::string megabytes(uint64_t bytes) {
  char s[32];
  std::snprintf(s, sizeof s, "%.1f MiB", double(bytes) / (1 << 20));
  return s;
}

}  // namespace

Expected<Command> parse_code_command(std::span<const std::string> argv) {
  Command cmd;
  const bool compile = argv[0] == "compile";
  cmd.kind = compile ? Command::Kind::Compile : Command::Kind::Cache;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    auto value = [&](const char* name) -> Expected<std::string> {
      if (a.starts_with(std::string(name) + "=")) return a.substr(std::string(name).size() + 1);
      if (i + 1 >= argv.size()) return Error(ErrorKind::Usage, std::string(name) + " needs a value");
      return argv[++i];
    };
    if (a == "-h" || a == "--help") return Command{Command::Kind::Help, compile ? kCompileHelp : kCacheHelp, {}, {}};
    if (compile && (a == "-o" || a.starts_with("-o=") || a == "--output" || a.starts_with("--output="))) {
      WNN_TRY(v, value(a.starts_with("-o") ? "-o" : "--output"));
      cmd.code.output = v;
    } else if (!compile && (a == "--cache" || a.starts_with("--cache="))) {
      WNN_TRY(v, value("--cache"));
      cmd.code.cache_dir = v;
    } else if (a.size() > 1 && a[0] == '-') {
      return Error(ErrorKind::Usage,
                   "unknown option " + a + " of `wnn " + argv[0] + "` (`wnn " + argv[0] + " --help`)");
    } else if (compile && cmd.code.module.empty()) {
      cmd.code.module = a;
    } else if (!compile && cmd.code.action.empty()) {
      if (a != "stats" && a != "clear")
        return Error(ErrorKind::Usage, "`wnn cache " + a + "`: the cache commands are stats and clear");
      cmd.code.action = a;
    } else {
      return Error(ErrorKind::Usage, "unexpected argument \"" + a + "\" (`wnn " + argv[0] + " --help`)");
    }
  }
  if (compile && (cmd.code.module.empty() || cmd.code.output.empty()))
    return Error(ErrorKind::Usage, "`wnn compile MODULE -o OUT.cwasm` needs both a module and -o");
  if (!compile && cmd.code.action.empty()) return Error(ErrorKind::Usage, "`wnn cache stats` or `wnn cache clear`");
  return cmd;
}

int compile_command(const CodeCommand& cmd) {
  auto bytes = read_module(cmd.module);
  if (!bytes) return report(bytes.error());
  if (cache::is_artifact(*bytes))
    return report(Error(ErrorKind::Usage, cmd.module + " is already a precompiled module"));
  auto artifact = cache::make_artifact(std::move(*bytes), {});
  if (!artifact) return report(artifact.error());
  if (auto w = cache::write_file_atomically(cmd.output, *artifact, 0644); !w) return report(w.error());
  return 0;
}

int cache_command(const CodeCommand& cmd) {
  const std::string dir = cmd.cache_dir.empty() ? cache::default_cache_dir() : cmd.cache_dir;
  // The identity only matters for reading entries, which neither command does.
  auto cache = cache::CodeCache::open(dir, cache::kDefaultCacheBytes, {});
  if (!cache) return report(cache.error());
  if (cmd.action == "clear") {
    auto freed = cache->clear();
    if (!freed) return report(freed.error());
    std::printf("cleared %s: %s freed\n", dir.c_str(), megabytes(*freed).c_str());
    return 0;
  }
  auto s = cache->stats();
  if (!s) return report(s.error());
  std::printf("code cache: %s\n  modules: %llu\n  objects: %llu\n  size: %s of %s\n", s->dir.c_str(),
              (unsigned long long)s->modules, (unsigned long long)s->objects, megabytes(s->bytes).c_str(),
              megabytes(s->max_bytes).c_str());
  return 0;
}

Expected<std::shared_ptr<const CompiledModule>> load_precompiled(const RunOptions& opt, std::span<const uint8_t> bytes,
                                                                 const CompileOptions& options) {
  if (!opt.allow_precompiled)
    return Error(ErrorKind::Usage, opt.module +
                                       " is a precompiled module: its machine code would run as is. Pass "
                                       "--allow-precompiled to run it if you trust where it came from");
  return cache::load_artifact(bytes, opt.module, options);
}

}  // namespace wnn::cli
