#include "nn/worker/sandbox.h"

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <set>
#include <vector>

namespace wnn::nn::worker {

namespace {

#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
// Sanitizer builds: ASan's shadow memory is a huge private reservation that
// RLIMIT_DATA counts (no allocation would succeed under any cap), and its
// error reports symbolize by running llvm-symbolizer (execve): no memory
// cap there, and a call outside the allowlist fails with EPERM instead of
// killing the worker, so that a report comes out whole (unsymbolized).
constexpr bool kSanitizer = true;
#else
constexpr bool kSanitizer = false;
#endif

std::string sys_error(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// What the worker calls once confined, OpenVINO's start-up included (its
// Core, CPU plugin, oneDNN, oneTBB, the ONNX/TF/TFLite frontends): measured
// with `strace -f` over tests/nn (nn_test, nn_worker_test: IR, ONNX, TF,
// TFLite, BlazeFace, Tile, the compiled-model cache; mkdir/rmdir: the
// frontends' private temporary directory), plus exit_group,
// rt_sigreturn, gettid and tgkill of its own threads only (abort), clone (glibc's fallback from clone3),
// clock_gettime/clock_nanosleep (vDSO fallback, sleeps) and mremap
// (realloc). Absent on purpose: every socket call but send/recv on the
// inherited socket (no socket, connect, bind: no network), execve, ptrace,
// process_vm_*, kill (of other processes), ioctl, mount, bpf, io_uring,
// memfd_create and ftruncate (the arena), chmod/chown/rename/link.
const int kAllowed[] = {
    // files (Landlock decides which): the model cache, the frontends' temporary files, OpenVINO's libraries
    SYS_read,
    SYS_write,
    SYS_writev,
    SYS_lseek,
    SYS_close,
    SYS_openat,
    SYS_newfstatat,
    SYS_fstat,
    SYS_stat,
    SYS_faccessat2,
    SYS_getdents64,
    SYS_readlink,
    SYS_fcntl,
    SYS_unlink,
    SYS_mkdir,
    SYS_rmdir,
    SYS_getrandom,
    // memory
    SYS_mmap,
    SYS_munmap,
    SYS_mprotect,
    SYS_mremap,
    SYS_madvise,
    SYS_mbind,
    SYS_brk,
    // threads (oneTBB), signals, process
    SYS_futex,
    SYS_sched_yield,
    SYS_sched_getaffinity,
    SYS_sched_setaffinity,
    SYS_clone,
    SYS_clone3,
    SYS_set_robust_list,
    SYS_rseq,
    SYS_exit,
    SYS_exit_group,
    SYS_rt_sigprocmask,
    SYS_rt_sigaction,
    SYS_rt_sigreturn,
    SYS_sigaltstack,
    SYS_getpid,
    SYS_gettid,
    SYS_arch_prctl,
    SYS_prlimit64,
    SYS_uname,
    SYS_clock_gettime,
    SYS_clock_nanosleep,
    // llama.cpp (measured as below over tests/nn/llm_test.cpp): sysinfo (glibc's
    // sysconf(_SC_PHYS_PAGES) for the CPU device's free memory)
    SYS_sysinfo,
    // the request socket
    SYS_recvfrom,
    SYS_sendto,
};

// Sanitizer builds also: UBSan's vptr check tests that a vtable is readable
// by writing it into a pipe (sanitizer_common's IsAccessibleMemoryRange).
const int kSanitizerAllowed[] = {SYS_pipe2, SYS_pipe};

std::optional<std::string> install_seccomp() {
  std::vector<sock_filter> f;
  auto stmt = [&](uint16_t code, uint32_t k) { f.push_back(sock_filter{code, 0, 0, k}); };
  auto jump = [&](uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) { f.push_back(sock_filter{code, jt, jf, k}); };
  stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch));
  jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
  stmt(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr));
  // tgkill: only to this process (abort() raises a signal that way).
  jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_tgkill, 0, 4);
  stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args[0]));  // tgid (low half, little-endian)
  jump(BPF_JMP | BPF_JEQ | BPF_K, uint32_t(::getpid()), 0, 1);
  stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  stmt(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  // OpenVINO marks its cache blobs read-only (chmod 0440): answered "done"
  // without effect, since Landlock cannot confine chmod to the cache dir.
  jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_fchmodat, 0, 1);
  stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0);
  std::vector<int> allowed(std::begin(kAllowed), std::end(kAllowed));
  if (kSanitizer) allowed.insert(allowed.end(), std::begin(kSanitizerAllowed), std::end(kSanitizerAllowed));
  const size_t n = allowed.size();
  for (size_t i = 0; i < n; ++i)  // match: jump over the rest to ALLOW
    jump(BPF_JMP | BPF_JEQ | BPF_K, uint32_t(allowed[i]), uint8_t(n - i), 0);
  stmt(BPF_RET | BPF_K, kSanitizer ? SECCOMP_RET_ERRNO | EPERM : SECCOMP_RET_KILL_PROCESS);
  stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  sock_fprog prog{uint16_t(f.size()), f.data()};
  // All threads (TBB's pool already runs): TSYNC.
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog) != 0)
    return sys_error("seccomp");
  return std::nullopt;
}

// The directories of every file mapped now (the executable, its libraries,
// OpenVINO's plugins and frontends): a lazy load later still finds them.
std::set<std::string> mapped_dirs() {
  std::set<std::string> dirs;
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const size_t slash = line.find('/');
    if (slash == std::string::npos) continue;
    std::string path = line.substr(slash);
    if (path.size() > 10 && path.compare(path.size() - 10, 10, " (deleted)") == 0) continue;
    dirs.insert(path.substr(0, path.rfind('/')));
  }
  return dirs;
}

// Debian 12's kernel headers stop at Landlock ABI 2: the later constants
// and the ruleset attribute with network rights, from the kernel's uapi.
constexpr uint64_t kFsTruncate = 1ull << 14, kFsIoctlDev = 1ull << 15;
constexpr uint64_t kNetBindTcp = 1, kNetConnectTcp = 2;
struct RulesetAttr {
  uint64_t handled_access_fs = 0, handled_access_net = 0;
};

std::optional<std::string> install_landlock(const std::string& cache_dir, const std::string& tmp_dir) {
  const long abi = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (abi < 1) return std::nullopt;  // no Landlock in this kernel: seccomp alone (docs/security.md)
  uint64_t all = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;          // ABI 1
  if (abi >= 2) all |= LANDLOCK_ACCESS_FS_REFER;
  if (abi >= 3) all |= kFsTruncate;
  if (abi >= 5) all |= kFsIoctlDev;
  RulesetAttr attr;
  attr.handled_access_fs = all;
  if (abi >= 4) attr.handled_access_net = kNetBindTcp | kNetConnectTcp;
  const size_t attr_size = abi >= 4 ? sizeof attr : sizeof attr.handled_access_fs;
  const int rs = int(::syscall(SYS_landlock_create_ruleset, &attr, attr_size, 0));
  if (rs < 0) return sys_error("landlock_create_ruleset");
  auto allow = [&](const std::string& dir, uint64_t access) -> std::optional<std::string> {
    const int fd = ::open(dir.c_str(), O_PATH | O_CLOEXEC);
    if (fd < 0) return std::nullopt;  // gone: nothing to allow
    landlock_path_beneath_attr pb{access & all, fd};
    const long r = ::syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
    ::close(fd);
    if (r != 0) return sys_error(("landlock_add_rule " + dir).c_str());
    return std::nullopt;
  };
  const uint64_t read = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_EXECUTE;
  std::optional<std::string> err;
  for (const std::string& d : mapped_dirs())
    if (!err) err = allow(d, read);
  for (const char* d : {"/proc/self", "/sys/devices/system/cpu", "/sys/fs/cgroup"})
    if (!err) err = allow(d, read);
  for (const std::string* d : {&cache_dir, &tmp_dir})
    if (!err && !d->empty()) err = allow(*d, all);
  if (!err && ::syscall(SYS_landlock_restrict_self, rs, 0) != 0) err = sys_error("landlock_restrict_self");
  ::close(rs);
  return err;
}

}  // namespace

std::optional<std::string> cap_memory(uint64_t bytes) {
  if (!bytes || kSanitizer) return std::nullopt;
  rlimit r{rlim_t(bytes), rlim_t(bytes)};
  if (::setrlimit(RLIMIT_DATA, &r) != 0) return sys_error("setrlimit(RLIMIT_DATA)");
  return std::nullopt;
}

std::optional<std::string> restrict_files(const std::string& cache_dir, const std::string& tmp_dir) {
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return sys_error("PR_SET_NO_NEW_PRIVS");
  return install_landlock(cache_dir, tmp_dir);
}

std::optional<std::string> restrict_syscalls() { return install_seccomp(); }

}  // namespace wnn::nn::worker
