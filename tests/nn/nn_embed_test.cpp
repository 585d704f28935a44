// wasi-nn through the embedding API (include/wnn/nn.h), in process: what a
// guest run through `wnn` cannot show.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

#include "wnn/nn.h"
#include "wnn/runtime.h"

#include "nn/lsan_suppressions.h"  // OpenVINO runs in this process

namespace {

std::vector<uint8_t> read(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

uint32_t call(wnn::Store& store, wnn::Instance* inst, const char* name, std::vector<wnn::Value> args = {}) {
  auto r = store.invoke(store.find_export(inst, name)->func(), args);
  EXPECT_TRUE(r) << name;
  return r ? uint32_t((*r)[0].lo) : ~0u;
}

// An NnContext that outlives stores (an embedder's server, say): a graph
// handle of a destroyed instance must not become usable by a new instance,
// even one the allocator puts at the same address (owners were compared by
// Instance* once: then it was).
TEST(NnEmbed, HandlesOfADestroyedInstanceStayForeign) {
  if (!NN_HAVE_OPENVINO) GTEST_SKIP() << "no OpenVINO backend in this build";
  auto module = wnn::compile(read(NN_GUEST_DIR "/handles.wasm"));
  ASSERT_TRUE(module) << module.error().message;
  wnn::NnConfig config;
  config.graphs.push_back(
      {"linear", "openvino", "cpu", {NN_MODEL_DIR "/linear/model.xml", NN_MODEL_DIR "/linear/model.bin"}, ""});
  auto nn = wnn::NnContext::create(config);
  ASSERT_TRUE(nn);
  int same_address = 0;
  for (int round = 0; round < 4; ++round) {
    uint32_t graph = 0;
    const wnn::Instance* first = nullptr;
    {
      wnn::Store store;
      auto inst = store.instantiate(*module, [&](auto m, auto n) { return (*nn)->resolve(store, m, n); });
      ASSERT_TRUE(inst);
      ASSERT_EQ(call(store, *inst, "load"), 0u);
      graph = call(store, *inst, "graph");
      ASSERT_EQ(call(store, *inst, "init", {wnn::Value::i32(graph)}), 0u);  // its own: fine
      first = *inst;
    }
    wnn::Store store;
    auto inst = store.instantiate(*module, [&](auto m, auto n) { return (*nn)->resolve(store, m, n); });
    ASSERT_TRUE(inst);
    same_address += *inst == first;
    EXPECT_EQ(call(store, *inst, "init", {wnn::Value::i32(graph)}), 1u) << "invalid_argument: another instance's";
  }
  std::printf("a new instance at a destroyed one's address in %d of 4 rounds\n", same_address);
}

// NnConfig::max_handles: an instance cannot pile up graphs (host memory)
// beyond the limit; releasing one makes room again.
TEST(NnEmbed, LiveHandlesAreCapped) {
  if (!NN_HAVE_OPENVINO) GTEST_SKIP() << "no OpenVINO backend in this build";
  auto module = wnn::compile(read(NN_GUEST_DIR "/handles.wasm"));
  ASSERT_TRUE(module) << module.error().message;
  wnn::NnConfig config;
  config.graphs.push_back(
      {"linear", "openvino", "cpu", {NN_MODEL_DIR "/linear/model.xml", NN_MODEL_DIR "/linear/model.bin"}, ""});
  config.max_handles = 3;
  auto nn = wnn::NnContext::create(config);
  ASSERT_TRUE(nn);
  wnn::Store store;
  auto inst = store.instantiate(*module, [&](auto m, auto n) { return (*nn)->resolve(store, m, n); });
  ASSERT_TRUE(inst);
  ASSERT_EQ(call(store, *inst, "load"), 0u);
  const uint32_t graph = call(store, *inst, "graph");
  ASSERT_EQ(call(store, *inst, "load"), 0u);
  ASSERT_EQ(call(store, *inst, "init", {wnn::Value::i32(graph)}), 0u);  // 3 live: graph, graph, context
  EXPECT_EQ(call(store, *inst, "load"), 5u) << "runtime_error: over the limit";
  EXPECT_EQ(call(store, *inst, "init", {wnn::Value::i32(graph)}), 5u);
  // Another instance has its own allowance.
  auto other = store.instantiate(*module, [&](auto m, auto n) { return (*nn)->resolve(store, m, n); });
  ASSERT_TRUE(other);
  EXPECT_EQ(call(store, *other, "load"), 0u);
  // Unloading makes room.
  ASSERT_EQ(call(store, *inst, "unload", {wnn::Value::i32(graph)}), 0u);
  EXPECT_EQ(call(store, *inst, "load"), 0u);
}

// NnConfig::max_tensor_bytes: the cap an embedder sets bounds every tensor
// a computation would make, checked before OpenVINO runs: at compute for a
// dynamic model (Tile with the guest's repeats), at load for a static one.
TEST(NnEmbed, TensorBytesCap) {
  if (!NN_HAVE_OPENVINO) GTEST_SKIP() << "no OpenVINO backend in this build";
  auto module = wnn::compile(read(NN_GUEST_DIR "/shapes.wasm"));
  ASSERT_TRUE(module) << module.error().message;
  wnn::NnConfig config;
  config.graphs.push_back({"tile", "onnx", "cpu", {NN_MODEL_DIR "/tile/model.onnx"}, ""});
  config.graphs.push_back(
      {"linear", "openvino", "cpu", {NN_MODEL_DIR "/linear/model.xml", NN_MODEL_DIR "/linear/model.bin"}, ""});
  config.max_tensor_bytes = 64;
  auto nn = wnn::NnContext::create(config);
  ASSERT_TRUE(nn);
  wnn::Store store;
  auto inst = store.instantiate(*module, [&](auto m, auto n) { return (*nn)->resolve(store, m, n); });
  ASSERT_TRUE(inst);
  ASSERT_EQ(call(store, *inst, "load", {wnn::Value::i32(4)}), 0u);
  // X is f32 [2,2]: r = [2,2] makes [4,4] = 64 bytes (fits), [2,3] 96 bytes (too_large).
  EXPECT_EQ(call(store, *inst, "run", {wnn::Value::i64(2), wnn::Value::i64(2)}), 0u);
  EXPECT_EQ(call(store, *inst, "run", {wnn::Value::i64(2), wnn::Value::i64(3)}), 7u);
  EXPECT_EQ(call(store, *inst, "run", {wnn::Value::i64(1), wnn::Value::i64(1)}), 0u);  // usable again
  EXPECT_EQ(call(store, *inst, "run", {wnn::Value::i64(-3), wnn::Value::i64(1)}), 1u);
  // The static linear model's input alone is f32 [1,4] = 16 bytes: refused at load under 8.
  config.max_tensor_bytes = 8;
  auto small = wnn::NnContext::create(config);
  ASSERT_TRUE(small);
  wnn::Store store2;
  auto inst2 = store2.instantiate(*module, [&](auto m, auto n) { return (*small)->resolve(store2, m, n); });
  ASSERT_TRUE(inst2);
  auto mem = store2.find_export(*inst2, "memory");
  ASSERT_TRUE(mem);
  std::memcpy(store2.memory_data(mem->memory()).data(), "linear", 6);
  EXPECT_EQ(call(store2, *inst2, "load", {wnn::Value::i32(6)}), 7u);
}

}  // namespace
