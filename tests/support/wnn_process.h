// A `wnn` (or any program) run as a child process, with pipes for stdin,
// stdout and stderr: the tests that check what a user sees (output, exit
// status, files) use it.
#pragma once
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

extern char** environ;

namespace wnn::test {

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
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) std::abort();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
    std::vector<std::string> argv_s = {exe};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_s) argv.push_back(s.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_s;
    for (char** e = environ; *e; ++e) env_s.emplace_back(*e);
    env_s.insert(env_s.end(), env.begin(), env.end());
    std::vector<char*> envp;
    for (auto& s : env_s) envp.push_back(s.data());
    envp.push_back(nullptr);
    if (posix_spawn(&pid_, exe.c_str(), &fa, nullptr, argv.data(), envp.data()) != 0) std::abort();
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

  // Waits for the exit. `keep_stdin_open`: the child never sees the end of
  // its input (it has to end on its own, e.g. by a timeout).
  ProcessResult finish(bool keep_stdin_open = false) {
    while (!pending_.empty() && in_ >= 0 && (out_ >= 0 || err_ >= 0)) pump(1000);
    if (!keep_stdin_open) close_stdin();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while ((out_ >= 0 || err_ >= 0) && std::chrono::steady_clock::now() < deadline) pump(1000);
    if (out_ >= 0 || err_ >= 0) kill(pid_, SIGKILL);
    int st = 0;
    waitpid(pid_, &st, 0);
    pid_ = -1;
    res_.code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return res_;
  }

 private:
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

}  // namespace wnn::test
