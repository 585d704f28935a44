// Runs real WASI guests through the `wnn` binary, each in a fresh temporary
// directory holding a sandbox (preopened) and an outside directory (not), and
// checks stdout, stderr, the exit code and the files left behind.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "wnn_process.h"

namespace {

namespace fs = std::filesystem;

std::string guest(const std::string& name) { return std::string(GUEST_DIR) + "/" + name + ".wasm"; }

using wnn::test::slurp;

void spit(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

using Result = wnn::test::ProcessResult;

// The guest precompiled by `wnn compile` (once per guest and process), for
// WNN_TEST_TIER=aot.
std::string precompiled(const std::string& wasm) {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("wnn-wasi-aot-" + std::to_string(::getpid()));
    fs::create_directories(d);
    std::atexit([] { fs::remove_all(fs::temp_directory_path() / ("wnn-wasi-aot-" + std::to_string(::getpid()))); });
    return d;
  }();
  const fs::path out = dir / (fs::path(wasm).stem().string() + ".cwasm");
  if (!fs::exists(out)) {
    wnn::test::ProcessResult r = wnn::test::Process(WNN_EXE, {"compile", wasm, "-o", out.string()}, dir).finish();
    EXPECT_EQ(r.code, 0) << r.err;
  }
  return out.string();
}

// `wnn run` on the tier named by WNN_TEST_TIER (ctest's wasi-jit runs
// every test compiled; wasi-aot runs every guest precompiled), the
// interpreter by default.
std::vector<std::string> with_tier(std::vector<std::string> args) {
  const char* tier = std::getenv("WNN_TEST_TIER");
  if (!tier || !*tier || args.empty()) return args;
  if (std::string(tier) != "aot") {
    if (args[0] == "run") args.insert(args.begin() + 1, std::string("--tier=") + tier);
    return args;
  }
  for (std::string& a : args)
    if (a.starts_with(GUEST_DIR) && a.ends_with(".wasm")) {
      a = precompiled(a);
      break;
    }
  args.insert(args.begin() + (args[0] == "run" ? 1 : 0), "--allow-precompiled");
  return args;
}

// A running `wnn` with pipes for stdin, stdout and stderr.
class Process : public wnn::test::Process {
 public:
  Process(const std::vector<std::string>& args, const fs::path& cwd, const std::vector<std::string>& env)
      : wnn::test::Process(WNN_EXE, with_tier(args), cwd, env) {}
};

class Wasi : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/wnn-wasi-XXXXXX";
    root_ = mkdtemp(tmpl);
    sandbox_ = root_ / "sandbox";
    outside_ = root_ / "outside";
    fs::create_directories(sandbox_ / "sub");
    fs::create_directories(sandbox_ / "list");
    fs::create_directories(outside_);
    spit(outside_ / "secret.txt", "SECRET\n");
    spit(sandbox_ / "data.txt", "data\n");
    spit(sandbox_ / "in.txt", "input data\n");
    spit(sandbox_ / "sub/own.txt", "own\n");
    fs::create_symlink(outside_ / "secret.txt", sandbox_ / "abs_link");
    fs::create_symlink("../outside/secret.txt", sandbox_ / "rel_link");
    fs::create_symlink("chain2", sandbox_ / "chain1");
    fs::create_symlink("sub/chain3", sandbox_ / "chain2");
    fs::create_symlink("../../outside/secret.txt", sandbox_ / "sub/chain3");
    fs::create_symlink("../outside", sandbox_ / "dir_link");
    fs::create_symlink("loop2", sandbox_ / "loop1");
    fs::create_symlink("loop1", sandbox_ / "loop2");
    fs::create_symlink("data.txt", sandbox_ / "inside_link");
    fs::create_symlink("../data.txt", sandbox_ / "sub/up_link");
    fs::create_symlink("secret.txt", outside_ / "link");
    for (const char* n : {"a", "bb", "ccc", "dddd", "eeeee", "ffffff"}) spit(sandbox_ / "list" / n, "");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  Result run(std::vector<std::string> args, const std::string& stdin_data = "",
             const std::vector<std::string>& env = {}) {
    Process p(args, root_, env);
    p.write_stdin(stdin_data);
    return p.finish();
  }
  // The guest sees the sandbox as /sandbox.
  Result run_sandboxed(const std::string& g, std::vector<std::string> guest_args, const std::string& stdin_data = "",
                       const std::vector<std::string>& env = {}) {
    std::vector<std::string> args = {"run", "--dir", sandbox_.string() + "::/sandbox", guest(g)};
    args.insert(args.end(), guest_args.begin(), guest_args.end());
    return run(args, stdin_data, env);
  }

  // Nothing outside the sandbox changed.
  void expect_outside_untouched() {
    std::vector<std::string> names;
    for (auto& e : fs::directory_iterator(outside_)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"link", "secret.txt"}));
    EXPECT_EQ(slurp(outside_ / "secret.txt"), "SECRET\n");
  }

  fs::path root_, sandbox_, outside_;
};

#define EXPECT_RESULT(r, want_out, want_err, want_code) \
  do {                                                  \
    EXPECT_EQ((r).out, want_out);                       \
    EXPECT_EQ((r).err, want_err);                       \
    EXPECT_EQ((r).code, want_code);                     \
  } while (0)

// ---- C guests through wasi-libc ----

TEST_F(Wasi, CHello) {
  Result r = run({guest("fs")});  // the `wnn module.wasm` shorthand
  EXPECT_RESULT(r, "hello from C\n", "", 0);
}

TEST_F(Wasi, CFileIo) {
  Result r = run_sandboxed("fs", {"files"});
  EXPECT_RESULT(r, "read: line one\nread: line two\nread: line three\nin.txt: input data\n", "", 0);
  EXPECT_EQ(slurp(sandbox_ / "out.txt"), "line one\nline two\nline three\n");
}

TEST_F(Wasi, CDirectoriesAndReaddir) {
  Result r = run_sandboxed("fs", {"dirs"});
  EXPECT_RESULT(r,
                "mkdir d: OK\nmkdir d again: EEXIST\nmkdir d/sub: OK\nentries: 43 (dirs incl. . and ..: 3)\n"
                "first: . .. file00 last: sub\nrmdir d (not empty): ENOTEMPTY\nunlink d/sub (a dir): EISDIR\n"
                "rmdir d/sub: OK\nrename file01: OK\nstat old name: ENOENT\n",
                "", 0);
  EXPECT_TRUE(fs::exists(sandbox_ / "d/renamed"));
  EXPECT_FALSE(fs::exists(sandbox_ / "d/file01"));
  EXPECT_FALSE(fs::exists(sandbox_ / "d/file00"));
  EXPECT_TRUE(fs::exists(sandbox_ / "d/file39"));
  EXPECT_FALSE(fs::exists(sandbox_ / "d/sub"));
}

TEST_F(Wasi, CStatAndTimes) {
  Result r = run_sandboxed("fs", {"stat"});
  EXPECT_RESULT(r,
                "stat: OK\nsize=11 reg=1 dir=0 nlink=1\nutimensat: OK\n"
                "atime=1000000000.123456789 mtime=1234567890.987654321\nfutimens: OK\n"
                "fstat mtime=2000000000.000000005 atime unchanged=1\nftruncate 3: OK\nsize after truncate=3\n"
                "stat dir: OK\ndir=1\nsymlink: OK\nlstat link: OK\nlnk=1\nstat link: OK\nreg=1 size=3\n"
                "readlink: in.txt\n",
                "", 0);
  struct stat st;
  ASSERT_EQ(stat((sandbox_ / "in.txt").c_str(), &st), 0);
  // (mtime was set, then changed again by ftruncate)
  EXPECT_EQ(st.st_atim.tv_sec, 1000000000);
  EXPECT_EQ(st.st_size, 3);
  EXPECT_EQ(fs::read_symlink(sandbox_ / "link"), "in.txt");
}

TEST_F(Wasi, CSeek) {
  Result r = run_sandboxed("fs", {"seek"});
  EXPECT_RESULT(r,
                "tell=10\nseek set 3=3\nread=3456\nseek cur -2=5\nseek end -1=9\nseek negative: EINVAL\n"
                "pread@7=789\ntell after pread/pwrite=9\nseek past end=20\n",
                "", 0);
  EXPECT_EQ(slurp(sandbox_ / "seek.bin"), std::string("0AB3456789") + std::string(10, '\0') + "Z");
}

TEST_F(Wasi, CArgsAndEnv) {
  Result r = run({"run", "--env", "GREETING=hi", "--env", "HOME=/home/guest", guest("fs"), "args", "a", "b c"});
  EXPECT_RESULT(r, "argc=4\nargv[1]=args\nargv[2]=a\nargv[3]=b c\nenviron count=2\nGREETING=hi\nHOME=/home/guest\n", "",
                0);
  // No --env: the guest sees no variables; `--env NAME` passes the host's value.
  r = run({"run", "--env", "WNN_TEST_VAR", guest("fs"), "args"}, "", {"WNN_TEST_VAR=from host", "GREETING=leak"});
  EXPECT_RESULT(r, "argc=2\nargv[1]=args\nenviron count=1\nGREETING=(unset)\nHOME=(unset)\n", "", 0);
}

TEST_F(Wasi, CExitCodes) {
  Result r = run({guest("fs"), "exit", "7"});
  EXPECT_RESULT(r, "exiting with 7\n", "bye\n", 0 + 7);
  r = run({guest("fs"), "exit", "0"});
  EXPECT_RESULT(r, "exiting with 0\n", "bye\n", 0);
  r = run({guest("fs"), "exit", "255"});
  EXPECT_EQ(r.code, 255);
  r = run({guest("fs"), "nonsense"});
  EXPECT_RESULT(r, "", "unknown scenario nonsense\n", 2);
}

TEST_F(Wasi, CTrapPrintsBacktrace) {
  Result r = run({guest("fs"), "trap"});
  EXPECT_EQ(r.out, "about to trap\n");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("wnn: trap: unreachable\n  in function"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\"crash_here\"\n  called from function"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\"main\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\"_start\""), std::string::npos) << r.err;
}

TEST_F(Wasi, CStdinStdoutStderr) {
  Result r = run({guest("fs"), "stdin"}, "hello wasi\nsecond line\n");
  EXPECT_RESULT(r, "HELLO WASI\nSECOND LINE\n", "23 bytes\n", 0);
  std::string big(300000, 'x');
  r = run({guest("fs"), "stdin"}, big);
  EXPECT_EQ(r.out, std::string(300000, 'X'));
  EXPECT_EQ(r.err, "300000 bytes\n");
}

TEST_F(Wasi, CClocks) {
  Result r = run({guest("fs"), "clock"});
  EXPECT_RESULT(r,
                "realtime after 2020: 1\nslept >= 20ms: 1\nslept < 2s: 1\nmonotonic res <= 1ms: 1\n"
                "process cputime: OK\nthread cputime: OK\ntime(): 1\n",
                "", 0);
}

TEST_F(Wasi, CRandom) {
  Result r = run({guest("fs"), "random"});
  EXPECT_RESULT(r, "getentropy a: OK\ngetentropy b: OK\ndiffer: 1\nnot all zero: 1\narc4random differs: 1\n", "", 0);
}

TEST_F(Wasi, CErrors) {
  Result r = run_sandboxed("fs", {"errors"});
  EXPECT_RESULT(r,
                "open missing: ENOENT\nopen excl existing: EEXIST\nopendir on file: ENOTDIR\n"
                "path through file: ENOTDIR\nopen dir for write: EISDIR\nunlink file/: ENOTDIR\n"
                "read bad fd: EBADF\nclose bad fd: EBADF\nread a directory: EBADF\nwrite read-only fd: EBADF\n"
                "seek on pipe/tty stdin: ESPIPE\n",
                "", 0);
}

TEST_F(Wasi, DirWithoutGuestNameAndMapdir) {
  // `--dir .` (cwd = the sandbox): relative paths work as under Wasmtime.
  Process p({"run", "--dir", ".", guest("fs"), "files", "."}, sandbox_, {});
  Result r = p.finish();
  EXPECT_RESULT(r, "read: line one\nread: line two\nread: line three\nin.txt: input data\n", "", 0);
  // The older --mapdir GUEST::HOST.
  fs::remove(sandbox_ / "out.txt");
  r = run({"run", "--mapdir", "/data::" + sandbox_.string(), guest("fs"), "files", "/data"});
  EXPECT_RESULT(r, "read: line one\nread: line two\nread: line three\nin.txt: input data\n", "", 0);
  EXPECT_TRUE(fs::exists(sandbox_ / "out.txt"));
}

TEST_F(Wasi, NoPreopenNoAccess) {
  Result r = run({guest("fs"), "files", "/sandbox"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "write: Capabilities insufficient\n");
  EXPECT_FALSE(fs::exists(sandbox_ / "out.txt"));
}

// ---- Direct WASI calls ----

TEST_F(Wasi, RawRights) {
  Result r = run_sandboxed("raw", {"rights"});
  EXPECT_RESULT(r,
                "open read-only: OK\nwrite without right: ENOTCAPABLE\nseek without right: ENOTCAPABLE\n"
                "fdstat: OK\n  type=4 base=2 inheriting=0\nadd a right: ENOTCAPABLE\ndrop all rights: OK\n"
                "read after drop: ENOTCAPABLE\nopen dir limited: OK\nmkdir without right: ENOTCAPABLE\n"
                "create file without right: ENOTCAPABLE\nopen inherits read only: OK\n"
                "write inherited fd: ENOTCAPABLE\nread inherited fd: OK\npath op on a file fd: ENOTCAPABLE\n"
                "fdstat stdout: OK\n",
                "", 0);
}

TEST_F(Wasi, RawBadPointersAreEfault) {
  Result r = run_sandboxed("raw", {"faults"});
  EXPECT_RESULT(r,
                "fd_write iovs out of bounds: EFAULT\nfd_write buffer out of bounds: EFAULT\n"
                "fd_read buffer out of bounds: EFAULT\nfd_write result out of bounds: EFAULT\n"
                "args_get out of bounds: EFAULT\npath_open path out of bounds: EFAULT\n"
                "path_open huge length: EFAULT\nmkdir path out of bounds: EFAULT\n"
                "prestat_dir_name out of bounds: EFAULT\nrandom_get out of bounds: EFAULT\n"
                "random_get end of memory: OK\nrandom_get past end: EFAULT\nclock result out of bounds: EFAULT\n"
                "poll out of bounds: EFAULT\npoll zero subscriptions: EINVAL\nstill alive\n",
                "", 0);
}

TEST_F(Wasi, RawFdPathMiscFunctions) {
  Result r = run_sandboxed("raw", {"misc"});
  EXPECT_RESULT(r,
                "prestat 3: OK\n  tag=0 len=8\nprestat_dir_name short: ENAMETOOLONG\nprestat_dir_name: OK\n"
                "  name=/sandbox\nprestat stdout: EBADF\nprestat closed: EBADF\nrenumber: OK\n"
                "  read via new number: data\nold number closed: EBADF\nrenumber to closed: EBADF\n"
                "open readdir: OK\n  readdir entries=8 truncated=3\nreaddir from cookie 2: OK\n"
                "  entries from cookie 2=6\nreaddir past end: OK\n  used=0\nreaddir on file: ENOTCAPABLE\n"
                "create: OK\nallocate: OK\n  size=4096\nadvise: OK\nadvise bad: EINVAL\ndatasync: OK\nsync: OK\n"
                "set size: OK\npwrite: OK\ntell: OK\n  pos=0\nset times both: EINVAL\nset times: OK\n"
                "  size=10 atim=5000000007 mtim=6000000008 nlink=1\nseek bad whence: EINVAL\n"
                "fdstat_set_flags append: OK\n  flags=1\nfdstat_set_flags sync: ENOTSUP\nlink: OK\n  nlink=2\n"
                "path set times: OK\n  mtim=9000000000\nsymlink: OK\nreadlink truncated: OK\n  n=4 ops.\n"
                "readlink not a link: EINVAL\nopen symlink nofollow: ELOOP\n"
                "open dir as file with O_DIRECTORY: ENOTDIR\nexcl on existing: EEXIST\nbad oflags: EINVAL\n"
                "unlink symlink: OK\nunlink: OK\nrmdir a file: ENOTDIR\nrmdir dot: EINVAL\nclose: OK\n"
                "close again: EBADF\nclock_res realtime: OK\nclock_res process: OK\nclock bad id: EINVAL\n"
                "sched_yield: OK\nproc_raise: ENOSYS\nsock_accept on file: ENOTSOCK\nsock_accept bad fd: EBADF\n"
                "sock_recv on file: ENOTSOCK\nsock_send on file: ENOTSOCK\nsock_shutdown on file: ENOTSOCK\n",
                "", 0);
  std::string ops = slurp(sandbox_ / "ops.bin");
  EXPECT_EQ(ops, std::string("\0\0hello\0\0\0", 10));
  EXPECT_FALSE(fs::exists(sandbox_ / "ops.link"));
}

TEST_F(Wasi, RawPoll) {
  Result r = run_sandboxed("raw", {"poll"}, "hello\n");
  EXPECT_RESULT(r,
                "poll clock: OK\n  n=1 userdata=11 type=0 error=0 waited>=30ms=1\npoll abstime past: OK\n  n=1\n"
                "poll fds: OK\n  n=2\n  event userdata=22 type=1 error=OK nbytes=5\n"
                "  event userdata=33 type=2 error=EBADF nbytes=0\npoll stdin: OK\n  n=1 userdata=44 nbytes=6\n"
                "poll bad tag: EINVAL\n",
                "", 0);
}

// ---- The sandbox, with both resolvers ----

class Sandbox : public Wasi, public ::testing::WithParamInterface<const char*> {
 protected:
  std::vector<std::string> env() { return {std::string("WNN_WASI_RESOLVER=") + GetParam()}; }
};

TEST_P(Sandbox, EscapeAttemptsAreRefused) {
  Result r = run_sandboxed("raw", {"escape"}, "", env());
  EXPECT_RESULT(r,
                "inside file: OK [data ]\ndotdot: ENOTCAPABLE\ndotdot deep: ENOTCAPABLE\ndotdot many: ENOTCAPABLE\n"
                "absolute: ENOTCAPABLE\nabsolute outside: ENOTCAPABLE\nabs symlink: ENOTCAPABLE\n"
                "rel symlink: ENOTCAPABLE\nsymlink chain: ENOTCAPABLE\ndir symlink: ENOTCAPABLE\n"
                "symlink loop: ELOOP\ninside symlink: OK [data ]\ninside symlink up: OK [data ]\n"
                "nofollow symlink: ELOOP\nempty path: ENOENT\ncreate rel symlink out: OK\n"
                "follow own symlink: ENOTCAPABLE\ncreate abs symlink: ENOTCAPABLE\n"
                "create symlink via dotdot: ENOTCAPABLE\nstat dotdot: ENOTCAPABLE\n"
                "stat follow rel symlink: ENOTCAPABLE\nstat nofollow rel symlink: OK\n  type=7\n"
                "mkdir outside: ENOTCAPABLE\nmkdir via dir symlink: ENOTCAPABLE\nunlink outside: ENOTCAPABLE\n"
                "unlink via dir symlink: ENOTCAPABLE\nrename out: ENOTCAPABLE\nrename in: ENOTCAPABLE\n"
                "link outside source: ENOTCAPABLE\nlink follow rel symlink: ENOTCAPABLE\n"
                "link to outside target: ENOTCAPABLE\nset times outside: ENOTCAPABLE\n"
                "readlink outside: ENOTCAPABLE\nrmdir outside: ENOTCAPABLE\nopen sub: OK\nmove sub deeper: OK\n"
                "from moved fd: ..: ENOTCAPABLE\nfrom moved fd: ../../../outside: ENOTCAPABLE\n"
                "from moved fd: own file: OK [own ]\n",
                "", 0);
  expect_outside_untouched();
  EXPECT_EQ(fs::read_symlink(sandbox_ / "mine"), "../outside/secret.txt");  // created, but never followed out
  for (const char* n : {"mine_abs", "hard", "hard2", "stolen.txt"})
    EXPECT_FALSE(fs::exists(fs::symlink_status(sandbox_ / n))) << n;
  EXPECT_TRUE(fs::exists(sandbox_ / "data.txt"));
}

TEST_P(Sandbox, DirectoryMovedOutWhileOpen) {
  // The guest holds an fd to sandbox/sub; we move sub out of the sandbox,
  // next to the secret. The fd still reaches what is beneath it, nothing else.
  Process p({"run", "--dir", sandbox_.string() + "::/sandbox", guest("raw"), "race"}, root_, env());
  ASSERT_TRUE(p.read_until("ready\n"));
  fs::rename(sandbox_ / "sub", outside_ / "moved");
  p.write_stdin("go\n");
  Result r = p.finish();
  EXPECT_RESULT(r,
                "open sub: OK\nready\nafter move: own file: OK [own ]\nafter move: ../secret.txt: ENOTCAPABLE\n"
                "after move: root still fine: OK [data ]\nafter move: sub gone: ENOENT\n",
                "", 0);
}

TEST_P(Sandbox, RustEscapeAttemptsAreRefused) {
  Result r = run_sandboxed("rust_guest", {"escape", "/sandbox"}, "", env());
  EXPECT_RESULT(r,
                "../outside/secret.txt: error (os error Some(76))\nrel_link: error (os error Some(76))\n"
                "abs_link: error (os error Some(76))\nchain1: error (os error Some(76))\n"
                "dir_link/secret.txt: error (os error Some(76))\n/etc/passwd: error (os error None)\n",
                "", 0);
  expect_outside_untouched();
}

INSTANTIATE_TEST_SUITE_P(Resolvers, Sandbox, ::testing::Values("openat2", "fallback"));

// ---- Rust guests through Rust's std ----

TEST_F(Wasi, RustFiles) {
  Result r = run_sandboxed("rust_guest", {"files", "/sandbox"});
  EXPECT_RESULT(r,
                "hello from rust\nsecond line\nfrom 6: \"from rust\\nsecond line\\n\"\nlen=28 file=true dir=false\n"
                "modified set: true\na: [\"b\", \"renamed.txt\"]\nb exists: false\n",
                "", 0);
  EXPECT_EQ(slurp(sandbox_ / "a/renamed.txt"), "hello from rust\nsecond line\n");
  EXPECT_FALSE(fs::exists(sandbox_ / "a/b"));
}

TEST_F(Wasi, RustArgsEnvTime) {
  Result r = run({"run", "--env", "B=2", "--env", "A=1", guest("rust_guest"), "env", "x y"});
  EXPECT_RESULT(r, "args: [\"env\", \"x y\"]\nvars: [(\"A\", \"1\"), (\"B\", \"2\")]\n", "", 0);
  r = run({guest("rust_guest"), "time"});
  EXPECT_RESULT(r, "slept ok: true\nafter 2020: true\n", "", 0);
}

TEST_F(Wasi, RustExitAndPanic) {
  Result r = run({guest("rust_guest"), "exit", "42"});
  EXPECT_RESULT(r, "", "exiting\n", 42);
  r = run({guest("rust_guest"), "panic"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("panicked at 'index out of bounds"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("wnn: trap: unreachable"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rust_guest4main"), std::string::npos) << r.err;
}

// ---- ABI variants, CLI ----

TEST_F(Wasi, WasiUnstableLayouts) {
  Result r = run({"run", "--dir", sandbox_.string(), guest("unstable")});
  EXPECT_RESULT(r, "ok\n", "", 0);
}

TEST_F(Wasi, ReactorInvoke) {
  Result r = run({"run", "--invoke", "add", guest("reactor"), "2", "3"});
  EXPECT_RESULT(r, "initialized\n1005\n", "", 0);
}

// Resource limits end a run with a trap and a backtrace, never by killing the host.
TEST_F(Wasi, LimitsEndRunawayGuests) {
  Result r = run({"run", "--timeout", "0.2", "--invoke", "spin", guest("limits")});
  EXPECT_RESULT(r, "", "wnn: trap: interrupted\n  in function 0 \"spin\"\n", 1);
  r = run({"run", "--fuel", "100000", "--invoke", "spin", guest("limits")});
  EXPECT_RESULT(r, "", "wnn: trap: all fuel consumed\n  in function 0 \"spin\"\n", 1);
  r = run({"run", "--fuel", "100000", "--invoke", "count", guest("limits"), "1000"});
  EXPECT_RESULT(r, "42\n", "", 0);  // enough fuel
  r = run({"run", "--max-memory", "192K", "--invoke", "grow", guest("limits"), "1"});
  EXPECT_RESULT(r, "2\n", "", 0);  // 2 -> 3 pages: within 192 KiB
  r = run({"run", "--max-memory", "192K", "--invoke", "grow", guest("limits"), "2"});
  EXPECT_RESULT(r, "-1\n", "", 0);  // 4 pages would exceed it
  r = run({"run", "--max-memory", "64K", "--invoke", "grow", guest("limits"), "0"});
  EXPECT_RESULT(r, "",
                "wnn: exhaustion: the module's own memories and tables (1 memory(ies), 0 table(s)): 131072 bytes "
                "would bring the store's memories and tables to 131072 bytes, over the limit of 65536 "
                "(StoreConfig::max_total_bytes, wnn run --max-memory)\n",
                1);
  r = run({"run", "--max-call-depth", "3", "--invoke", "deep", guest("limits"), "1"});
  EXPECT_RESULT(r, "",
                "wnn: exhaustion: call stack exhausted\n  in function 1 \"deep\"\n  called from function 1 \"deep\"\n"
                "  called from function 1 \"deep\"\n",
                1);
}

// --timeout also ends a guest that waits in a host call, not only one that
// runs code: sleeping in poll_oneoff, reading a stdin that never ends.
TEST_F(Wasi, TimeoutInterruptsBlockedHostCalls) {
  const auto t0 = std::chrono::steady_clock::now();
  Result r = run({"run", "--timeout", "0.3", guest("fs"), "sleep", "3600000"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "sleeping\n");
  EXPECT_EQ(r.err.rfind("wnn: trap: interrupted\n  in ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("poll_oneoff"), std::string::npos) << r.err;

  Process p({"run", "--timeout", "0.3", guest("fs"), "stdin"}, root_, {});
  p.write_stdin("partial ");  // read and echoed; then the guest waits for more
  r = p.finish(/*keep_stdin_open=*/true);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.rfind("wnn: trap: interrupted\n  in ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("fd_read"), std::string::npos) << r.err;
  // Both ended by the timeout (a hang would take finish()'s 60 s each).
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(20));

  // Without a request, waiting ends as it should.
  r = run({"run", "--timeout", "30", guest("fs"), "sleep", "20"});
  EXPECT_RESULT(r, "sleeping\nwoke\n", "", 0);
  r = run({"run", "--timeout", "30", guest("fs"), "stdin"}, "abc");
  EXPECT_RESULT(r, "ABC", "3 bytes\n", 0);
}

TEST_F(Wasi, UnknownImportsAreListed) {
  Result r = run({guest("imports")});
  EXPECT_RESULT(r, "",
                "wnn: unlinkable: the module needs imports that wnn does not provide:\n"
                "  wasi_snapshot_preview1::fd_nonsense (func (i32) -> (i32)): not a function of "
                "wasi_snapshot_preview1 (built in)\n"
                "  wasi_snapshot_preview1::fd_close (func (i64) -> (i32)): wnn provides it with type (func (i32) -> "
                "(i32))\n"
                // wasi_ephemeral_nn::load (the right type) is provided since wasi-nn landed (tests/nn).
                "  env::g (global): no provider\n",
                1);
}

TEST_F(Wasi, CliErrorsAndHelp) {
  Result r = run({"run", "--dir", (root_ / "missing").string(), guest("fs")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cannot open directory"), std::string::npos) << r.err;
  r = run({"run", "--mapdir", "nocolons", guest("fs")});
  EXPECT_EQ(r.code, 2);
  r = run({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("run"), std::string::npos);
  r = run({"run", "--help"});
  EXPECT_EQ(r.code, 0);
  for (const char* opt : {"--dir", "--mapdir", "--env", "--invoke"})
    EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
}

}  // namespace
