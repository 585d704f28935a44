// `wnn run --profile=perfmap` as perf meets it: /tmp/perf-<pid>.map of the
// wnn process names every compiled function once, with its real extent, also
// when the code comes from the code cache and when the name section holds
// names meant to forge lines; no file without the option.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "wnn_process.h"

namespace {

namespace fs = std::filesystem;

struct MapLine {
  uint64_t start = 0, size = 0;
  std::string name;
};

fs::path map_of(pid_t pid) { return "/tmp/perf-" + std::to_string(pid) + ".map"; }

// Runs wnn with `args`; its output and the lines of its perf map (the map
// removed). Every line must be `START SIZE NAME` with hex numbers.
struct Profiled {
  wnn::test::ProcessResult result;
  bool has_map = false;
  std::vector<MapLine> lines;
};
Profiled run(const std::vector<std::string>& args) {
  wnn::test::Process p(WNN_EXE, args, fs::temp_directory_path());
  const pid_t pid = p.pid();
  Profiled out;
  out.result = p.finish();
  const fs::path map = map_of(pid);
  out.has_map = fs::exists(map);
  std::ifstream in(map);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    MapLine m;
    ls >> std::hex >> m.start >> m.size;
    EXPECT_TRUE(ls && ls.get() == ' ') << "not START SIZE NAME: '" << line << "'";
    std::getline(ls, m.name);
    EXPECT_FALSE(m.name.empty()) << line;
    out.lines.push_back(m);
  }
  std::error_code ec;
  fs::remove(map, ec);
  return out;
}

std::string guest(const std::string& name) { return std::string(GUEST_DIR) + "/" + name + ".wasm"; }

// The checks every map of profiled.wasm passes: sizes > 0, no two functions
// overlap, and each of its four functions has its entry.
void check_profiled_map(const Profiled& p, const std::string& module) {
  ASSERT_EQ(p.result.code, 0) << p.result.err;
  EXPECT_EQ(p.result.out, "20296\n");
  ASSERT_TRUE(p.has_map);
  std::vector<MapLine> sorted = p.lines;
  std::sort(sorted.begin(), sorted.end(), [](const MapLine& a, const MapLine& b) { return a.start < b.start; });
  for (size_t i = 0; i < sorted.size(); ++i) {
    EXPECT_GT(sorted[i].size, 0u) << sorted[i].name;
    if (i + 1 < sorted.size())
      EXPECT_LE(sorted[i].start + sorted[i].size, sorted[i + 1].start) << sorted[i].name << " overlaps the next";
  }
  auto has = [&](const std::string& name) {
    return std::any_of(p.lines.begin(), p.lines.end(), [&](const MapLine& l) { return l.name == name; });
  };
  const std::string prefix = "wasm[" + module + "]::";
  for (const char* f : {"fib", "run", "function[2]"}) EXPECT_TRUE(has(prefix + f + " (entry)")) << f;
  // fib calls itself: its body stays a function of its own besides its entry.
  EXPECT_TRUE(has(prefix + "fib"));
  for (const MapLine& l : p.lines) EXPECT_EQ(l.name.rfind(prefix, 0), 0u) << l.name;
}

TEST(PerfMap, NamesEveryCompiledFunctionAlsoFromTheCodeCache) {
  const fs::path cache = fs::temp_directory_path() / ("wnn-perfmap-test-" + std::to_string(::getpid()));
  fs::remove_all(cache);
  const std::vector<std::string> args = {"run", "--tier=jit", "--profile=perfmap", "--invoke", "run"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = args;
    a.insert(a.end() - 2, extra.begin(), extra.end());
    a.push_back(guest("profiled"));
    return a;
  };
  Profiled cold = run(with({"--no-cache"}));
  check_profiled_map(cold, "profiled.wasm");
  // Fills the cache, then a run links the cached object.
  check_profiled_map(run(with({"--cache", cache.string()})), "profiled.wasm");
  ASSERT_TRUE(fs::exists(cache / "code-v1"));
  Profiled warm = run(with({"--cache", cache.string()}));
  check_profiled_map(warm, "profiled.wasm");
  EXPECT_EQ(warm.lines.size(), cold.lines.size());
  fs::remove_all(cache);
}

TEST(PerfMap, NamesFromTheModuleCannotForgeLines) {
  // profiled.wasm with "evil_name_0123456789" renamed, same length, to a name that holds a line of its own.
  std::ifstream in(guest("profiled"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string old_name = "evil_name_0123456789", forged = "x\n0 ffff injected!\n\r";
  ASSERT_EQ(old_name.size(), forged.size());
  const size_t at = bytes.find(old_name);
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, old_name.size(), forged);
  const fs::path module = fs::temp_directory_path() / ("wnn-perfmap-forged-" + std::to_string(::getpid()) + ".wasm");
  std::ofstream(module, std::ios::binary) << bytes;
  Profiled p = run({"run", "--tier=jit", "--no-cache", "--profile=perfmap", "--invoke", "run", module.string()});
  fs::remove(module);
  ASSERT_EQ(p.result.code, 0) << p.result.err;
  const std::string prefix = "wasm[" + module.filename().string() + "]::";
  bool renamed = false;
  for (const MapLine& l : p.lines) {
    EXPECT_EQ(l.name.rfind(prefix, 0), 0u) << l.name;
    renamed |= l.name == prefix + "x?0 ffff injected!?? (entry)";
  }
  EXPECT_TRUE(renamed);
}

TEST(PerfMap, OnlyWithTheOptionAndOnlyPerfmap) {
  Profiled off = run({"run", "--tier=jit", "--no-cache", "--invoke", "run", guest("profiled")});
  EXPECT_EQ(off.result.code, 0) << off.result.err;
  EXPECT_FALSE(off.has_map);
  // The interpreter compiles nothing: a run without a single entry.
  Profiled interp = run({"run", "--tier=interp", "--profile=perfmap", "--invoke", "run", guest("profiled")});
  EXPECT_EQ(interp.result.out, "20296\n");
  EXPECT_TRUE(interp.lines.empty());
  Profiled bad = run({"run", "--profile=vtune", "--invoke", "run", guest("profiled")});
  EXPECT_EQ(bad.result.code, 2);
  EXPECT_NE(bad.result.err.find("--profile: 'vtune' is not a profiling strategy (perfmap)"), std::string::npos)
      << bad.result.err;
  EXPECT_FALSE(bad.has_map);
}

}  // namespace
