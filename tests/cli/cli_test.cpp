// The `wnn` command line as a user meets it: guest arguments arrive verbatim
// and in order, --invoke values reach the right parameters, and what wnn does
// not understand is a usage error (exit 2) that says what would be right.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "wasm_writer.h"
#include "wnn_process.h"

namespace {

namespace fs = std::filesystem;
using wnn::test::ProcessResult;

std::string guest(const std::string& name) { return std::string(GUEST_DIR) + "/" + name + ".wasm"; }

ProcessResult wnn_run(const std::vector<std::string>& args) {
  return wnn::test::run_process(WNN_EXE, args, fs::temp_directory_path());
}

// What guests/argv.c prints for this argv.
std::string printed(const std::vector<std::string>& argv) {
  std::string s = std::to_string(argv.size()) + "\n";
  for (const std::string& a : argv) {
    s += '[';
    for (unsigned char c : a) {
      if (c < 0x20 || c >= 0x7f || c == '[' || c == ']' || c == '\\') {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", c);
        s += buf;
      } else {
        s += char(c);
      }
    }
    s += ']';
  }
  return s + "\n";
}

// `wnn run [wnn_options] argv.wasm guest_args...` (or the shorthand without `run`).
void expect_guest_gets(const std::vector<std::string>& wnn_options, const std::vector<std::string>& guest_args,
                       bool shorthand = false) {
  std::vector<std::string> cmd;
  if (!shorthand) cmd.push_back("run");
  cmd.insert(cmd.end(), wnn_options.begin(), wnn_options.end());
  cmd.push_back(guest("argv"));
  cmd.insert(cmd.end(), guest_args.begin(), guest_args.end());
  ProcessResult r = wnn_run(cmd);
  std::vector<std::string> argv = {guest("argv")};
  argv.insert(argv.end(), guest_args.begin(), guest_args.end());
  EXPECT_EQ(r.out, printed(argv));
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.code, 0);
}

TEST(Cli, GuestArgumentsAreVerbatimAndInOrder) {
  expect_guest_gets({}, {"--model", "m.xml", "input.png"});
  expect_guest_gets({}, {"-n", "5", "file"});
  expect_guest_gets({}, {"a", "-1.5", "b", "--flag", "c", "-x"});
  // wnn's own option names and separators, after the module, are the guest's.
  expect_guest_gets({}, {"--", "-", "--dir", "/", "--invoke", "f", "--help", "-h", "--version", "-V", "--timeout=1"});
  expect_guest_gets({}, {"", "", "a b", " ", "--"});
  expect_guest_gets({}, {"\xff\xfe", "caf\xc3\xa9", "\x01\x7f", "tab\there"});
  expect_guest_gets({"--env", "A=1", "--fuel", "100000000", "--timeout=30"}, {"--env", "B=2", "--fuel", "1"});
  expect_guest_gets({"--"}, {"--x"});                      // `--` ends wnn's options
  expect_guest_gets({}, {"--verbose", "-n", "5"}, true);  // `wnn app.wasm ...`
  expect_guest_gets({"--env", "A=1"}, {"-V", "--help"}, true);
}

TEST(Cli, TenThousandGuestArguments) {
  std::vector<std::string> args;
  for (int i = 0; i < 10000; ++i) args.push_back(i % 3 == 0 ? "-" + std::to_string(i) : i % 3 == 1 ? "--a" : "x y");
  expect_guest_gets({}, args);
}

struct Invoke {
  std::string func;
  std::vector<std::string> args;
  std::string out;
};

TEST(Cli, InvokeValuesReachTheirParameters) {
  const Invoke cases[] = {
      // (param i32 f64 i64 f32)
      {"mixed", {"-1", "-0", "-5", "-inf"}, "-1\n-0\n-5\n-inf\n"},
      {"mixed", {"0x10", "nan", "-9223372036854775808", "-0"}, "16\nnan\n-9223372036854775808\n-0\n"},
      {"mixed", {"-0x7fffffff", "-inf", "0x10", "1.5"}, "-2147483647\n-inf\n16\n1.5\n"},
      {"i32", {"-0x10"}, "-16\n"},
      {"i32", {"4294967295"}, "-1\n"},
      {"i32", {"-2147483648"}, "-2147483648\n"},
      {"i64", {"0xffffffffffffffff"}, "-1\n"},
      {"f64", {"0x1p-3"}, "0.125\n"},
      {"f32", {"-1.5e3"}, "-1500\n"},
      {"f32_bits", {"-0"}, "-2147483648\n"},
      {"f64_bits", {"nan"}, "9221120237041090560\n"},  // the canonical quiet NaN, positive
      {"f64_bits", {"-nan"}, "-2251799813685248\n"},
  };
  for (const Invoke& c : cases) {
    std::vector<std::string> cmd = {"run", "--invoke", c.func, guest("params")};
    cmd.insert(cmd.end(), c.args.begin(), c.args.end());
    ProcessResult r = wnn_run(cmd);
    EXPECT_EQ(r.out, c.out) << c.func << " " << c.args[0];
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.code, 0);
  }
  // Out of range or not a number: a usage error naming the value and type.
  for (const auto& [func, arg] : std::vector<std::pair<std::string, std::string>>{{"i32", "4294967296"},
                                                                                  {"i32", "-2147483649"},
                                                                                  {"i64", "18446744073709551616"},
                                                                                  {"i32", "1.5"},
                                                                                  {"f64", "1.5x"},
                                                                                  {"i32", ""},
                                                                                  {"i32", "+1"},
                                                                                  {"i32", " 1"}}) {
    ProcessResult r = wnn_run({"run", "--invoke", func, guest("params"), arg});
    EXPECT_EQ(r.code, 2) << arg;
    EXPECT_NE(r.err.find("cannot parse \"" + arg + "\" as " + func), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
}

// `wnn run m.wasm --invoke f 1` was accepted before arguments became the
// guest's: for a module without _start it now says what to write instead.
TEST(Cli, OldInvokeFormIsExplained) {
  ProcessResult r = wnn_run({"run", guest("params"), "--invoke", "i32", "5"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("wnn run --invoke NAME " + guest("params") + " ARGS..."), std::string::npos) << r.err;
  r = wnn_run({"run", "--invoke", "nope", guest("params")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no exported function \"nope\""), std::string::npos) << r.err;
}

TEST(Cli, UnknownOptionsNameTheClosestOne) {
  ProcessResult r = wnn_run({"run", "--max-memroy=1M", guest("argv"), "a"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");  // the guest did not run
  EXPECT_NE(r.err.find("unknown option --max-memroy (did you mean --max-memory?)"), std::string::npos) << r.err;
  r = wnn_run({"--tiemout", "3", guest("argv")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown option --tiemout (did you mean --timeout?)"), std::string::npos) << r.err;
  r = wnn_run({"run", "--zzzzzzzz", guest("argv")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown option --zzzzzzzz;"), std::string::npos) << r.err;  // nothing close
  r = wnn_run({"run", "--dir"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--dir needs a value"), std::string::npos) << r.err;
  r = wnn_run({"run"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no module given"), std::string::npos) << r.err;
}

TEST(Cli, NumericOptionsAreRangeChecked) {
  const std::vector<std::pair<std::string, std::string>> bad = {{"--fuel", "-1"},
                                                                {"--fuel", "0"},
                                                                {"--fuel", "99999999999999999999"},
                                                                {"--fuel", "1e6"},
                                                                {"--max-memory", "-5"},
                                                                {"--max-memory", "5T"},
                                                                {"--max-memory", " 1M"},
                                                                {"--max-memory", "2048G"},
                                                                {"--timeout", "nan"},
                                                                {"--timeout", "1e10"},
                                                                {"--timeout", "0"},
                                                                {"--timeout", "-1"},
                                                                {"--timeout", "inf"},
                                                                {"--timeout", "0x10"},
                                                                {"--max-call-depth", "0"},
                                                                {"--max-call-depth", "-3"},
                                                                {"--max-table-elements", "-1"},
                                                                {"--max-table-elements", "4294967296"},
                                                                {"--nn-max-handles", "-1"},
                                                                {"--nn-max-model-bytes", "-1"},
                                                                {"--nn-max-tensor-bytes", "-1"},
                                                                {"--nn-max-tensor-bytes", "1.5G"},
                                                                {"--nn-max-memory", "-1"},
                                                                {"--nn-max-memory", "2048G"},
                                                                {"--nn-isolation", "proc"}};
  for (const auto& [opt, value] : bad) {
    ProcessResult r = wnn_run({"run", opt, value, guest("argv")});
    EXPECT_EQ(r.code, 2) << opt << " " << value;
    EXPECT_EQ(r.err.rfind("wnn: usage error: " + opt + ": \"" + value + "\" is not ", 0), 0u) << r.err;
    EXPECT_EQ(r.out, "");
  }
  // In range: the guest runs.
  expect_guest_gets({"--fuel",
                     "100000000",
                     "--max-memory",
                     "1G",
                     "--timeout",
                     "30.5",
                     "--max-call-depth",
                     "100",
                     "--max-table-elements",
                     "100",
                     "--nn-max-handles",
                     "0",
                     "--nn-max-model-bytes",
                     "1M",
                     "--nn-max-tensor-bytes",
                     "0",
                     "--nn-isolation",
                     "none",
                     "--nn-max-memory",
                     "2G"},
                    {"ok"});
}

TEST(Cli, HelpAndVersion) {
  for (const std::vector<std::string>& cmd : {std::vector<std::string>{"help"}, {"--help"}, {"-h"}, {}}) {
    ProcessResult r = wnn_run(cmd);
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("wnn run [OPTIONS] MODULE [ARGS...]"), std::string::npos) << r.out;
  }
  for (const std::vector<std::string>& cmd : {std::vector<std::string>{"help", "run"}, {"run", "--help"}}) {
    ProcessResult r = wnn_run(cmd);
    EXPECT_EQ(r.code, 0);
    for (const char* opt : {"--dir", "--mapdir", "--env", "--invoke", "--fuel", "--timeout", "--max-memory"})
      EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
  }
  for (const char* v : {"--version", "-V", "version"}) {
    ProcessResult r = wnn_run({v});
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.out.rfind("wnn 0.", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("\nwasi-nn backends: "), std::string::npos) << r.out;
  }
  // Every command the top help names has its own: `wnn help C` is `wnn C --help`.
  for (const char* c : {"compile", "cache"}) {
    ProcessResult help = wnn_run({"help", c}), dash = wnn_run({c, "--help"});
    EXPECT_EQ(help.code, 0) << c << help.err;
    EXPECT_NE(help.out.find(std::string("wnn ") + c), std::string::npos) << help.out;
    EXPECT_EQ(help.out, dash.out);
  }
  EXPECT_EQ(wnn_run({"help", "help"}).out, wnn_run({"help"}).out);
  ProcessResult r = wnn_run({"help", "nonsense"});
  EXPECT_EQ(r.code, 2);
}

TEST(Cli, OnlyRegularFilesAreModules) {
  const fs::path dir = fs::temp_directory_path() / ("wnn-cli-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path fifo = dir / "fifo.wasm";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto t0 = std::chrono::steady_clock::now();
  for (const std::string& m : {fifo.string(), dir.string(), std::string("/dev/zero")}) {
    ProcessResult r = wnn_run({"run", m});
    EXPECT_EQ(r.code, 1) << m;
    EXPECT_NE(r.err.find("cannot read " + m + ": not a regular file"), std::string::npos) << r.err;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));  // the FIFO did not block
  ProcessResult r = wnn_run({"run", (dir / "missing.wasm").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cannot open " + (dir / "missing.wasm").string() + ": No such file"), std::string::npos);
  fs::remove_all(dir);
}

// A module file is read without the custom sections after its last other
// section but "name" (src/cli/module_file.cpp): here 1.5 GiB of them, a sparse
// hole that reading would have refused (over the 1 GiB module limit) and
// before it the function's name, which the trap's backtrace still shows.
TEST(Cli, TrailingCustomSectionsAreNotRead) {
  wnn::test::ModuleBuilder b;
  const uint32_t f = b.func(b.type({}, {}), {0x00, 0x0B});  // unreachable
  b.export_func("boom", f);
  b.func_name(f, "boom_here");
  const wnn::test::Bytes module = b.build();
  const fs::path path = fs::temp_directory_path() / ("wnn-cli-sparse-" + std::to_string(::getpid()) + ".wasm");
  const uint64_t hole = uint64_t(3) << 29;  // 1.5 GiB of a ".debug_info" section, never written
  wnn::test::Bytes custom =
      wnn::test::cat({{0x00}, wnn::test::uleb(uint32_t(hole + 12)), wnn::test::name_bytes(".debug_info")});
  {
    std::FILE* out = std::fopen(path.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    std::fwrite(module.data(), 1, module.size(), out);
    std::fwrite(custom.data(), 1, custom.size(), out);
    std::fclose(out);
  }
  fs::resize_file(path, module.size() + custom.size() + hole);
  ProcessResult r = wnn_run({"run", "--invoke", "boom", path.string()});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("wnn: trap: unreachable\n  in function 0 \"boom_here\""), std::string::npos) << r.err;
  // With a section that does not walk (a size past the end) the file would be read whole: refused unread.
  fs::resize_file(path, module.size() + custom.size() + hole - 1);
  r = wnn_run({"run", "--invoke", "boom", path.string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("wnn: exhaustion: " + path.string() + ": module of " +
                       std::to_string(module.size() + custom.size() + hole - 1) +
                       " bytes exceeds the implementation limit of 1073741824 bytes (1 GiB)"),
            std::string::npos)
      << r.err;
  fs::remove(path);
}

// A file too large to hold is refused before it is read, whatever it holds
// (src/cli/module_file.cpp): both were a std::bad_alloc and an abort. Sparse
// files of 64 GiB: one that is not a module is rejected by its first bytes,
// a precompiled module over cache::kMaxArtifactBytes by its size.
TEST(Cli, HugeFilesAreRefusedUnread) {
  const fs::path path = fs::temp_directory_path() / ("wnn-cli-huge-" + std::to_string(::getpid()));
  const uint64_t size = uint64_t(64) << 30;
  for (const std::string magic : {"XXXXXXXX", "WNNCWASM"}) {
    {
      std::FILE* out = std::fopen(path.c_str(), "wb");
      ASSERT_NE(out, nullptr);
      std::fwrite(magic.data(), 1, magic.size(), out);
      std::fclose(out);
    }
    fs::resize_file(path, size);
    for (const char* command : {"run", "compile"}) {
      ProcessResult r = command == std::string("run")
                            ? wnn_run({"run", "--allow-precompiled", path.string()})
                            : wnn_run({"compile", path.string(), "-o", path.string() + ".cwasm"});
      EXPECT_EQ(r.code, 1) << magic << " " << command << ": " << r.err;
      const std::string expected = magic == "XXXXXXXX" ? "wnn: malformed module: at offset 0: magic header not detected"
                                                       : "wnn: exhaustion: " + path.string() +
                                                             ": precompiled module of " + std::to_string(size) +
                                                             " bytes exceeds the limit of 4294967296 bytes (4 GiB)";
      EXPECT_NE(r.err.find(expected), std::string::npos) << magic << " " << command << ": " << r.err;
      EXPECT_FALSE(fs::exists(path.string() + ".cwasm"));
    }
  }
  fs::remove(path);
}

// wnn run reads a module file's first 64 KiB once, for a look ahead, and the
// rest of what the decoder needs after (src/cli/module_file.cpp): a data
// segment across that boundary, before a trailing custom section left unread,
// arrives whole (the guest sums its bytes, each weighted by its position).
TEST(Cli, AModuleReadInPiecesArrivesWhole) {
  constexpr uint32_t kBytes = 200'000;
  wnn::test::Bytes pattern(kBytes);
  uint32_t expected = 0;
  for (uint32_t i = 0; i < kBytes; ++i) {
    pattern[i] = uint8_t(i * 7 + i / 251);
    expected += pattern[i] * (i + 1);
  }
  wnn::test::ModuleBuilder b;
  b.memory(4);
  using wnn::ValType;
  wnn::test::Bytes body = {0x03, 0x40,                                      // loop
                           0x20, 0x01, 0x20, 0x00, 0x2D, 0x00, 0x00,        // s, load8_u(i)
                           0x20, 0x00, 0x41, 0x01, 0x6A, 0x6C, 0x6A, 0x21, 0x01,  // s += byte * (i + 1)
                           0x20, 0x00, 0x41, 0x01, 0x6A, 0x22, 0x00};       // ++i
  wnn::test::append(body, wnn::test::cat({{0x41}, wnn::test::sleb(kBytes)}));
  wnn::test::append(body, {0x49, 0x0D, 0x00, 0x0B, 0x20, 0x01, 0x0B});      // i < n: again; s
  const uint32_t f = b.func(b.type({}, {ValType::I32}), body, {{2, ValType::I32}});
  b.export_func("sum", f);
  b.data(wnn::test::cat({{0x00, 0x41, 0x00, 0x0B}, wnn::test::uleb(kBytes), pattern}));
  const wnn::test::Bytes module = wnn::test::cat(
      {b.build(), {0x00}, wnn::test::uleb(100'012), wnn::test::name_bytes(".debug_info"), wnn::test::Bytes(100'000)});
  const fs::path path = fs::temp_directory_path() / ("wnn-cli-pieces-" + std::to_string(::getpid()) + ".wasm");
  {
    std::FILE* out = std::fopen(path.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    std::fwrite(module.data(), 1, module.size(), out);
    std::fclose(out);
  }
  for (const char* tier : {"--tier=interp", "--tier=jit"}) {
    ProcessResult r = wnn_run({"run", tier, "--no-cache", "--invoke", "sum", path.string()});
    EXPECT_EQ(r.code, 0) << tier << ": " << r.err;
    EXPECT_EQ(r.out, std::to_string(int32_t(expected)) + "\n") << tier;
  }
  fs::remove(path);
}

// Issue 12, finding 3: a tiny module must not be able to exhaust the host.
TEST(Cli, ResourceAttacksAreRefusedBeforeAllocating) {
  ProcessResult r = wnn_run({"run", guest("tables")});  // 100 tables x 10 M elements: 8 GB
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("wnn: exhaustion: the module's own memories and tables (0 memory(ies), 100 table(s)): "
                       "8000000000 bytes would bring the store's memories and tables to 8000000000 bytes, over the "
                       "limit of 5368709120 (StoreConfig::max_total_bytes, wnn run --max-memory)"),
            std::string::npos)
      << r.err;
  // poll_oneoff: 80 M subscriptions would take 5.6 GB on the host: inval (28); 65536 is the cap.
  for (const auto& [n, errno_out] : std::vector<std::pair<std::string, std::string>>{
           {"80000000", "28\n"}, {"65537", "28\n"}, {"4294967295", "28\n"}}) {
    r = wnn_run({"run", "--invoke", "poll", guest("poll"), n});
    EXPECT_EQ(r.out, errno_out) << n << ": " << r.err;
    EXPECT_EQ(r.code, 0);
  }
}

// --timeout bounds compilation too: a module that takes seconds to compile
// ends in well under a second.
TEST(Cli, TimeoutCoversCompilation) {
  wnn::test::ModuleBuilder b;
  const uint32_t t = b.type({}, {});
  wnn::test::Bytes body;
  while (body.size() < 7'000'000) body.insert(body.end(), {0x41, 0x01, 0x1A});  // i32.const 1; drop
  body.push_back(0x0B);
  for (int i = 0; i < 20; ++i) b.func(t, body);
  const fs::path file = fs::temp_directory_path() / ("wnn-cli-big-" + std::to_string(::getpid()) + ".wasm");
  {
    const wnn::test::Bytes bytes = b.build();
    std::FILE* f = std::fopen(file.c_str(), "wb");
    ASSERT_TRUE(f);
    ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
    std::fclose(f);
  }
  auto t0 = std::chrono::steady_clock::now();
  ProcessResult whole = wnn_run({"run", file.string()});
  const auto full = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(whole.code, 0) << whole.err;
  t0 = std::chrono::steady_clock::now();
  ProcessResult r = wnn_run({"run", "--timeout", "0.1", file.string()});
  const auto cut = std::chrono::steady_clock::now() - t0;
  fs::remove(file);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.rfind("wnn: exhaustion: interrupted: compilation stopped at function ", 0), 0u) << r.err;
  EXPECT_LT(cut, full / 2) << "the whole compile took " << std::chrono::duration<double>(full).count() << " s";
}

// Tier::Auto (wnn run's default) compiles the hot loop on a background
// thread; the process ends (proc_exit) at whatever point that compile is —
// LLVM loading, compiling, publishing, done — and its output and exit status
// are those of the interpreter, never a hang or a crash at exit. With a code
// cache, later runs link the first run's code at start instead.
TEST(Cli, ExitInTheMiddleOfABackgroundCompileKeepsOutputAndStatus) {
  const fs::path cache = fs::temp_directory_path() / ("wnn-cli-cache-" + std::to_string(::getpid()));
  for (const std::vector<std::string>& opts : {std::vector<std::string>{"--tier=interp"},
                                               {"--no-cache"},
                                               {"--no-cache"},
                                               {"--no-cache"},
                                               {"--cache", cache.string()},
                                               {"--cache", cache.string()},
                                               {"--cache", cache.string()}}) {
    std::vector<std::string> cmd = {"run"};
    cmd.insert(cmd.end(), opts.begin(), opts.end());
    cmd.push_back(guest("spin"));
    ProcessResult r = wnn_run(cmd);
    EXPECT_EQ(r.code, 7) << opts[0] << ": " << r.err;
    EXPECT_EQ(r.out, "done\n") << opts[0];
    EXPECT_EQ(r.err, "") << opts[0];
  }
  fs::remove_all(cache);
}

// WNN_TIER_TRACE=1: the tiering's steps on stderr, each with its time (the
// program's own output unchanged); --jit-level=quick runs --tier=jit with
// the pipeline Tier::Auto compiles first, with the same results.
// With a code cache, a run whose module has nothing stored does not load the
// compiler tier (a short program never pays for it); once a run stored code,
// the next links it from the start.
TEST(Cli, TheCompilerTierLoadsOnlyForStoredOrHotCode) {
  const std::string dir = ::testing::TempDir() + "wnn-cli-cache-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  ::setenv("WNN_TIER_TRACE", "1", 1);
  // 200 ms asleep: time enough for a background load to show in the trace.
  ProcessResult r = wnn_run({"run", "--cache", dir, guest("nap")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // no trace line at all: nothing queued, nothing loaded
  // --tier=jit stores the whole module's code before running it (a tiering
  // run may end before its first batch is compiled).
  r = wnn_run({"run", "--tier=jit", "--cache", dir, guest("spin")});
  EXPECT_EQ(r.code, 7) << r.err;
  r = wnn_run({"run", "--cache", dir, guest("spin")});
  ::unsetenv("WNN_TIER_TRACE");
  EXPECT_EQ(r.code, 7) << r.err;
  EXPECT_NE(r.err.find("compiler tier loaded"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("code cache: 0 batches linked"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" batches linked"), std::string::npos) << r.err;
  std::filesystem::remove_all(dir);
}

TEST(Cli, TierTraceAndJitLevel) {
  ::setenv("WNN_TIER_TRACE", "1", 1);
  ProcessResult r = wnn_run({"run", "--no-cache", guest("spin")});
  ::unsetenv("WNN_TIER_TRACE");
  EXPECT_EQ(r.code, 7) << r.err;
  EXPECT_EQ(r.out, "done\n");
  EXPECT_EQ(r.err.rfind("wnn tier ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(" ms: batch queued: function "), std::string::npos) << r.err;
  for (const char* level : {"--jit-level=quick", "--jit-level=full"}) {
    r = wnn_run({"run", "--no-cache", "--tier=jit", level, guest("spin")});
    EXPECT_EQ(r.code, 7) << level << ": " << r.err;
    EXPECT_EQ(r.out, "done\n") << level;
    EXPECT_EQ(r.err, "") << level;
  }
  r = wnn_run({"run", "--tier=jit", "--jit-level=fast", guest("spin")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--jit-level: 'fast' is not a level (full or quick)"), std::string::npos) << r.err;
}

}  // namespace
