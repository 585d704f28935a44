// `wnn run`'s code cache and precompiled modules as a user meets them: the
// second run reuses compiled code, a broken cache entry is never executed but
// replaced, an artifact runs only with --allow-precompiled and is refused,
// with the reason, when corrupted or made for another wnn, LLVM or CPU.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cache/sealed_file.h"
#include "exec/jit.h"
#include "support/build_id.h"
#include "wnn_process.h"

namespace {

namespace fs = std::filesystem;
using wnn::test::ProcessResult;

std::string guest(const std::string& name) { return std::string(GUEST_DIR) + "/" + name + ".wasm"; }

ProcessResult wnn(const std::vector<std::string>& args) {
  return wnn::test::run_process(WNN_EXE, args, fs::temp_directory_path());
}

std::vector<uint8_t> read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
void write(const fs::path& p, const std::vector<uint8_t>& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}
ino_t inode(const fs::path& p) {
  struct stat st{};
  ::stat(p.c_str(), &st);
  return st.st_ino;
}

class TempDir {
 public:
  TempDir()
      : path_(fs::temp_directory_path() / ("wnn-cc-test-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The cache's entries (under code-v1; hints-v1 holds the modules' hints).
std::vector<fs::path> entries(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir / "code-v1", ec); !ec && it != fs::recursive_directory_iterator();
       ++it)
    if (it->is_regular_file()) out.push_back(it->path());
  return out;
}

TEST(CodeCache, SecondRunReusesTheCodeAndBrokenEntriesAreReplaced) {
  TempDir dir;
  const std::string cache = dir.path().string();
  const std::vector<std::string> run{"run",           "--cache", cache, "--tier=jit", "--invoke", "mixed",
                                     guest("params"), "7",       "2.5", "-9",         "0.5"};
  const std::string expected = "7\n2.5\n-9\n0.5\n";
  ProcessResult r = wnn(run);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, expected);
  std::vector<fs::path> files = entries(dir.path());
  ASSERT_EQ(files.size(), 1u);
  const fs::path& entry = files[0];
  EXPECT_EQ(entry.filename(), "all.obj");
  const std::vector<uint8_t> good = read(entry);
  const ino_t first = inode(entry);

  // A hit: same results, the entry read, not rewritten.
  r = wnn(run);
  EXPECT_EQ(r.out, expected);
  EXPECT_EQ(inode(entry), first);

  // One flipped byte in the machine code, then a truncated entry: detected,
  // compiled again, replaced by a good entry (the same bytes: code generation
  // is deterministic).
  for (int damage = 0; damage < 2; ++damage) {
    std::vector<uint8_t> bad = good;
    if (damage == 0)
      bad[bad.size() - 200] ^= 0x01;
    else
      bad.resize(bad.size() / 2);
    write(entry, bad);
    r = wnn(run);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, expected);
    EXPECT_EQ(read(entry), good) << "damage " << damage;
  }

  r = wnn({"cache", "stats", "--cache", cache});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("modules: 1\n  objects: 1\n"), std::string::npos) << r.out;
  r = wnn({"cache", "clear", "--cache", cache});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(entries(dir.path()).empty());

  // --no-cache neither reads nor writes; the interpreter never compiles.
  r = wnn({"run", "--cache", cache, "--no-cache", "--tier=jit", "--invoke", "i32", guest("params"), "5"});
  EXPECT_EQ(r.out, "5\n");
  r = wnn({"run", "--cache", cache, "--invoke", "i32", guest("params"), "5"});
  EXPECT_EQ(r.out, "5\n");
  EXPECT_TRUE(entries(dir.path()).empty());
}

// A run from cached code loads only the linker (libwnn_jit_link.so): with a
// compiler that cannot be loaded at all (the first page of libwnn_jit.so:
// its headers and build id, so the cache key is the same), wnn still runs
// the cached module on --tier=jit, from the entry the real compiler stored.
TEST(CodeCache, ARunFromCachedCodeNeverLoadsTheCompiler) {
  TempDir dir;
  const fs::path bin = dir.path() / "bin", built = fs::path(WNN_EXE).parent_path();
  fs::create_directories(bin);
  fs::copy_file(WNN_EXE, bin / "wnn");
  fs::copy_file(built / "libwnn_jit_link.so", bin / "libwnn_jit_link.so");
  fs::create_symlink(built / "libwnn_jit.so", bin / "libwnn_jit.so");
  const std::string cache = (dir.path() / "cache").string();
  const std::vector<std::string> run{"run", "--cache", cache, "--tier=jit", "--invoke", "i32", guest("params"), "5"};
  ProcessResult r = wnn::test::run_process((bin / "wnn").string(), run, dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(entries(dir.path() / "cache").size(), 1u);
  const fs::path entry = entries(dir.path() / "cache")[0];
  const ino_t stored = inode(entry);

  std::vector<uint8_t> head = read(built / "libwnn_jit.so");
  head.resize(4096);
  fs::remove(bin / "libwnn_jit.so");
  write(bin / "libwnn_jit.so", head);
  ASSERT_EQ(wnn::elf_build_id((bin / "libwnn_jit.so").string()), wnn::elf_build_id((built / "libwnn_jit.so").string()));
  r = wnn::test::run_process((bin / "wnn").string(), run, dir.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "5\n");
  EXPECT_EQ(inode(entry), stored);  // read, not compiled again
}

// The build id keys cached code by the compiler's file: one that is not an
// ELF file, is cut short or missing has none (and the compiler tier is then
// unavailable, never keyed by "").
TEST(BuildId, OnlyACompleteElfFileHasOne) {
  TempDir dir;
  const fs::path lib = fs::path(WNN_EXE).parent_path() / "libwnn_jit_link.so";
  const std::string id = wnn::elf_build_id(lib.string());
  EXPECT_EQ(id.size(), 40u) << id;  // SHA-1, the linker's default
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  EXPECT_EQ(wnn::elf_build_id(guest("params")), "");
  EXPECT_EQ(wnn::elf_build_id((dir.path() / "missing.so").string()), "");
  std::vector<uint8_t> bytes = read(lib);
  for (size_t cut : {size_t(16), size_t(64), size_t(0x200)}) {
    write(dir.path() / "cut.so", std::vector<uint8_t>(bytes.begin(), bytes.begin() + cut));
    EXPECT_EQ(wnn::elf_build_id((dir.path() / "cut.so").string()), "") << cut;
  }
}

TEST(Precompiled, RunsOnlyWhenAllowedAndIsRefusedWhenBrokenOrForeign) {
  TempDir dir;
  const std::string artifact = (dir.path() / "argv.cwasm").string();
  ProcessResult r = wnn({"compile", guest("argv"), "-o", artifact});
  ASSERT_EQ(r.code, 0) << r.err;
  r = wnn({"run", artifact, "a", "--b"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("is a precompiled module"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--allow-precompiled"), std::string::npos) << r.err;
  r = wnn({"run", "--allow-precompiled", artifact, "a", "--b"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "3\n[" + artifact + "][a][--b]\n");

  const std::vector<uint8_t> good = read(artifact);
  auto refusal = [&](const std::vector<uint8_t>& bytes) {
    const std::string path = (dir.path() / "bad.cwasm").string();
    write(path, bytes);
    ProcessResult b = wnn({"run", "--allow-precompiled", path});
    EXPECT_EQ(b.code, 1);
    EXPECT_EQ(b.out, "");
    return b.err;
  };
  std::vector<uint8_t> flipped = good;
  flipped[good.size() / 2] ^= 0x20;
  EXPECT_NE(refusal(flipped).find("corrupted (its SHA-256 checksum"), std::string::npos);
  EXPECT_NE(refusal(std::vector<uint8_t>(good.begin(), good.end() - 1)).find("truncated"), std::string::npos);

  // Resealed as another wnn, LLVM or CPU would have written it.
  auto id = wnn::exec::jit_code_identity();
  ASSERT_TRUE(id) << id.error().message;
  auto sections = wnn::cache::unseal(good, wnn::cache::kArtifactMagic, *id, "", artifact);
  ASSERT_TRUE(sections) << sections.error().message;
  auto resealed = [&](auto change) {
    wnn::cache::CodeIdentity other = *id;
    change(other);
    return wnn::cache::seal(wnn::cache::kArtifactMagic, other, "", *sections);
  };
  EXPECT_NE(refusal(resealed([](auto& o) { o.wnn = "0.0.1"; })).find("made by wnn 0.0.1"), std::string::npos);
  EXPECT_NE(refusal(resealed([](auto& o) { o.llvm = "LLVM 18.1.8 O2 pic"; })).find("compiled with LLVM 18.1.8"),
            std::string::npos);
  const std::string cpu = refusal(resealed([](auto& o) { o.cpu = "x86_64-pc-linux-gnu future-cpu +avx10.9"; }));
  EXPECT_NE(cpu.find("compiled for another CPU (x86_64-pc-linux-gnu future-cpu"), std::string::npos) << cpu;
  EXPECT_NE(cpu.find("lacks +avx10.9"), std::string::npos) << cpu;
  // The same identity resealed is accepted: the refusals above are the identity's.
  write(dir.path() / "same.cwasm", resealed([](auto&) {}));
  r = wnn({"run", "--allow-precompiled", (dir.path() / "same.cwasm").string()});
  EXPECT_EQ(r.code, 0) << r.err;

  // Nothing is written for a module that does not validate.
  const std::string invalid = (dir.path() / "invalid.wasm").string();
  write(invalid, {0, 'a', 's', 'm', 1, 0, 0, 0, 3, 2, 1, 5});
  r = wnn({"compile", invalid, "-o", (dir.path() / "invalid.cwasm").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_FALSE(fs::exists(dir.path() / "invalid.cwasm"));
}

TEST(CompiledCodeCommands, UsageErrorsSayWhatIsRight) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  } cases[] = {
      {{"compile", guest("params")}, "needs both a module and -o"},
      {{"compile", "-o", "x.cwasm"}, "needs both a module and -o"},
      {{"compile", guest("params"), "-o"}, "-o needs a value"},
      {{"compile", guest("params"), "-o", "x.cwasm", "--fast"}, "unknown option --fast"},
      {{"cache"}, "`wnn cache stats` or `wnn cache clear`"},
      {{"cache", "purge"}, "the cache commands are stats and clear"},
      {{"cache", "stats", "--cache"}, "--cache needs a value"},
  };
  for (const Case& c : cases) {
    ProcessResult r = wnn(c.args);
    EXPECT_EQ(r.code, 2) << c.args[0];
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
  }
  ProcessResult r = wnn({"compile", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("Usage: wnn compile MODULE -o OUT.cwasm"), std::string::npos);
}

}  // namespace
