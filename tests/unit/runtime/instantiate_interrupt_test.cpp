// Store::interrupt() reaches instantiation too: segment initialisation stops
// with an "interrupted" trap (the start function already could).
#include <gtest/gtest.h>

#include "compile_checks.h"
#include "runtime/objects.h"
#include "wat_module.h"
#include "wnn/runtime.h"

namespace wnn {
namespace {

using test::compile_ok;
using test::ModuleBuilder;

std::optional<Extern> no_imports(std::string_view, std::string_view) { return std::nullopt; }

TEST(InstantiateInterrupt, PendingRequestStopsSegmentInitialisation) {
  auto cm = compile_ok(test::wat_module("data_segment"));
  ASSERT_TRUE(cm);
  Store store;
  store.interrupt();
  auto r = store.instantiate(cm, no_imports);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().trap, TrapKind::Interrupted);
  EXPECT_EQ(r.error().message, "interrupted: instantiation stopped at data segment 0");
  // The request was delivered: the next instantiation runs to the end.
  auto again = store.instantiate(cm, no_imports);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(store.memory_data((*again)->memories[0])[0], 0x2A);
}

TEST(InstantiateInterrupt, LongElementSegmentIsPolled) {
  // (table 10000 funcref) (elem (i32.const 0) func 0 x 10000): written by
  // the builder, as WAT would have to list the 10000 entries.
  ModuleBuilder b;
  const uint32_t f = b.func(b.type({}, {}), {0x0B});
  b.table(ValType::FuncRef, 10000);
  test::Bytes seg = {0x00, 0x41, 0x00, 0x0B};
  test::append(seg, test::uleb(10000));
  for (int i = 0; i < 10000; ++i) seg.push_back(uint8_t(f));
  b.elem(seg);
  auto cm = compile_ok(b.build());
  ASSERT_TRUE(cm);
  Store store;
  store.interrupt();
  auto r = store.instantiate(cm, no_imports);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().trap, TrapKind::Interrupted);
  EXPECT_EQ(r.error().message, "interrupted: instantiation stopped at element segment 0");
}

}  // namespace
}  // namespace wnn
