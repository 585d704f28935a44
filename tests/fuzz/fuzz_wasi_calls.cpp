// Fuzz target (c): WASI host functions with guest-chosen arguments over a
// guest-filled memory.
//
// A module generated here imports every function of wasi_snapshot_preview1
// and wasi_unstable and exports, for each, a trampoline `t<i>` that passes
// its parameters on (so the host function runs with the trampoline's
// instance, and its memory, as caller), plus its one-page memory. Per input:
// a fresh sandbox directory (a file, a directory, symlinks pointing inside,
// outside and to an absolute path) is preopened as "." and "/d"; the input
// fills memory and chooses calls and their i32/i64 arguments (pointers,
// lengths, fds, flags, rights) and the path resolver (openat2 or the
// user-space fallback).
// Input: [head: bit 0-2 calls-1, bit 3 fallback resolver] then per call
// [function index][per parameter: mode byte, then 4/8 raw bytes (mode 0),
// one byte & 15 (mode 1) or 2 bytes (mode 2, 3)]; the rest fills memory from 0. Checked after each input, besides
// sanitizers: nothing appeared beside the sandbox directory, the file beside
// it is unchanged, and no host fd leaked. stdin is a directory fd to the
// sandbox's parent (it must give no path rights: anything made or removed
// there through fd 0 is caught as an escape); stdout and stderr are
// /dev/null, whose open file description's flags must not change (the
// guest's fdflags on stdio are emulated).
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dirent.h>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "wasi/path_resolver.h"
#include "wasm_writer.h"
#include "wnn/runtime.h"
#include "wnn/wasi.h"

namespace {

const char* const kNames[] = {
    "args_get",
    "args_sizes_get",
    "environ_get",
    "environ_sizes_get",
    "clock_res_get",
    "clock_time_get",
    "fd_advise",
    "fd_allocate",
    "fd_close",
    "fd_datasync",
    "fd_fdstat_get",
    "fd_fdstat_set_flags",
    "fd_fdstat_set_rights",
    "fd_filestat_get",
    "fd_filestat_set_size",
    "fd_filestat_set_times",
    "fd_pread",
    "fd_prestat_get",
    "fd_prestat_dir_name",
    "fd_pwrite",
    "fd_read",
    "fd_readdir",
    "fd_renumber",
    "fd_seek",
    "fd_sync",
    "fd_tell",
    "fd_write",
    "path_create_directory",
    "path_filestat_get",
    "path_filestat_set_times",
    "path_link",
    "path_open",
    "path_readlink",
    "path_remove_directory",
    "path_rename",
    "path_symlink",
    "path_unlink_file",
    "poll_oneoff",
    "proc_exit",
    "proc_raise",
    "sched_yield",
    "random_get",
    "sock_accept",
    "sock_recv",
    "sock_send",
    "sock_shutdown",
};

using Fn = wnn::test::HostImport;

struct Fixture {
  std::vector<Fn> fns;
  std::shared_ptr<const wnn::CompiledModule> module;
  std::string parent, root, secret;
  int devnull = -1;
  int devnull_flags = -1;
  int parent_dir = -1;  // the guest's stdin
  int parent_dir_flags = -1;
  int fd_probe = -1;  // lowest free fd after setup: a leak moves it
};

const char kSecret[] = "not for the guest\n";

void write_file(const std::string& path, const char* text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) std::abort();
  if (::write(fd, text, std::strlen(text)) < 0) std::abort();
  ::close(fd);
}

int remove_entry(const char* path, const struct stat*, int type, struct FTW* ftw) {
  if (type == FTW_DP) ::chmod(path, 0755);  // (not through symlinks: FTW_PHYS gives FTW_SL for them)
  if (ftw->level > 0) ::remove(path);
  return 0;
}

void remove_fixture_dir();

void reset_sandbox(const Fixture& fx) {
  ::chmod(fx.root.c_str(), 0755);
  ::nftw(fx.root.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  write_file(fx.root + "/a", "hello, world\n");
  ::mkdir((fx.root + "/d").c_str(), 0755);
  write_file(fx.root + "/d/b", "bbbb");
  (void)::symlink("../secret", (fx.root + "/up").c_str());
  (void)::symlink("a", (fx.root + "/l").c_str());
  (void)::symlink("/etc/passwd", (fx.root + "/abs").c_str());
  (void)::symlink("../../secret", (fx.root + "/d/up2").c_str());
}

void check_sandbox(const Fixture& fx) {
  std::set<std::string> names;
  if (DIR* d = ::opendir(fx.parent.c_str())) {
    while (dirent* e = ::readdir(d))
      if (std::strcmp(e->d_name, ".") && std::strcmp(e->d_name, "..")) names.insert(e->d_name);
    ::closedir(d);
  }
  if (names != std::set<std::string>{"root", "secret"}) {
    std::fprintf(stderr, "fuzz_wasi_calls: SANDBOX ESCAPE: the guest changed %s\n", fx.parent.c_str());
    std::abort();
  }
  char buf[64] = {};
  int fd = ::open(fx.secret.c_str(), O_RDONLY | O_CLOEXEC);
  ssize_t n = fd >= 0 ? ::read(fd, buf, sizeof buf - 1) : -1;
  if (fd >= 0) ::close(fd);
  struct stat st{};
  if (n != ssize_t(sizeof kSecret - 1) || std::memcmp(buf, kSecret, n) || ::lstat(fx.secret.c_str(), &st) ||
      !S_ISREG(st.st_mode) || (st.st_mode & 07777) != 0644) {
    std::fprintf(stderr, "fuzz_wasi_calls: SANDBOX ESCAPE: %s was modified\n", fx.secret.c_str());
    std::abort();
  }
  if (::fcntl(fx.devnull, F_GETFL) != fx.devnull_flags || ::fcntl(fx.parent_dir, F_GETFL) != fx.parent_dir_flags) {
    std::fprintf(stderr, "fuzz_wasi_calls: the guest changed the flags of the host's stdio descriptions\n");
    std::abort();
  }
  int probe = ::dup(fx.devnull);
  ::close(probe);
  if (probe != fx.fd_probe) {
    std::fprintf(stderr, "fuzz_wasi_calls: host fd leak (lowest free fd %d, was %d)\n", probe, fx.fd_probe);
    std::abort();
  }
}

Fixture& fixture() {
  static Fixture* fx = [] {
    auto* f = new Fixture;
    for (const char* module : {"wasi_snapshot_preview1", "wasi_unstable"})
      for (const char* n : kNames)
        if (auto t = wnn::WasiContext::function_type(module, n)) f->fns.push_back({module, n, *t});
    auto m = wnn::compile(wnn::test::trampoline_module(f->fns, {{1, 2}}));  // memory: 1..2 pages
    if (!m) {
      std::fprintf(stderr, "fuzz_wasi_calls: trampoline module: %s\n", m.error().message.c_str());
      std::abort();
    }
    f->module = *m;
    char tmpl[] = "/tmp/wnn-fuzz-wasi.XXXXXX";
    if (!::mkdtemp(tmpl)) std::abort();
    f->parent = tmpl;
    f->root = f->parent + "/root";
    f->secret = f->parent + "/secret";
    ::mkdir(f->root.c_str(), 0755);
    write_file(f->secret, kSecret);
    ::chmod(f->secret.c_str(), 0644);
    f->devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    f->devnull_flags = ::fcntl(f->devnull, F_GETFL);
    f->parent_dir = ::open(f->parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    f->parent_dir_flags = ::fcntl(f->parent_dir, F_GETFL);
    int probe = ::dup(f->devnull);
    ::close(probe);
    f->fd_probe = probe;
    std::atexit(remove_fixture_dir);
    return f;
  }();
  return *fx;
}

void remove_fixture_dir() {
  const Fixture& fx = fixture();
  ::nftw(fx.parent.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  ::rmdir(fx.parent.c_str());
}

using wnn::fuzz::Input;

// An argument: mostly in-memory pointers/lengths and small fds/flags; sometimes anything.
uint64_t arg(Input& in, bool i64) {
  switch (in.u8() & 3) {
    case 0: return in.bytes(i64 ? 8 : 4);
    case 1: return in.u8() & 15;
    default: return in.bytes(2);
  }
}

struct Call {
  size_t fn;
  std::vector<uint64_t> args;
};

// Keeps the host's resources bounded: no waiting in poll_oneoff, no huge
// preallocation or file sizes. Everything else goes through as chosen.
void tame(const Fn& f, std::vector<uint64_t>& a, std::span<uint8_t> mem) {
  if (f.name == "fd_allocate") a[2] &= (1u << 20) - 1;
  if (f.name == "fd_filestat_set_size") a[1] &= (1u << 24) - 1;
  if (f.name == "poll_oneoff") {
    const bool unstable = f.module == "wasi_unstable";
    const uint64_t size = unstable ? 56 : 48, clock = unstable ? 24 : 16;
    const uint64_t in = uint32_t(a[0]), nsubs = uint32_t(a[2]);
    for (uint64_t s = 0; s < nsubs && in + (s + 1) * size <= mem.size(); ++s) {
      uint8_t* sub = mem.data() + in + s * size;
      if (sub[8] != 0) continue;  // not a clock subscription
      uint64_t timeout;
      std::memcpy(&timeout, sub + clock + 8, 8);
      timeout %= 1000000;  // at most 1 ms
      std::memcpy(sub + clock + 8, &timeout, 8);
      sub[clock + 24] &= ~1;  // relative, not absolute
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Fixture& fx = fixture();
  Input in{data, size};
  std::vector<Call> calls;
  const uint8_t head = in.u8();
  const size_t ncalls = (head & 7) + 1;
  // Bit 3: resolve paths with the user-space fallback instead of openat2.
  wnn::wasi::set_force_fallback_resolver(head & 8);
  for (size_t i = 0; i < ncalls; ++i) {
    Call c;
    c.fn = in.u8() % fx.fns.size();
    for (wnn::ValType t : fx.fns[c.fn].type.params) c.args.push_back(arg(in, t == wnn::ValType::I64));
    calls.push_back(std::move(c));
  }

  reset_sandbox(fx);
  {
    wnn::WasiConfig config;
    config.args = {"prog", "arg1", "x=y"};
    config.env = {"HOME=/", "A=1"};
    config.preopens = {{fx.root, "."}, {fx.root + "/d", "/d"}};
    config.stdin_fd = fx.parent_dir;
    config.stdout_fd = config.stderr_fd = fx.devnull;
    auto wasi = wnn::WasiContext::create(config);
    if (!wasi) std::abort();
    wnn::StoreConfig sc;
    sc.value_stack_slots = 1 << 12;
    wnn::Store store(sc);
    auto inst = store.instantiate(
        fx.module, [&](std::string_view mod, std::string_view name) { return (*wasi)->resolve(store, mod, name); });
    if (!inst) {
      std::fprintf(stderr, "fuzz_wasi_calls: instantiate: %s\n", inst.error().message.c_str());
      std::abort();
    }
    wnn::MemoryInst* memory = store.find_export(*inst, "memory")->memory();
    std::span<uint8_t> mem = store.memory_data(memory);
    std::memcpy(mem.data(), in.p, std::min(in.n, mem.size()));
    for (Call& c : calls) {
      const Fn& f = fx.fns[c.fn];
      tame(f, c.args, mem);
      std::vector<wnn::Value> args;
      for (size_t i = 0; i < c.args.size(); ++i)
        args.push_back(f.type.params[i] == wnn::ValType::I64 ? wnn::Value::i64(c.args[i])
                                                             : wnn::Value::i32(uint32_t(c.args[i])));
      auto t = store.find_export(*inst, "t" + std::to_string(c.fn));
      auto r = store.invoke(t->func(), args);
      if (!r && r.error().trap != wnn::TrapKind::Exit) {
        std::fprintf(stderr, "fuzz_wasi_calls: %s::%s trapped: %s\n", f.module.c_str(), f.name.c_str(),
                     r.error().message.c_str());
        std::abort();  // WASI functions return errnos; only proc_exit ends the call
      }
    }
  }
  check_sandbox(fx);
  return 0;
}
