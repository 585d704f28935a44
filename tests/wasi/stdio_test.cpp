// The guest's stdio through the `wnn` binary, with host fds the test chooses
// (an empty pipe it keeps open, a regular file, a directory, a pipe without
// reader): the guest gets stream rights only, its flag changes never reach
// the host's open file descriptions, a broken pipe is EPIPE for the guest and
// no SIGPIPE for wnn. Also path_open's rights as in Wasmtime (guests/stdio.c).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "wnn_process.h"

namespace {

namespace fs = std::filesystem;

std::string guest(const std::string& name) { return std::string(GUEST_DIR) + "/" + name + ".wasm"; }

using wnn::test::slurp;

struct Exit {
  bool exited = false;
  int code = -1;    // exit status, if exited
  int signal = 0;   // the signal that killed it, if not
  std::string err;  // its stderr
};

// Runs `wnn args...` with `in` and `out` as its stdin and stdout, in `cwd`,
// and with SIGPIPE at its default action (the test may ignore it, and an
// ignored signal stays ignored across exec).
Exit run_wnn(const std::vector<std::string>& args, int in, int out, const fs::path& cwd) {
  int err[2];
  if (pipe2(err, O_CLOEXEC)) std::abort();
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in, 0);
  posix_spawn_file_actions_adddup2(&fa, out, 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t dfl;
  sigemptyset(&dfl);
  sigaddset(&dfl, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &dfl);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  std::vector<std::string> argv_s = {WNN_EXE};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<std::string> env_s = wnn::test::child_environment();
  std::vector<char*> argv = wnn::test::c_strings(argv_s), envp = wnn::test::c_strings(env_s);
  pid_t pid;
  if (posix_spawn(&pid, WNN_EXE, &fa, &attr, argv.data(), envp.data()) != 0) std::abort();
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  close(err[1]);
  Exit r;
  char buf[4096];
  for (ssize_t n; (n = read(err[0], buf, sizeof buf)) > 0;) r.err.append(buf, size_t(n));
  close(err[0]);
  int st = 0;
  waitpid(pid, &st, 0);
  r.exited = WIFEXITED(st);
  r.code = r.exited ? WEXITSTATUS(st) : -1;
  r.signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
  return r;
}

class WasiStdio : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/wnn-stdio-XXXXXX";
    root_ = mkdtemp(tmpl);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  static int flags_of(int fd) { return fcntl(fd, F_GETFL); }

  fs::path root_;
};

// `sleep 2 | (wnn run setfl.wasm; cat)`: the guest's NONBLOCK on stdin and
// APPEND|NONBLOCK on stdout are its own; the pipes' descriptions, shared
// with the next reader, keep their flags.
TEST_F(WasiStdio, FlagChangesStayInTheGuest) {
  int in[2], out[2];
  ASSERT_EQ(pipe2(in, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  const int in_flags = flags_of(in[0]), out_flags = flags_of(out[1]);
  Exit r = run_wnn({"run", guest("stdio"), "setfl"}, in[0], out[1], root_);
  EXPECT_TRUE(r.exited) << "signal " << r.signal;
  EXPECT_EQ(r.code, 0);
  // fd 0, 1: pipes (WASI has no FIFO type: unknown); stream rights only.
  EXPECT_EQ(r.err,
            "fdstat 0: OK type=0 flags=0 base=820000a inheriting=0\n"
            "fdstat 1: OK type=0 flags=0 base=8200048 inheriting=0\n"
            "nonblock stdin: OK\n"
            "fdstat 0: OK type=0 flags=4 base=820000a inheriting=0\n"
            "read empty stdin: EAGAIN\n"
            "append+nonblock stdout: OK\n"
            "fdstat 1: OK type=0 flags=5 base=8200048 inheriting=0\n"
            "write stdout: OK\n"
            "sync stdout: ENOTSUP\n"
            "seek stdin: ENOTCAPABLE\n");
  EXPECT_EQ(flags_of(in[0]), in_flags);
  EXPECT_EQ(flags_of(out[1]), out_flags);
  EXPECT_FALSE(flags_of(in[0]) & O_NONBLOCK);
  // The next reader of stdin (`cat`) blocks until data comes, no EAGAIN.
  std::thread writer([&] {
    usleep(100 * 1000);
    EXPECT_EQ(write(in[1], "late\n", 5), 5);
  });
  char buf[16];
  const ssize_t n = read(in[0], buf, sizeof buf);
  writer.join();
  EXPECT_EQ(std::string(buf, n > 0 ? size_t(n) : 0), "late\n");
  close(out[1]);
  const ssize_t m = read(out[0], buf, sizeof buf);
  EXPECT_EQ(std::string(buf, m > 0 ? size_t(m) : 0), "to stdout\n");
  for (int fd : {in[0], in[1], out[0]}) close(fd);
}

// stdout is a regular file opened without O_APPEND, at offset 0: the guest
// may not seek, truncate, allocate or touch it; its APPEND writes at the end
// and the host's description stays without O_APPEND.
TEST_F(WasiStdio, AppendToRegularFileStdout) {
  const fs::path file = root_ / "out.txt";
  { std::ofstream(file) << "existing\n"; }
  const int out = open(file.c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(out, 0);
  const int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int out_flags = flags_of(out);
  struct stat before;
  ASSERT_EQ(fstat(out, &before), 0);
  Exit r = run_wnn({"run", guest("stdio"), "append"}, in, out, root_);
  EXPECT_TRUE(r.exited) << "signal " << r.signal;
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err,
            "fdstat 1: OK type=4 flags=0 base=8200048 inheriting=0\n"
            "seek stdout: ENOTCAPABLE\ntell stdout: ENOTCAPABLE\ntruncate stdout: ENOTCAPABLE\n"
            "allocate stdout: ENOTCAPABLE\nset times stdout: ENOTCAPABLE\nsync stdout: ENOTCAPABLE\n"
            "append stdout: OK\n"
            "fdstat 1: OK type=4 flags=1 base=8200048 inheriting=0\n"
            "write 1: OK\nwrite 2: OK\n");
  EXPECT_EQ(slurp(file), "existing\nappended 1\nappended 2\n");
  EXPECT_EQ(flags_of(out), out_flags);
  EXPECT_FALSE(flags_of(out) & O_APPEND);
  close(out);
  close(in);
}

// `wnn run g.wasm < dir` with no --dir: fd 0 is a stream with read rights,
// no path or readdir rights, and the directory is left as it was.
TEST_F(WasiStdio, DirectoryOnStdinGivesNoDirectoryRights) {
  const fs::path dir = root_ / "victim";
  fs::create_directories(dir / "subdir");
  { std::ofstream(dir / "file.txt") << "keep me\n"; }
  const int in = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(in, 0);
  const int out = open("/dev/null", O_WRONLY | O_CLOEXEC);
  Exit r = run_wnn({"run", guest("stdio"), "stdin_dir"}, in, out, root_);
  EXPECT_TRUE(r.exited) << "signal " << r.signal;
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err,
            "fdstat 0: OK type=0 flags=0 base=820000a inheriting=0\n"
            "filestat 0: OK\n  filetype=0\n"
            "readdir: ENOTCAPABLE\nopen file: ENOTCAPABLE\nopen dot: ENOTCAPABLE\ncreate: ENOTCAPABLE\n"
            "unlink: ENOTCAPABLE\nrename: ENOTCAPABLE\nmkdir: ENOTCAPABLE\nrmdir: ENOTCAPABLE\n"
            "symlink: ENOTCAPABLE\nstat path: ENOTCAPABLE\nrenumber to 9: EBADF\ndrop rights: OK\n"
            "add rights: ENOTCAPABLE\nread: EISDIR\n");
  std::vector<std::string> names;
  for (auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"file.txt", "subdir"}));
  EXPECT_EQ(slurp(dir / "file.txt"), "keep me\n");
  close(in);
  close(out);
}

// `wnn run spew.wasm | head -c 1`: the guest's writes fail with EPIPE and it
// exits with its own status; wnn is not killed by SIGPIPE.
TEST_F(WasiStdio, BrokenPipeIsEpipeForTheGuest) {
  int out[2];
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  close(out[0]);
  const int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  Exit r = run_wnn({"run", guest("stdio"), "epipe"}, in, out[1], root_);
  EXPECT_TRUE(r.exited) << "killed by signal " << r.signal;
  EXPECT_EQ(r.signal, 0);
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(r.err, "write: EPIPE\nwrite again: EPIPE\n");
  close(out[1]);
  close(in);
}

// path_open as in Wasmtime: "." with the preopen's reported rights opens the
// directory; O_TRUNC with rights 0 truncates; rights are still enforced.
TEST_F(WasiStdio, PathOpenRightsAsWasmtime) {
  const fs::path sandbox = root_ / "sandbox";
  fs::create_directories(sandbox / "sub");
  { std::ofstream(sandbox / "data.txt") << "data\n"; }
  { std::ofstream(sandbox / "trunc.txt") << "to be truncated\n"; }
  { std::ofstream(sandbox / "sub/own.txt") << "own\n"; }
  const int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  int out = open("/dev/null", O_WRONLY | O_CLOEXEC);
  Exit r = run_wnn({"run", "--dir", sandbox.string() + "::/sandbox", guest("stdio"), "paths"}, in, out, root_);
  EXPECT_TRUE(r.exited) << "signal " << r.signal;
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err,
            "open . with the preopen's rights: OK\n  type=3 same base=1 same inheriting=1\n"
            "readdir it: OK\nopen through it: OK\n"
            "open . with file rights: OK\n  type=3 read=0 seek=0\n"
            "open . with its inheriting rights (FD_WRITE): EISDIR\n"
            "open sub O_DIRECTORY with FD_WRITE: EISDIR\n"
            "truncate with rights 0: OK\n  type=4 base=0 inheriting=0\n  read it: ENOTCAPABLE\n"
            "O_DIRECTORY on a file: ENOTDIR\nO_CREAT on a directory: EISDIR\nO_CREAT|O_DIRECTORY: EINVAL\n"
            "O_TRUNC|O_DIRECTORY: EINVAL\nopen sub limited: OK\ntruncate without the right: ENOTCAPABLE\n"
            "open for write: OK\n  base=2\n  write it: ENOTCAPABLE\n");
  EXPECT_EQ(fs::file_size(sandbox / "trunc.txt"), 0u);
  EXPECT_EQ(slurp(sandbox / "data.txt"), "data\n");
  EXPECT_EQ(slurp(sandbox / "sub/own.txt"), "own\n");
  EXPECT_FALSE(fs::exists(sandbox / "newdir"));
  close(in);
  close(out);
}

}  // namespace
