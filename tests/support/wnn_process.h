// A `wnn` (or any program) run as a child process, with pipes for stdin,
// stdout and stderr: the tests that check what a user sees (output, exit
// status, files) use it. Children get a code cache of the test's own
// (child_environment), never the user's ~/.cache/wnn.
#pragma once
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace wnn::test {

// $XDG_CACHE_HOME for the children of this test process: a directory of its
// own, removed at exit (ctest runs each test in a process of its own).
inline const std::string& test_cache_home() {
  struct Dir {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("wnn-test-cache-" + std::to_string(::getpid()));
    ~Dir() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  };
  static const Dir dir;
  static const std::string home = dir.path.string();
  return home;
}

// This process's environment plus `extra` (NAME=VALUE), and XDG_CACHE_HOME
// (where `wnn run` keeps its code cache by default) set to test_cache_home()
// unless the test run or `extra` sets it (ctest's wasi-jit and nn-jit share
// one in the build tree). Tests of the cache itself pass --cache DIR.
inline std::vector<std::string> child_environment(const std::vector<std::string>& extra = {}) {
  std::vector<std::string> env;
  bool has_cache_home = false;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  env.insert(env.end(), extra.begin(), extra.end());
  for (const std::string& e : env) has_cache_home |= e.starts_with("XDG_CACHE_HOME=");
  if (!has_cache_home) env.push_back("XDG_CACHE_HOME=" + test_cache_home());
  return env;
}

// A NULL-terminated array of pointers into `strings` (argv, envp).
inline std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// A file's contents (what a child wrote); empty if it cannot be read.
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct ProcessResult {
  std::string out, err;
  int code = -1;  // exit status, or 128 + signal
};

class Process {
 public:
  // Runs `exe args...` in `cwd` with the environment plus `env` (NAME=VALUE).
  Process(const std::string& exe, const std::vector<std::string>& args, const std::filesystem::path& cwd,
          const std::vector<std::string>& env = {}) {
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) fail("pipe2", errno, exe, cwd);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
    std::vector<std::string> argv_s = {exe};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<std::string> env_s = child_environment(env);
    std::vector<char*> argv = c_strings(argv_s), envp = c_strings(env_s);
    if (int e = posix_spawn(&pid_, exe.c_str(), &fa, nullptr, argv.data(), envp.data()))
      fail("posix_spawn", e, exe, cwd);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    signal(SIGPIPE, SIG_IGN);  // a child may exit without reading its stdin
    close(out[1]);
    close(err[1]);
    in_ = in[1];
    out_ = out[0];
    err_ = err[0];
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process() {
    close_stdin();
    if (out_ >= 0) close(out_);
    if (err_ >= 0) close(err_);
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  pid_t pid() const { return pid_; }  // until finish()

  // Queued, written as the child reads (while its output is drained).
  void write_stdin(const std::string& s) {
    pending_ += s;
    pump(0);
  }
  void close_stdin() {
    if (in_ >= 0) close(in_);
    in_ = -1;
  }

  // Reads until stdout contains `what` (or both pipes close, or 60 s pass).
  bool read_until(const std::string& what) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (res_.out.find(what) == std::string::npos) {
      if (out_ < 0 && err_ < 0) return false;
      if (std::chrono::steady_clock::now() > deadline) return false;
      pump(1000);
    }
    return true;
  }

  // Waits for the exit (killing the child if its output is still open after
  // `limit`). `keep_stdin_open`: the child never sees the end of its input
  // (it has to end on its own, e.g. by a timeout).
  ProcessResult finish(bool keep_stdin_open = false, std::chrono::seconds limit = std::chrono::seconds(60)) {
    while (!pending_.empty() && in_ >= 0 && (out_ >= 0 || err_ >= 0)) pump(1000);
    if (!keep_stdin_open) close_stdin();
    auto deadline = std::chrono::steady_clock::now() + limit;
    while ((out_ >= 0 || err_ >= 0) && std::chrono::steady_clock::now() < deadline) pump(1000);
    if (out_ >= 0 || err_ >= 0) kill(pid_, SIGKILL);
    int st = 0;
    waitpid(pid_, &st, 0);
    pid_ = -1;
    res_.code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return res_;
  }

 private:
  // The test cannot go on without its child: says why before aborting.
  [[noreturn]] static void fail(const char* what, int e, const std::string& exe, const std::filesystem::path& cwd) {
    std::fprintf(stderr, "wnn_process: %s of %s in %s failed: %s\n", what, exe.c_str(), cwd.c_str(), std::strerror(e));
    std::abort();
  }

  void pump(int timeout_ms) {
    pollfd p[3] = {{out_, POLLIN, 0}, {err_, POLLIN, 0}, {pending_.empty() ? -1 : in_, POLLOUT, 0}};
    if (poll(p, 3, timeout_ms) <= 0) return;
    if (p[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
      ssize_t n = write(in_, pending_.data(), std::min<size_t>(pending_.size(), 4096));  // <= PIPE_BUF: no blocking
      if (n > 0)
        pending_.erase(0, size_t(n));
      else
        pending_.clear();  // the child closed its stdin
    }
    int* fds[2] = {&out_, &err_};
    std::string* bufs[2] = {&res_.out, &res_.err};
    for (int i = 0; i < 2; ++i) {
      if (*fds[i] < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      ssize_t n = read(*fds[i], buf, sizeof buf);
      if (n > 0) {
        bufs[i]->append(buf, size_t(n));
      } else {
        close(*fds[i]);
        *fds[i] = -1;
      }
    }
  }

  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  std::string pending_;
  ProcessResult res_;
};

// Runs `exe args...` to its end without input: its output and exit status.
inline ProcessResult run_process(const std::string& exe, const std::vector<std::string>& args,
                                 const std::filesystem::path& cwd, const std::vector<std::string>& env = {},
                                 std::chrono::seconds limit = std::chrono::seconds(60)) {
  return Process(exe, args, cwd, env).finish(false, limit);
}

}  // namespace wnn::test
