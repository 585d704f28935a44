// wnn-spec: runs the official WebAssembly spec tests (wast2json output).
//
//   wnn-spec [options] <suite-dir> [file.json ...]
//
// Without files it runs every *.json directly in <suite-dir>, sorted (and
// with --simd, then every <suite-dir>/simd/*.json). Each file runs in its own
// Store and, unless --no-fork, in a child process, so that a crash or a hang
// of the runtime fails that file instead of ending the run.
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "spec.h"

namespace fs = std::filesystem;
using namespace wnn_spec;

namespace {

struct SpecFile {
  fs::path path;
  std::string display;  // as shown in the output
};

void usage(FILE* out) {
  std::fprintf(out,
               "usage: wnn-spec [options] <suite-dir> [file.json ...]\n"
               "  Runs wast2json command files of the WebAssembly spec test suite.\n"
               "  Without files: every *.json directly in <suite-dir>, sorted.\n"
               "options:\n"
               "  --simd         also run <suite-dir>/simd/*.json\n"
               "  -v             print each failure with its line and why (and message mismatches)\n"
               "  -vv            also print notes (rejected as malformed instead of invalid, ...)\n"
               "                 and the calls of spectest.print*\n"
               "  --by-kind      print totals per command type\n"
               "  --no-fork      run files in this process (for debuggers; a crash ends the run)\n"
               "  --timeout SEC  time limit per file in its child process (default 60, 0: none)\n"
               "  --tier T       interp (default), jit, jit-quick (jit with the Quick pipeline auto\n"
               "                 compiles first), auto, switch (auto compiling synchronously after ~100\n"
               "                 instructions, Full again after ~200 more), or aot (compiled into a\n"
               "                 precompiled artifact, then loaded from it, as wnn compile/run do):\n"
               "                 every module's tier\n"
               "  -h, --help     this text\n");
}

std::vector<SpecFile> list_json(const fs::path& dir, const std::string& prefix) {
  std::vector<SpecFile> files;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".json" && e.is_regular_file(ec))
      files.push_back({e.path(), prefix + e.path().filename().string()});
  }
  std::sort(files.begin(), files.end(), [](const SpecFile& a, const SpecFile& b) { return a.display < b.display; });
  return files;
}

// A file named on the command line: relative to the suite directory, else to
// the working directory; ".json" may be left off.
SpecFile resolve(const fs::path& suite, std::string arg) {
  if (fs::path(arg).extension() != ".json") arg += ".json";
  std::error_code ec;
  fs::path in_suite = suite / arg;
  if (fs::path(arg).is_relative() && fs::exists(in_suite, ec)) return {in_suite, arg};
  return {fs::path(arg), arg};
}

std::string signal_text(int sig) {
  if (sig == SIGALRM) return "timed out";
  const char* name = strsignal(sig);
  return std::string("killed by signal ") + std::to_string(sig) + " (" + (name ? name : "?") + ")";
}

// Runs one file in a child process; its results come back through `shared`.
// Returns a description of an abnormal end, or "".
std::string run_isolated(const Options& opts, const SpecFile& file, Stats* shared) {
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    // No child: run it here.
    run_script(opts, file.path, file.display, *shared);
    return {};
  }
  if (pid == 0) {
    if (opts.timeout) alarm(opts.timeout);
    run_script(opts, file.path, file.display, *shared);
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(0);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return "waitpid failed";
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  std::string what =
      WIFSIGNALED(status) ? signal_text(WTERMSIG(status)) : "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) what += " after " + std::to_string(opts.timeout) + " s";
  // The command that was running fails; the rest did not run.
  Stats& s = *shared;
  if (s.commands_done < s.commands_total) {
    ++s.by_kind[s.current_kind].failed;
    s.by_kind[kNotRun].failed += s.commands_total - s.commands_done - 1;
    what += " at line " + std::to_string(s.current_line);
  } else {
    ++s.by_kind[kOther].failed;
  }
  return what;
}

void print_counts(const char* label, const Counts& c) {
  std::printf("%s: %llu passed, %llu failed, %llu skipped\n", label, static_cast<unsigned long long>(c.passed),
              static_cast<unsigned long long>(c.failed), static_cast<unsigned long long>(c.skipped));
}

}  // namespace

int main(int argc, char** argv) {
  Options opts;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      usage(stdout);
      return 0;
    } else if (a == "--simd") {
      opts.simd = true;
    } else if (a == "-v" || a == "--verbose") {
      opts.verbosity = std::max(opts.verbosity, 1);
    } else if (a == "-vv") {
      opts.verbosity = 2;
    } else if (a == "--by-kind") {
      opts.by_kind = true;
    } else if (a == "--no-fork") {
      opts.isolate = false;
    } else if (a == "--tier" && i + 1 < argc) {
      const std::string t = argv[++i];
      if (t != "interp" && t != "jit" && t != "jit-quick" && t != "auto" && t != "switch" && t != "aot") {
        std::fprintf(stderr, "wnn-spec: bad --tier value '%s' (interp, jit, jit-quick, auto, switch or aot)\n",
                     t.c_str());
        return 2;
      }
      opts.tier = t == "jit" || t == "jit-quick" ? wnn::Tier::Jit
                  : t == "interp" || t == "aot"  ? wnn::Tier::Interp
                                                 : wnn::Tier::Auto;
      if (t == "jit-quick") opts.jit_level = wnn::JitLevel::Quick;
      opts.aot = t == "aot";
      // switch: compile on the guest's thread once 2 x 50 instructions ran in one
      // function, so runs long enough switch in their middle, and compile Quick
      // code again Full after 4 x 50 more.
      if (t == "switch") opts.tiering = {.hot_samples = 2, .sample_chunk = 50, .synchronous = true, .full_samples = 4};
    } else if (a == "--timeout" && i + 1 < argc) {
      char* end = nullptr;
      unsigned long t = std::strtoul(argv[++i], &end, 10);
      if (!end || *end) {
        std::fprintf(stderr, "wnn-spec: bad --timeout value '%s'\n", argv[i]);
        return 2;
      }
      opts.timeout = static_cast<unsigned>(t);
    } else if (a.size() > 1 && a[0] == '-') {
      std::fprintf(stderr, "wnn-spec: unknown option '%s'\n", a.c_str());
      usage(stderr);
      return 2;
    } else {
      positional.push_back(a);
    }
  }
  if (positional.empty()) {
    usage(stderr);
    return 2;
  }
  fs::path suite = positional[0];
  std::error_code ec;
  if (!fs::is_directory(suite, ec)) {
    std::fprintf(stderr, "wnn-spec: %s is not a directory\n", suite.string().c_str());
    return 2;
  }

  std::vector<SpecFile> files;
  if (positional.size() > 1) {
    for (size_t i = 1; i < positional.size(); ++i) files.push_back(resolve(suite, positional[i]));
  } else {
    files = list_json(suite, "");
    if (opts.simd) {
      std::vector<SpecFile> simd = list_json(suite / "simd", "simd/");
      files.insert(files.end(), simd.begin(), simd.end());
    }
    if (files.empty()) {
      std::fprintf(stderr, "wnn-spec: no *.json files in %s\n", suite.string().c_str());
      return 2;
    }
  }

  Stats* shared = nullptr;
  if (opts.isolate) {
    void* p = mmap(nullptr, sizeof(Stats), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      opts.isolate = false;
    } else {
      shared = new (p) Stats();
    }
  }

  auto start = std::chrono::steady_clock::now();
  Stats totals;
  for (const SpecFile& file : files) {
    Stats local;
    Stats& stats = opts.isolate ? *shared : local;
    stats = Stats();
    std::string abnormal;
    auto file_start = std::chrono::steady_clock::now();
    if (opts.isolate) {
      abnormal = run_isolated(opts, file, shared);
    } else {
      run_script(opts, file.path, file.display, stats);
    }
    Counts c = stats.total();
    std::printf("%s: %llu passed, %llu failed, %llu skipped", file.display.c_str(),
                static_cast<unsigned long long>(c.passed), static_cast<unsigned long long>(c.failed),
                static_cast<unsigned long long>(c.skipped));
    if (stats.note[0]) std::printf(" (%s)", stats.note);
    if (!abnormal.empty()) std::printf(" (%s)", abnormal.c_str());
    if (opts.verbosity >= 1)
      std::printf(" [%.2f s]", std::chrono::duration<double>(std::chrono::steady_clock::now() - file_start).count());
    std::printf("\n");
    if (opts.verbosity >= 1 && (stats.other_kind_rejections || stats.message_mismatches))
      std::printf("  %s: %llu rejected with the other kind (malformed/invalid), %llu message mismatches\n",
                  file.display.c_str(), static_cast<unsigned long long>(stats.other_kind_rejections),
                  static_cast<unsigned long long>(stats.message_mismatches));
    std::fflush(stdout);
    totals.add(stats);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (opts.by_kind) {
    std::printf("\nby command type:\n");
    for (int k = 0; k < kNumKinds; ++k) {
      const Counts& c = totals.by_kind[k];
      if (c.passed + c.failed + c.skipped == 0) continue;
      std::string label = "  " + std::string(kind_name(k));
      print_counts(label.c_str(), c);
    }
  }
  if (opts.verbosity >= 1)
    std::printf(
        "assert_invalid/assert_malformed rejected with the other kind: %llu\n"
        "trap/exhaustion messages not matching the expected text: %llu\n",
        static_cast<unsigned long long>(totals.other_kind_rejections),
        static_cast<unsigned long long>(totals.message_mismatches));
  std::printf("spec time: %.2f s (%zu files)\n", seconds, files.size());
  Counts all = totals.total();
  print_counts("spec", all);
  return all.failed == 0 ? 0 : 1;
}
