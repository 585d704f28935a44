// GraphConfig (src/nn/graph_config.h) in process: parsing limits, merging,
// typed reads and their messages.
#include "nn/graph_config.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using wnn::nn::GraphConfig;

TEST(GraphConfig, EmptyTextHasNoKeys) {
  auto c = GraphConfig::parse("");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->empty());
  EXPECT_TRUE(c->no_other_keys("x"));
}

TEST(GraphConfig, BracketsInsideStringsDoNotCountAsNesting) {
  EXPECT_TRUE(GraphConfig::parse(R"({"k":"[[[[[[[[[[[[{{{{{{{{{{"})"));
  EXPECT_TRUE(GraphConfig::parse(R"({"k":[[[[[[[1]]]]]]]})"));  // 8 levels
  auto deep = GraphConfig::parse(R"({"k":[[[[[[[[1]]]]]]]]})");   // 9
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.failure().code, wnn::nn::kInvalidArgument);
}

TEST(GraphConfig, SizeLimit) {
  std::string big = "{\"k\":\"" + std::string(wnn::nn::kMaxConfigBytes, 'a') + "\"}";
  auto c = GraphConfig::parse(big);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.failure().code, wnn::nn::kTooLarge);
}

TEST(GraphConfig, MergeReplacesKeysAndNormalises) {
  auto m = GraphConfig::merge(R"({"a": 1, "b": "x"})", R"({"b": "y", "c": true})");
  ASSERT_TRUE(m);
  EXPECT_EQ(*m, R"({"a":1,"b":"y","c":true})");
  auto empty = GraphConfig::merge("", " {} ");
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, "");
  EXPECT_FALSE(GraphConfig::merge("", "{"));
}

TEST(GraphConfig, TypedReadsAndUnknownKeys) {
  auto c = GraphConfig::parse(R"({"n": 3, "t": 0.5, "s": "Hi", "b": false, "big": 18446744073709551615, "neg": -2})");
  ASSERT_TRUE(c);
  EXPECT_EQ(**c->integer("n", 1, 10), 3);
  EXPECT_EQ(**c->number("t", 0, 1), 0.5);
  EXPECT_EQ(**c->one_of("s", {"hi", "lo"}), "hi");
  EXPECT_EQ(**c->boolean("b"), false);
  EXPECT_FALSE(*c->integer("absent", 0, 1));
  auto big = c->integer("big", 0, 1000);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.failure().why, R"(config key "big": 18446744073709551615 is outside 0..1000)");
  auto neg = c->integer("neg", 0, 10);
  ASSERT_FALSE(neg);
  EXPECT_EQ(neg.failure().why, R"(config key "neg": -2 is outside 0..10)");
  EXPECT_TRUE(c->no_other_keys("test"));
  auto d = GraphConfig::parse("{\"x\\n\": 1, \"n\": 1}");
  ASSERT_TRUE(d);
  (void)d->integer("n", 0, 1);
  auto unknown = d->no_other_keys("test");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.failure().why, R"(config key "x\x0a" is unknown to the test backend (it knows: n))");
}

TEST(GraphConfig, WrongTypesNameTheKey) {
  auto c = GraphConfig::parse(R"({"n": "3", "t": true, "s": 1, "b": "yes", "f": 1.5})");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->integer("n", 0, 9).failure().why, R"(config key "n" must be an integer, got a string)");
  EXPECT_EQ(c->number("t", 0, 9).failure().why, R"(config key "t" must be a number, got a boolean)");
  EXPECT_EQ(c->string("s").failure().why, R"(config key "s" must be a string, got a number)");
  EXPECT_EQ(c->boolean("b").failure().why, R"(config key "b" must be true or false, got a string)");
  EXPECT_EQ(c->integer("f", 0, 9).failure().why, R"(config key "f" must be an integer, got a number)");
}

}  // namespace
