// The on-disk code cache: hits and misses, broken entries, two processes
// writing one entry, eviction of the least recently used entries.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cache/code_cache.h"

namespace fs = std::filesystem;

namespace wnn::cache {
namespace {

const CodeIdentity kHere{"0.1.0", "b1d", "LLVM 19.1.7 O2 pic", "x86_64-pc-linux-gnu znver3 +avx2"};

class CodeCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("wnn-cache-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  CodeCache open(uint64_t max_bytes = kDefaultCacheBytes, const CodeIdentity& id = kHere) {
    auto c = CodeCache::open(dir_.string(), max_bytes, id);
    EXPECT_TRUE(c) << c.error().message;
    return std::move(*c);
  }
  fs::path entry(const CodeCache& c, const std::string& key, const std::string& batch) {
    return fs::path(c.dir()) / "code-v1" / key / (batch + ".obj");
  }
  fs::path dir_;
};

const std::vector<uint8_t> kModule{0, 'a', 's', 'm', 1, 0, 0, 0};
std::vector<uint8_t> object(uint8_t fill, size_t n = 4000) { return std::vector<uint8_t>(n, fill); }

TEST_F(CodeCacheTest, MissThenHit) {
  CodeCache c = open();
  const std::string key = c.module_key(kModule);
  EXPECT_EQ(c.load(key, "all"), std::nullopt);
  ASSERT_TRUE(c.store(key, "all", object(1)));
  EXPECT_EQ(c.load(key, "all"), object(1));
  EXPECT_EQ(c.load(key, CodeCache::batch_name(std::vector<uint32_t>{3})), std::nullopt);
  auto s = c.stats();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->modules, 1u);
  EXPECT_EQ(s->objects, 1u);
  EXPECT_GT(s->bytes, 4000u);
}

TEST_F(CodeCacheTest, KeysSeparateModulesIdentitiesAndBatches) {
  CodeCache c = open();
  std::vector<uint8_t> other = kModule;
  other.push_back(0);
  EXPECT_NE(c.module_key(kModule), c.module_key(other));
  EXPECT_NE(c.module_key(kModule, "exact-fuel"), c.module_key(kModule));
  for (std::string CodeIdentity::* field :
       {&CodeIdentity::wnn, &CodeIdentity::build, &CodeIdentity::llvm, &CodeIdentity::cpu}) {
    CodeIdentity id = kHere;
    id.*field += "x";
    EXPECT_NE(open(kDefaultCacheBytes, id).module_key(kModule), c.module_key(kModule));
  }
  EXPECT_EQ(CodeCache::batch_name({}), "all");
  const std::vector<uint32_t> a{5, 1, 3}, b{1, 3, 5, 5}, d{1, 3, 6};
  EXPECT_EQ(CodeCache::batch_name(a), CodeCache::batch_name(b));
  EXPECT_NE(CodeCache::batch_name(a), CodeCache::batch_name(d));
  // Batches of one module live side by side.
  const std::string key = c.module_key(kModule);
  ASSERT_TRUE(c.store(key, CodeCache::batch_name(a), object(1)));
  ASSERT_TRUE(c.store(key, CodeCache::batch_name(d), object(2)));
  auto all = c.load_all(key);
  ASSERT_EQ(all.size(), 2u);
  for (const auto& [batch, obj] : all) EXPECT_EQ(obj, batch == CodeCache::batch_name(a) ? object(1) : object(2));
}

TEST_F(CodeCacheTest, FlippedTruncatedAndForeignEntriesAreMissesAndRemoved) {
  CodeCache c = open();
  const std::string key = c.module_key(kModule);
  const fs::path path = entry(c, key, "all");
  auto rewrite = [&](auto&& change) {
    ASSERT_TRUE(c.store(key, "all", object(1)));
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    change(bytes);
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  };
  rewrite([](std::vector<uint8_t>& b) { b[b.size() / 2] ^= 0x40; });
  EXPECT_EQ(c.load(key, "all"), std::nullopt);
  EXPECT_FALSE(fs::exists(path));
  rewrite([](std::vector<uint8_t>& b) { b.resize(b.size() - 100); });
  EXPECT_EQ(c.load(key, "all"), std::nullopt);
  EXPECT_FALSE(fs::exists(path));
  rewrite([](std::vector<uint8_t>& b) { b.clear(); });
  EXPECT_EQ(c.load(key, "all"), std::nullopt);
  // An entry written by another wnn, moved under this one's key.
  CodeIdentity old = kHere;
  old.wnn = "0.0.9";
  CodeCache foreign = open(kDefaultCacheBytes, old);
  const std::string old_key = foreign.module_key(kModule);
  ASSERT_TRUE(foreign.store(old_key, "all", object(9)));
  fs::create_directories(path.parent_path());
  fs::rename(entry(foreign, old_key, "all"), path);
  EXPECT_EQ(c.load(key, "all"), std::nullopt);
  EXPECT_FALSE(fs::exists(path));
  // Another batch's entry copied over this one: its key says so.
  ASSERT_TRUE(c.store(key, "b1", object(3)));
  fs::copy_file(entry(c, key, "b1"), path, fs::copy_options::overwrite_existing);
  EXPECT_EQ(c.load(key, "all"), std::nullopt);
  // After all that, a store and a hit.
  ASSERT_TRUE(c.store(key, "all", object(4)));
  EXPECT_EQ(c.load(key, "all"), object(4));
}

// Two processes store the same entry over and over with different contents
// while this one reads it: every read is one writer's whole object.
TEST_F(CodeCacheTest, TwoProcessesWritingOneEntry) {
  CodeCache c = open();
  const std::string key = c.module_key(kModule);
  pid_t kids[2];
  for (int k = 0; k < 2; ++k) {
    kids[k] = ::fork();
    ASSERT_GE(kids[k], 0);
    if (kids[k] == 0) {
      auto mine = CodeCache::open(dir_.string(), kDefaultCacheBytes, kHere);
      bool ok = bool(mine);
      for (int i = 0; ok && i < 150; ++i) ok = bool(mine->store(key, "all", object(uint8_t(10 + k), 200'000)));
      ::_exit(ok ? 0 : 1);
    }
  }
  // Once the entry exists it is never missing (rename replaces it whole),
  // so after the first hit every read must hit: a torn read would be a miss.
  int hits = 0, running = 2;
  while (running > 0) {
    auto got = c.load(key, "all");
    if (hits > 0) ASSERT_TRUE(got) << "after " << hits << " hits";
    if (got) {
      ++hits;
      ASSERT_TRUE(*got == object(10, 200'000) || *got == object(11, 200'000)) << "read " << hits;
    }
    for (pid_t& kid : kids) {
      int status = 0;
      if (kid > 0 && ::waitpid(kid, &status, WNOHANG) == kid) {
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        kid = 0, --running;
      }
    }
  }
  auto last = c.load(key, "all");
  ASSERT_TRUE(last);
  EXPECT_TRUE(*last == object(10, 200'000) || *last == object(11, 200'000));
  // No temporary file is left behind.
  size_t files = 0;
  for (const auto& f : fs::directory_iterator(entry(c, key, "all").parent_path())) files += f.is_regular_file();
  EXPECT_EQ(files, 1u);
  EXPECT_GT(hits, 0);
}

TEST_F(CodeCacheTest, EvictsTheLeastRecentlyUsed) {
  // Room for three entries of ~10 KB, not four.
  CodeCache c = open(35'000);
  std::vector<std::string> keys;
  for (uint8_t i = 0; i < 3; ++i) {
    std::vector<uint8_t> m = kModule;
    m.push_back(i);
    keys.push_back(c.module_key(m));
    ASSERT_TRUE(c.store(keys[i], "all", object(i, 10'000)));
    // Distinct ages, oldest first, whatever the file system's clock resolution.
    const timespec times[2] = {{0, UTIME_OMIT}, {1'000'000 + i * 100, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, entry(c, keys[i], "all").c_str(), times, 0), 0);
  }
  ASSERT_TRUE(c.load(keys[0], "all"));  // the oldest becomes the most recent
  std::vector<uint8_t> m = kModule;
  m.push_back(3);
  const std::string fourth = c.module_key(m);
  ASSERT_TRUE(c.store(fourth, "all", object(3, 10'000)));
  EXPECT_TRUE(c.load(keys[0], "all"));
  EXPECT_FALSE(c.load(keys[1], "all"));  // least recently used
  EXPECT_FALSE(fs::exists(entry(c, keys[1], "all").parent_path()));  // its empty directory too
  EXPECT_TRUE(c.load(keys[2], "all"));
  EXPECT_TRUE(c.load(fourth, "all"));
  auto s = c.stats();
  ASSERT_TRUE(s);
  EXPECT_LE(s->bytes, 35'000u);
  EXPECT_EQ(s->objects, 3u);
}

TEST_F(CodeCacheTest, ClearRemovesEverything) {
  CodeCache c = open();
  const std::string key = c.module_key(kModule);
  ASSERT_TRUE(c.store(key, "all", object(1)));
  ASSERT_TRUE(c.store(key, "b2", object(2)));
  auto freed = c.clear();
  ASSERT_TRUE(freed);
  EXPECT_GT(*freed, 8000u);
  EXPECT_EQ(c.load(key, "all"), std::nullopt);
  auto s = c.stats();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->objects + s->modules, 0u);
}

// Entries are executed: a cache others can write to is not used.
// The hint that a module may have code stored (read without the module key,
// so without loading the compiler tier): absent until noted, per module
// (size, first and last 64 KiB), gone with clear().
TEST_F(CodeCacheTest, ModuleHintsTellWhatMayHaveCode) {
  CodeCache c = open();
  std::vector<uint8_t> a(200'000, 7), b = a, same_size_start = a;
  b.back() = 8;                    // the last 64 KiB differ
  same_size_start[100'000] = 9;    // only the middle differs: the same hint
  EXPECT_FALSE(may_have_code(c.dir(), a));
  note_code(c.dir(), a);
  EXPECT_TRUE(may_have_code(c.dir(), a));
  EXPECT_FALSE(may_have_code(c.dir(), b));
  EXPECT_TRUE(may_have_code(c.dir(), same_size_start));  // a false positive costs one load
  EXPECT_FALSE(may_have_code(c.dir(), std::vector<uint8_t>(a.begin(), a.end() - 1)));
  EXPECT_FALSE(may_have_code("", a));
  ASSERT_TRUE(c.clear());
  EXPECT_FALSE(may_have_code(c.dir(), a));
  // hints-v1 as a link planted elsewhere: nothing is written through it.
  const fs::path elsewhere = dir_ / "elsewhere";
  fs::create_directories(elsewhere);
  fs::create_directory_symlink(elsewhere, dir_ / "hints-v1");
  note_code(c.dir(), a);
  EXPECT_TRUE(fs::is_empty(elsewhere));
}

TEST_F(CodeCacheTest, RefusesADirectoryOthersCanWrite) {
  fs::create_directories(dir_ / "code-v1");
  fs::permissions(dir_ / "code-v1", fs::perms::all);
  auto c = CodeCache::open(dir_.string(), kDefaultCacheBytes, kHere);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("only it can write"), std::string::npos) << c.error().message;
  fs::remove(dir_ / "code-v1");
  fs::create_directory_symlink(fs::temp_directory_path(), dir_ / "code-v1");
  EXPECT_FALSE(CodeCache::open(dir_.string(), kDefaultCacheBytes, kHere));
  fs::remove(dir_ / "code-v1");
  ASSERT_TRUE(CodeCache::open(dir_.string(), kDefaultCacheBytes, kHere));
  EXPECT_EQ(fs::status(dir_ / "code-v1").permissions() & fs::perms::all, fs::perms::owner_all);
}

TEST_F(CodeCacheTest, DefaultDirectory) {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const std::string saved = xdg ? xdg : "";
  ::setenv("XDG_CACHE_HOME", "/x/cache", 1);
  EXPECT_EQ(default_cache_dir(), "/x/cache/wnn");
  ::setenv("XDG_CACHE_HOME", "relative", 1);  // not absolute: ignored, as the XDG spec says
  ::setenv("HOME", std::getenv("HOME") ? std::getenv("HOME") : "/home/u", 1);
  EXPECT_EQ(default_cache_dir(), std::string(std::getenv("HOME")) + "/.cache/wnn");
  if (xdg)
    ::setenv("XDG_CACHE_HOME", saved.c_str(), 1);
  else
    ::unsetenv("XDG_CACHE_HOME");
}

}  // namespace
}  // namespace wnn::cache
