// Running `wnn` as a child process for the wasi-nn tests (nn_test.cpp,
// model_attacks_test.cpp): its exit code, stdout and stderr.
#pragma once
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace nn_test {

namespace fs = std::filesystem;

struct Result {
  std::string out, err;
  int code = -1;
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `exe args...` (argv[0] = exe) in `cwd` with extra environment variables.
inline Result run_program(const std::string& exe, std::vector<std::string> args, const fs::path& cwd,
                          const std::vector<std::string>& env = {}) {
  const fs::path tmp = fs::temp_directory_path() / ("wnn_nn_test_" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  const std::string out = (tmp / "out").string(), err = (tmp / "err").string();
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
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
  pid_t pid = 0;
  Result r;
  if (posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), envp.data()) != 0) return r;
  posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  fs::remove_all(tmp);
  return r;
}

// Runs `wnn args...` in `cwd` with extra environment variables.
inline Result wnn(std::vector<std::string> args, const fs::path& cwd = NN_MODEL_DIR,
                  const std::vector<std::string>& env = {}) {
  // WNN_TEST_TIER=jit (ctest nn-jit): the guests compiled to native code.
  if (const char* tier = std::getenv("WNN_TEST_TIER"); tier && *tier && !args.empty() && args[0] == "run")
    args.insert(args.begin() + 1, std::string("--tier=") + tier);
  return run_program(WNN_EXE, std::move(args), cwd, env);
}

}  // namespace nn_test

#define NEED_OPENVINO()                                                                      \
  do {                                                                                       \
    if (!NN_HAVE_OPENVINO) GTEST_SKIP() << "wnn built without OpenVINO (run scripts/setup)"; \
  } while (0)
