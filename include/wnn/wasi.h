// WASI preview1 for embedders: a WasiContext owns the guest's view of the
// world (arguments, environment, file descriptors with their rights, the
// preopened directories) and provides the host functions of the modules
// `wasi_snapshot_preview1` and `wasi_unstable`.
//
//   auto wasi = WasiContext::create(config);           // opens the preopens
//   store.instantiate(module, [&](auto mod, auto name) { return (*wasi)->resolve(store, mod, name); });
//
// A guest's `proc_exit(n)` ends the call with an Error of kind Trap,
// trap == TrapKind::Exit and exit_code == n.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wnn/expected.h"
#include "wnn/host.h"
#include "wnn/types.h"

namespace wnn {

namespace wasi {
struct State;  // the context's file descriptors, arguments, environment (src/wasi/state.h)
}

struct WasiPreopen {
  std::string host_path;   // a directory on the host
  std::string guest_path;  // the name the guest sees (e.g. "." or "/data")
};

struct WasiConfig {
  std::vector<std::string> args;  // argv, including argv[0]
  std::vector<std::string> env;   // "NAME=VALUE"
  std::vector<WasiPreopen> preopens;
  // Host fds for guest fds 0, 1, 2; never closed by wnn. The guest gets them as
  // streams (read for 0, write for 1 and 2; no seek, path or readdir rights,
  // even on a file or directory), its fd_fdstat_set_flags is emulated (their
  // open file descriptions are the host's: never fcntl'd), and its writes to
  // them return EPIPE, never raising SIGPIPE (docs/wasi.md, "Stdio").
  int stdin_fd = 0;
  int stdout_fd = 1;
  int stderr_fd = 2;
};

class WasiContext {
 public:
  // Opens every preopen directory (Io error if one cannot be opened).
  static Expected<std::unique_ptr<WasiContext>> create(const WasiConfig& config);
  ~WasiContext();
  WasiContext(const WasiContext&) = delete;
  WasiContext& operator=(const WasiContext&) = delete;

  // The host function for (module, name), created in `store`; nullopt when
  // this is not a WASI function. The context must outlive the store's use.
  std::optional<Extern> resolve(Store& store, std::string_view module, std::string_view name);
  // The type `resolve` gives (module, name), if it knows it.
  static std::optional<FuncType> function_type(std::string_view module, std::string_view name);
  static bool is_wasi_module(std::string_view module);

 private:
  WasiContext();
  std::unique_ptr<wasi::State> state_;
};

}  // namespace wnn
