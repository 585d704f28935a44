// WasiContext: the fd table set up from a WasiConfig, and the table of the
// 46 preview1 functions with their core-wasm types.
#include "wnn/wasi.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "wasi/errno_map.h"
#include "wasi/path_resolver.h"
#include "wasi/state.h"
#include "wnn/runtime.h"

namespace wnn {

namespace {

using wasi::Impl;

struct FuncSpec {
  const char* name;
  const char* params;  // 'i' = i32, 'I' = i64; every function returns an i32 errno but proc_exit
  Impl impl;           // null: proc_exit
  bool in_unstable;    // also exported as wasi_unstable.<name> (same core type)
};

#define WNN_WASI_SPEC(name, params) {#name, params, &wasi::name, true}
const FuncSpec kFuncs[] = {
    WNN_WASI_SPEC(args_get, "ii"),
    WNN_WASI_SPEC(args_sizes_get, "ii"),
    WNN_WASI_SPEC(environ_get, "ii"),
    WNN_WASI_SPEC(environ_sizes_get, "ii"),
    WNN_WASI_SPEC(clock_res_get, "ii"),
    WNN_WASI_SPEC(clock_time_get, "iIi"),
    WNN_WASI_SPEC(fd_advise, "iIIi"),
    WNN_WASI_SPEC(fd_allocate, "iII"),
    WNN_WASI_SPEC(fd_close, "i"),
    WNN_WASI_SPEC(fd_datasync, "i"),
    WNN_WASI_SPEC(fd_fdstat_get, "ii"),
    WNN_WASI_SPEC(fd_fdstat_set_flags, "ii"),
    WNN_WASI_SPEC(fd_fdstat_set_rights, "iII"),
    WNN_WASI_SPEC(fd_filestat_get, "ii"),
    WNN_WASI_SPEC(fd_filestat_set_size, "iI"),
    WNN_WASI_SPEC(fd_filestat_set_times, "iIIi"),
    WNN_WASI_SPEC(fd_pread, "iiiIi"),
    WNN_WASI_SPEC(fd_prestat_get, "ii"),
    WNN_WASI_SPEC(fd_prestat_dir_name, "iii"),
    WNN_WASI_SPEC(fd_pwrite, "iiiIi"),
    WNN_WASI_SPEC(fd_read, "iiii"),
    WNN_WASI_SPEC(fd_readdir, "iiiIi"),
    WNN_WASI_SPEC(fd_renumber, "ii"),
    WNN_WASI_SPEC(fd_seek, "iIii"),
    WNN_WASI_SPEC(fd_sync, "i"),
    WNN_WASI_SPEC(fd_tell, "ii"),
    WNN_WASI_SPEC(fd_write, "iiii"),
    WNN_WASI_SPEC(path_create_directory, "iii"),
    WNN_WASI_SPEC(path_filestat_get, "iiiii"),
    WNN_WASI_SPEC(path_filestat_set_times, "iiiiIIi"),
    WNN_WASI_SPEC(path_link, "iiiiiii"),
    WNN_WASI_SPEC(path_open, "iiiiiIIii"),
    WNN_WASI_SPEC(path_readlink, "iiiiii"),
    WNN_WASI_SPEC(path_remove_directory, "iii"),
    WNN_WASI_SPEC(path_rename, "iiiiii"),
    WNN_WASI_SPEC(path_symlink, "iiiii"),
    WNN_WASI_SPEC(path_unlink_file, "iii"),
    WNN_WASI_SPEC(poll_oneoff, "iiii"),
    {"proc_exit", "i", nullptr, true},
    WNN_WASI_SPEC(proc_raise, "i"),
    WNN_WASI_SPEC(sched_yield, ""),
    WNN_WASI_SPEC(random_get, "ii"),
    {"sock_accept", "iii", &wasi::sock_accept, false},  // added in preview1
    WNN_WASI_SPEC(sock_recv, "iiiiii"),
    WNN_WASI_SPEC(sock_send, "iiiii"),
    WNN_WASI_SPEC(sock_shutdown, "ii"),
};
#undef WNN_WASI_SPEC
static_assert(std::size(kFuncs) == 46);

constexpr std::string_view kPreview1 = "wasi_snapshot_preview1";
constexpr std::string_view kUnstable = "wasi_unstable";

const FuncSpec* find_spec(std::string_view module, std::string_view name) {
  const bool unstable = module == kUnstable;
  if (!unstable && module != kPreview1) return nullptr;
  for (const FuncSpec& f : kFuncs)
    if (name == f.name && (!unstable || f.in_unstable)) return &f;
  return nullptr;
}

FuncType type_of(const FuncSpec& f) {
  FuncType t;
  for (const char* p = f.params; *p; ++p) t.params.push_back(*p == 'I' ? ValType::I64 : ValType::I32);
  if (f.impl) t.results.push_back(ValType::I32);
  return t;
}

}  // namespace

WasiContext::WasiContext() : state_(std::make_unique<wasi::State>()) {}
WasiContext::~WasiContext() = default;

bool WasiContext::is_wasi_module(std::string_view module) { return module == kPreview1 || module == kUnstable; }

std::optional<FuncType> WasiContext::function_type(std::string_view module, std::string_view name) {
  const FuncSpec* f = find_spec(module, name);
  if (!f) return std::nullopt;
  return type_of(*f);
}

Expected<std::unique_ptr<WasiContext>> WasiContext::create(const WasiConfig& config) {
  std::unique_ptr<WasiContext> ctx(new WasiContext());
  wasi::State& s = *ctx->state_;
  s.args = config.args;
  // Debugging and testing knobs (documented in docs/wasi.md).
  if (const char* t = std::getenv("WNN_WASI_TRACE")) s.trace = *t && *t != '0';
  if (const char* r = std::getenv("WNN_WASI_RESOLVER"))
    wasi::set_force_fallback_resolver(std::string_view(r) == "fallback");
  s.env = config.env;
  uint32_t fd;
  const int stdio[] = {config.stdin_fd, config.stdout_fd, config.stderr_fd};
  for (uint32_t i = 0; i < 3; ++i) (void)s.fds.insert(wasi::stdio_entry(stdio[i], i), fd);
  for (const WasiPreopen& p : config.preopens) {
    int host = ::open(p.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (host < 0)
      return Error(ErrorKind::Io, "cannot open directory " + p.host_path + " for the guest: " + std::strerror(errno));
    wasi::FdEntry e;
    e.host = host;
    e.type = wasi::FT_DIRECTORY;
    e.rights_base = wasi::right::DIR;
    e.rights_inheriting = wasi::right::DIR | wasi::right::FILE;
    e.preopen = true;
    e.guest_path = p.guest_path;
    if (wasi::Errno err = s.fds.insert(std::move(e), fd)) {
      ::close(host);
      return Error(ErrorKind::Usage, "too many preopened directories (WASI errno " + std::to_string(err) + ")");
    }
  }
  return ctx;
}

std::optional<Extern> WasiContext::resolve(Store& store, std::string_view module, std::string_view name) {
  const FuncSpec* f = find_spec(module, name);
  if (!f) return std::nullopt;
  wasi::State* state = state_.get();
  const bool unstable = module == kUnstable;
  HostFunction fn;
  if (f->impl) {
    const size_t nparams = std::strlen(f->params);
    fn = [state, impl = f->impl, unstable, name = f->name, nparams](HostContext& ctx,
                                                                    uint64_t* slots) -> Expected<void> {
      wasi::Call c{*state, wasi::GuestMemory(ctx.memory), unstable, ctx.store};
      if (!state->trace) [[likely]] {
        slots[0] = impl(c, slots);
        if (c.interrupted) [[unlikely]]
          return interrupted_error();
        return {};
      }
      std::string args;
      for (size_t i = 0; i < nparams; ++i) args += (i ? ", " : "") + std::to_string(int64_t(slots[i]));
      const wasi::Errno e = impl(c, slots);
      std::fprintf(stderr, "[wasi] %s(%s) -> %s\n", name, args.c_str(),
                   c.interrupted ? "interrupted" : std::to_string(unsigned(e)).c_str());
      slots[0] = e;
      if (c.interrupted) return interrupted_error();
      return {};
    };
  } else {
    fn = [](HostContext&, uint64_t* slots) -> Expected<void> {
      Error e(ErrorKind::Trap, "");
      e.trap = TrapKind::Exit;
      e.exit_code = int(uint32_t(slots[0]));
      e.message = "exit with code " + std::to_string(uint32_t(slots[0]));
      return e;
    };
  }
  FuncInst* inst = store.create_host_function(type_of(*f), std::move(fn), std::string(module) + "::" + f->name);
  return Extern{ExternKind::Func, inst};
}

}  // namespace wnn
