// The `wnn` command (cli/command_line.h says what it accepts).
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/code_commands.h"
#include "cli/command_line.h"
#include "cli/run.h"
#include "exec/tiering.h"
#include "nn/lsan_suppressions.h"  // OpenVINO may run in this process
#include "wnn/nn.h"

#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
extern "C" const char* __lsan_default_options() { return "print_suppressions=0"; }  // keep stderr the guest's
#endif

namespace {

void print_version() {
  std::printf("wnn %s\n", WNN_VERSION);
#ifdef WNN_OPENVINO_VERSION
  std::printf("wasi-nn backends: %s (built with OpenVINO %s)\n", wnn::NnContext::backends_summary().c_str(),
              WNN_OPENVINO_VERSION);
#else
  std::printf("wasi-nn backends: %s\n", wnn::NnContext::backends_summary().c_str());
#endif
}

}  // namespace

int main(int argc, char** argv) {
  // A guest writing to a closed pipe gets EPIPE from its write, never kills wnn.
  std::signal(SIGPIPE, SIG_IGN);
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto cmd = wnn::cli::parse_command_line(args);
  if (!cmd) return wnn::cli::report(cmd.error());
  switch (cmd->kind) {
    case wnn::cli::Command::Kind::Help: std::fputs(cmd->text.c_str(), stdout); return 0;
    case wnn::cli::Command::Kind::Version: print_version(); return 0;
    case wnn::cli::Command::Kind::Run: {
      const int status = wnn::cli::run(cmd->run);
      wnn::exec::exit_now_if_compiling(status);  // before any library's exit-time destructors
      return status;
    }
    case wnn::cli::Command::Kind::Compile: return wnn::cli::compile_command(cmd->code);
    case wnn::cli::Command::Kind::Cache: return wnn::cli::cache_command(cmd->code);
  }
  return 1;
}
