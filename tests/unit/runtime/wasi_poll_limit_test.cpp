// A host allocation sized by guest input: poll_oneoff's subscription count
// is capped (65536), so a 100-byte guest cannot make the host allocate GBs.
#include <gtest/gtest.h>

#include <cstring>

#include "compile_checks.h"
#include "runtime/objects.h"
#include "wat_module.h"
#include "wnn/runtime.h"
#include "wnn/wasi.h"

namespace wnn {
namespace {

using test::compile_ok;

constexpr uint32_t kEinval = 28;  // WASI errno inval

// wat/poll_guest.wat: poll(n) polls n subscriptions.
struct PollGuest {
  Store store;
  std::unique_ptr<WasiContext> wasi;
  Instance* inst = nullptr;

  PollGuest() {
    auto w = WasiContext::create(WasiConfig{});
    EXPECT_TRUE(w.ok());
    wasi = std::move(*w);
    auto r = store.instantiate(compile_ok(test::wat_module("poll_guest")), [this](std::string_view, std::string_view) {
      return wasi->resolve(store, "wasi_snapshot_preview1", "poll_oneoff");
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    if (r.ok()) inst = *r;
  }

  uint32_t poll(uint32_t n) {
    Value arg = Value::i32(int32_t(n));
    auto r = store.invoke(store.find_export(inst, "poll")->func(), {&arg, 1});
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? (*r)[0].as_u32() : 0xFFFF;
  }

  uint32_t nevents() {
    uint32_t n = 0;
    std::memcpy(&n, store.memory_data(inst->memories[0]).data() + 128 * 65536 - 4, 4);
    return n;
  }
};

TEST(WasiPollLimit, HugeSubscriptionCountIsInval) {
  PollGuest g;
  ASSERT_NE(g.inst, nullptr);
  EXPECT_EQ(g.poll(80'000'000), kEinval);  // the finding: 5.6 GB of host memory before
  EXPECT_EQ(g.poll(65537), kEinval);       // fits in the 8 MiB memory, still over the cap
  EXPECT_EQ(g.poll(65536), 0u);            // the cap itself works: 65536 expired clocks
  EXPECT_EQ(g.nevents(), 65536u);
}

}  // namespace
}  // namespace wnn
