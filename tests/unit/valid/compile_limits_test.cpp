// What compile costs the host is bounded: implementation limits with clear
// errors, interruption from another thread or a deadline, and running out of
// host memory as an error rather than an abort. Its modules are sized at the
// limits by loops, so they are bytes from the writer rather than WAT.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "binary/decoder.h"
#include "compile_checks.h"
#include "valid/function_translator.h"

namespace wnn::valid::test {
using namespace wnn::test;
namespace {

using enum ValType;
using Clock = std::chrono::steady_clock;

// One function () -> () whose body is `depth` nested empty blocks.
Bytes nested_blocks(uint32_t depth, int functions = 1) {
  Bytes code;
  for (uint32_t i = 0; i < depth; ++i) code.insert(code.end(), {0x02, 0x40});
  code.insert(code.end(), depth + 1, 0x0B);
  ModuleBuilder b;
  const uint32_t t = b.type({}, {});
  for (int i = 0; i < functions; ++i) b.func(t, code);
  return b.build();
}

TEST(CompileLimits, NestingDepth) {
  EXPECT_TRUE(compile_ok(nested_blocks(kMaxControlDepth)));
  Error e = compile_error(nested_blocks(kMaxControlDepth + 1));
  EXPECT_EQ(e.kind, ErrorKind::Exhaustion);
  EXPECT_HAS_SUBSTR(e.message, "function 0, at offset");
  EXPECT_HAS_SUBSTR(e.message, "(block): blocks nested more than 65536 deep (implementation limit)");
}

TEST(CompileLimits, FunctionBodySize) {
  // The largest body: nops up to the limit, then end.
  const uint32_t max = binary::kMaxFunctionBodyBytes;
  Bytes code(max - 2, 0x01);  // + the locals count and end
  code.push_back(0x0B);
  EXPECT_TRUE(compile_ok(single({}, {}, code).build()));
  code.insert(code.begin(), 0x01);
  Error e = compile_error(single({}, {}, code).build());
  EXPECT_EQ(e.kind, ErrorKind::Exhaustion);
  EXPECT_HAS_SUBSTR(e.message, "function body of 7654322 bytes exceeds the implementation limit of 7654321 bytes");
}

TEST(CompileLimits, FunctionCount) {
  ModuleBuilder b;
  const uint32_t t = b.type({}, {});
  for (uint32_t i = 0; i <= binary::kMaxDefinedFunctions; ++i) b.func(t, {0x0B});
  Error e = compile_error(b.build());
  EXPECT_EQ(e.kind, ErrorKind::Exhaustion);
  EXPECT_HAS_SUBSTR(e.message, "function 1000000, at offset");
  EXPECT_HAS_SUBSTR(e.message, "more than 1000000 functions (implementation limit)");
}

TEST(CompileLimits, OperandStackStopsAtTheFrameLimit) {
  // 2^20 + 1 constants, then 2^20 nops: rejected at the constant that
  // passes the limit, before the rest of the body is read.
  Bytes code;
  for (uint32_t i = 0; i <= kMaxFrameSlots; ++i) code.insert(code.end(), {0x41, 0});
  const size_t last_const = code.size() - 2;
  code.insert(code.end(), kMaxFrameSlots, 0x01);
  code.push_back(0x0B);
  const Bytes bytes = single({}, {}, code).build();
  Error e = compile_error(bytes);
  EXPECT_EQ(e.kind, ErrorKind::Invalid);
  // The body is the last thing in the module: its first byte is at size - (code + locals count).
  const size_t body_start = bytes.size() - code.size();
  EXPECT_HAS_SUBSTR(e.message, "at offset " + std::to_string(body_start + last_const) + " ");
  EXPECT_HAS_SUBSTR(e.message, "(i32.const): needs a frame of more than 1048576 slots (wnn's limit)");
}

// Compile time stays linear in quadratic-looking shapes (an O(stack) or
// O(depth) step per instruction before).
TEST(CompileTime, BlockStartsOverADeepLazyStack) {
  // 300 k local.get (lazy entries), 300 k empty blocks, 300 k drops (more
  // than 60 s before: every block start scanned the whole stack).
  Bytes code;
  for (int i = 0; i < 300'000; ++i) code.insert(code.end(), {0x20, 0});
  for (int i = 0; i < 300'000; ++i) code.insert(code.end(), {0x02, 0x40, 0x0B});
  code.insert(code.end(), 300'000, 0x1A);
  code.push_back(0x0B);
  const auto start = Clock::now();
  EXPECT_TRUE(compile_ok(single({I32}, {}, code).build()));
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
}

TEST(CompileTime, BrTablesInsideDeepNesting) {
  // 65535 nested blocks around 300 k `(block (br_table 0 0 (local.get 0)))`
  // (3.5 s before: per-label state was sized by the nesting depth).
  Bytes code;
  for (uint32_t i = 1; i < kMaxControlDepth; ++i) code.insert(code.end(), {0x02, 0x40});
  for (int i = 0; i < 300'000; ++i) code.insert(code.end(), {0x02, 0x40, 0x20, 0, 0x0E, 1, 0, 0, 0x0B});
  code.insert(code.end(), kMaxControlDepth, 0x0B);
  const auto start = Clock::now();
  EXPECT_TRUE(compile_ok(single({I32}, {}, code).build()));
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
}

void expect_interrupted(const Expected<std::shared_ptr<const CompiledModule>>& r) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Exhaustion);
  EXPECT_EQ(r.error().trap, TrapKind::Interrupted);
  EXPECT_EQ(r.error().message.rfind("interrupted: compilation stopped at ", 0), 0u) << r.error().message;
}

TEST(CompileInterrupt, FlagSetBeforehandStopsAtTheFirstFunction) {
  std::atomic<bool> stop{true};
  CompileOptions options;
  options.interrupt = &stop;
  auto r = compile(nested_blocks(10, 3), options);
  expect_interrupted(r);
  EXPECT_EQ(r.error().message, "interrupted: compilation stopped at function 0 of 3");
  // Without the flag (and through the old signature) the module compiles.
  stop = false;
  EXPECT_TRUE(compile(nested_blocks(10, 3), options).ok());
  EXPECT_TRUE(compile(nested_blocks(10, 3)).ok());
}

TEST(CompileInterrupt, DeadlineInsideALargeFunction) {
  // One function of 7.6 M nops: a passed deadline is seen within 4096 of them.
  Bytes code(binary::kMaxFunctionBodyBytes - 2, 0x01);
  code.push_back(0x0B);
  const Bytes bytes = single({}, {}, code).build();
  CompileOptions options;
  options.deadline = Clock::now();
  auto r = compile(bytes, options);
  expect_interrupted(r);
  // Function 0 was entered before the deadline was checked inside it.
  EXPECT_EQ(r.error().message.rfind("interrupted: compilation stopped at function 0", 0), 0u);
}

TEST(CompileInterrupt, AnotherThreadStopsALargeModuleQuickly) {
  // 100 functions of 65536 nested blocks (~40 MB): far longer to compile
  // than the 20 ms after which the flag is set.
  const Bytes bytes = nested_blocks(kMaxControlDepth, 300);
  std::atomic<bool> stop{false};
  CompileOptions options;
  options.interrupt = &stop;
  Clock::time_point set_at;
  std::thread watchdog([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    set_at = Clock::now();
    stop = true;
  });
  auto r = compile(bytes, options);
  const auto done = Clock::now();
  watchdog.join();
  expect_interrupted(r);
  // Polled every 4096 instructions: milliseconds; the bound leaves room for
  // sanitizer builds on a loaded machine (the whole compile takes seconds).
  EXPECT_LT(done - set_at, std::chrono::milliseconds(1000));
}

#if !defined(__has_feature) || !__has_feature(address_sanitizer)  // ASan needs its shadow space
// In a child limited to its current address space + 64 MiB, compiling a
// module that needs ~120 MiB fails with an error instead of aborting.
[[noreturn]] void compile_under_rlimit(const Bytes& bytes) {
  std::ifstream statm("/proc/self/statm");
  uint64_t pages = 0;
  statm >> pages;
  const uint64_t limit = pages * uint64_t(sysconf(_SC_PAGESIZE)) + (uint64_t(64) << 20);
  rlimit lim{limit, limit};
  if (setrlimit(RLIMIT_AS, &lim) != 0) std::_Exit(2);
  auto r = compile(bytes);
  if (r.ok()) std::_Exit(3);
  if (r.error().kind != ErrorKind::Exhaustion) std::_Exit(4);
  if (r.error().message != "out of host memory while compiling the module") std::_Exit(5);
  std::_Exit(0);
}

TEST(CompileLimits, OutOfHostMemoryIsAnError) {
  ModuleBuilder b;
  const uint32_t t = b.type({}, {});
  for (uint32_t i = 0; i < 1'000'000; ++i) b.func(t, {0x0B});
  const Bytes bytes = b.build();
  EXPECT_EXIT(compile_under_rlimit(bytes), ::testing::ExitedWithCode(0), "");
}
#endif

}  // namespace
}  // namespace wnn::valid::test
