// Expected never throws: asking for the alternative it does not hold is
// reported and aborts. An Error always has a kind given by its maker. The
// wasi-nn backends' Result is checked the same way.
#include <gtest/gtest.h>

#include <type_traits>

#include "nn/backend.h"
#include "wnn/expected.h"

namespace wnn {
namespace {

static_assert(!std::is_default_constructible_v<Error>, "an Error says which kind it is");

TEST(Expected, HoldsAValueOrAnError) {
  Expected<int> v(3);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, 3);
  EXPECT_EQ(v.value_or(9), 3);
  Expected<int> e(Error(ErrorKind::Io, "gone"));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::Io);
  EXPECT_EQ(e.value_or(9), 9);
  Expected<void> ok;
  EXPECT_TRUE(ok);
  Expected<void> failed(Error(ErrorKind::Trap, "t"));
  EXPECT_EQ(failed.error().kind, ErrorKind::Trap);
}

TEST(ExpectedDeathTest, ValueOfAnErrorAbortsWithItsMessage) {
  Expected<int> e(Error(ErrorKind::Io, "cannot read m.wasm"));
  EXPECT_DEATH((void)e.value(), "Expected::value\\(\\) on an error: cannot read m.wasm");
  EXPECT_DEATH((void)*e, "on an error");
}

TEST(ExpectedDeathTest, ErrorOfAValueAborts) {
  Expected<int> v(1);
  EXPECT_DEATH((void)v.error(), "Expected::error\\(\\) on a value");
  Expected<void> ok;
  EXPECT_DEATH((void)ok.error(), "Expected::error\\(\\) on a value");
}

TEST(NnResultDeathTest, IsCheckedLikeExpected) {
  nn::Result<int> failed(nn::Failure{nn::kNotFound, "no such graph"});
  EXPECT_EQ(failed.failure().code, nn::kNotFound);
  EXPECT_DEATH((void)*failed, "value of a failure: no such graph");
  nn::Result<int> ok(4);
  EXPECT_EQ(*ok, 4);
  EXPECT_DEATH((void)ok.failure(), "failure\\(\\) on a value");
  nn::Result<void> done;
  EXPECT_DEATH((void)done.failure(), "failure\\(\\) on a value");
}

}  // namespace
}  // namespace wnn
