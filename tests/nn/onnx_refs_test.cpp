// The ONNX external-data walker (src/nn/onnx_refs.cpp) on models built here
// with a small protobuf encoder: every place a tensor can hide, malformed
// and deeply nested protobuf, and inlining beneath a directory.
#include "nn/onnx_refs.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using wnn::nn::kInvalidArgument;
using wnn::nn::kInvalidEncoding;

using Bytes = std::string;

Bytes varint(uint64_t v) {
  Bytes out;
  do {
    uint8_t c = v & 0x7F;
    v >>= 7;
    out += char(c | (v ? 0x80 : 0));
  } while (v);
  return out;
}
Bytes fv(uint32_t field, uint64_t v) { return varint(uint64_t(field) << 3) + varint(v); }
Bytes fb(uint32_t field, const Bytes& b) { return varint(uint64_t(field) << 3 | 2) + varint(b.size()) + b; }

Bytes entry(const Bytes& k, const Bytes& v) { return fb(1, k) + fb(2, v); }
// TensorProto "name", f32[4]; external at `location` unless empty (then inline raw_data).
Bytes tensor(const Bytes& name, const Bytes& location, bool mark = true, bool entries = true) {
  Bytes t = fv(1, 4) + fv(2, 1) + fb(8, name);
  if (location.empty()) return t + fb(9, Bytes(16, '\1'));
  if (entries) t += fb(13, entry("location", location)) + fb(13, entry("length", "16"));
  if (mark) t += fv(14, 1);
  return t;
}
Bytes attr_t(const Bytes& t) { return fb(1, "value") + fb(5, t) + fv(20, 4); }
Bytes node(const Bytes& attr) { return fb(2, "y") + fb(4, "Constant") + fb(5, attr); }  // one attribute
Bytes graph_with_node(const Bytes& n) { return fb(1, n) + fb(2, "g"); }
Bytes model(const Bytes& graph) { return fv(1, 8) + fb(7, graph) + fb(8, fb(1, "") + fv(2, 13)); }

std::span<const uint8_t> span(const Bytes& b) { return {reinterpret_cast<const uint8_t*>(b.data()), b.size()}; }

std::vector<wnn::nn::OnnxExternalRef> refs_of(const Bytes& m) {
  auto r = wnn::nn::onnx_external_refs(span(m));
  EXPECT_TRUE(r) << r.failure().why;
  return r ? *r : std::vector<wnn::nn::OnnxExternalRef>{};
}

TEST(OnnxRefs, ModelWithoutExternalDataIsClean) {
  Bytes m = model(fb(5, tensor("W", "")) + graph_with_node(node(attr_t(tensor("C", "")))));
  EXPECT_TRUE(refs_of(m).empty());
  EXPECT_TRUE(wnn::nn::refuse_onnx_external_data(span(m)));
}

TEST(OnnxRefs, ExternalInitializerIsRefusedNamingTheTensor) {
  Bytes m = model(fb(2, "g") + fb(5, tensor("A", "")) + fb(5, tensor("W", "/etc/shadow")));
  auto refs = refs_of(m);
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].tensor, "W");
  EXPECT_EQ(refs[0].location, "/etc/shadow");
  EXPECT_EQ(refs[0].where, "model.graph[0].initializer[1]");
  auto r = wnn::nn::refuse_onnx_external_data(span(m));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.failure().code, kInvalidArgument);
  EXPECT_EQ(r.failure().why,
            "tensor \"W\" (model.graph[0].initializer[1]) names external data \"/etc/shadow\": external data is not "
            "allowed in a model passed to load (1 such tensor(s)); inline the weights, or have the host preload the "
            "model");
}

TEST(OnnxRefs, EitherMarkAlone) {
  // data_location EXTERNAL without entries, or entries without the mark: both count.
  EXPECT_EQ(refs_of(model(fb(5, tensor("a", "x", true, false)))).size(), 1u);
  EXPECT_EQ(refs_of(model(fb(5, tensor("b", "x", false, true)))).size(), 1u);
  // data_location DEFAULT (0) with no entries: not external.
  EXPECT_TRUE(refs_of(model(fb(5, tensor("c", "") + fv(14, 0)))).empty());
}

TEST(OnnxRefs, EveryPlaceATensorCanHide) {
  const Bytes ext = tensor("W", "secret");
  const Bytes sparse = fb(1, ext) + fb(2, tensor("i", "")) + fv(3, 4);  // SparseTensorProto values, indices, dims
  const Bytes sparse_idx = fb(1, tensor("v", "")) + fb(2, ext);
  const Bytes in_graph_attr =
      graph_with_node(node(fb(1, "then_branch") + fb(6, graph_with_node(node(attr_t(ext)))) + fv(20, 5)));
  const Bytes function = fb(1, "f") + fb(7, node(attr_t(ext)));
  const Bytes function_default = fb(1, "f") + fb(11, attr_t(ext));
  const std::pair<Bytes, const char*> cases[] = {
      {model(graph_with_node(node(attr_t(ext)))), "model.graph[0].node[0].attribute[0].t[0]"},
      {model(in_graph_attr), "model.graph[0].node[0].attribute[0].g[0].node[0].attribute[0].t[0]"},
      {model(graph_with_node(node(fb(10, tensor("a", "")) + fb(10, ext)))),
       "model.graph[0].node[0].attribute[0].tensors[1]"},
      {model(graph_with_node(node(fb(11, graph_with_node(node(attr_t(ext))))))),
       "model.graph[0].node[0].attribute[0].graphs[0].node[0].attribute[0].t[0]"},
      {model(graph_with_node(node(fb(22, sparse)))), "model.graph[0].node[0].attribute[0].sparse_tensor[0].values[0]"},
      {model(graph_with_node(node(fb(23, sparse_idx)))),
       "model.graph[0].node[0].attribute[0].sparse_tensors[0].indices[0]"},
      {model(fb(15, sparse)), "model.graph[0].sparse_initializer[0].values[0]"},
      {fv(1, 8) + fb(25, function), "model.functions[0].node[0].attribute[0].t[0]"},
      {fv(1, 8) + fb(25, function_default), "model.functions[0].attribute_proto[0].t[0]"},
      {fv(1, 8) + fb(20, fb(1, fb(5, ext))), "model.training_info[0].initialization[0].initializer[0]"},
      {fv(1, 8) + fb(20, fb(2, fb(5, ext))), "model.training_info[0].algorithm[0].initializer[0]"},
  };
  for (const auto& [m, where] : cases) {
    auto refs = refs_of(m);
    ASSERT_EQ(refs.size(), 1u) << where;
    EXPECT_EQ(refs[0].where, where);
    EXPECT_EQ(refs[0].location, "secret");
    EXPECT_FALSE(wnn::nn::refuse_onnx_external_data(span(m))) << where;
  }
}

TEST(OnnxRefs, MalformedProtobufIsInvalidEncoding) {
  const Bytes good = model(fb(5, tensor("W", "x")));
  const Bytes cases[] = {
      good.substr(0, good.size() - 3),           // truncated inside a length-delimited field
      fb(7, "") + Bytes(11, '\xff'),             // a varint longer than 10 bytes
      Bytes("\x0e\x01", 2),                      // wire type 6
      Bytes("\x00\x01", 2),                      // field number 0
      Bytes("\x0c", 1),                          // an end group with no start
      Bytes("\x0b\x08\x01", 3),                  // a group never closed
      fb(7, fb(5, fv(1, 4) + Bytes("\x6a\x05", 2))),  // external_data's length beyond the tensor
  };
  for (const Bytes& m : cases) {
    auto r = wnn::nn::onnx_external_refs(span(m));
    ASSERT_FALSE(r) << testing::PrintToString(m);
    EXPECT_EQ(r.failure().code, kInvalidEncoding);
    EXPECT_NE(r.failure().why.find("not well-formed protobuf"), std::string::npos) << r.failure().why;
  }
  // Every prefix of a model: an answer, never a crash (a prefix can be valid protobuf).
  for (size_t n = 0; n < good.size(); ++n) {
    auto r = wnn::nn::onnx_external_refs(span(good.substr(0, n)));
    if (!r) EXPECT_EQ(r.failure().code, kInvalidEncoding);
  }
}

TEST(OnnxRefs, KnownFieldsWithAnotherWireTypeAreUnknownLikeProtobufHasThem) {
  // protobuf skips "graph" as a varint (an unknown field) and still reads the real graph: so must the walker.
  for (const Bytes& odd : {fv(7, 5), varint(7 << 3 | 5) + Bytes(4, '\0'), varint(7 << 3 | 3) + varint(7 << 3 | 4)}) {
    auto refs = refs_of(odd + model(fb(5, tensor("W", "/etc/shadow"))) + odd);
    ASSERT_EQ(refs.size(), 1u);
    EXPECT_EQ(refs[0].location, "/etc/shadow");
  }
}

TEST(OnnxRefs, UnknownGroupsAreSkippedLikeProtobufDoes) {
  // Field 30 as a group holding a varint and a nested group, then the external tensor.
  const Bytes group = varint(30 << 3 | 3) + fv(1, 7) + varint(31 << 3 | 3) + varint(31 << 3 | 4) + varint(30 << 3 | 4);
  auto refs = refs_of(model(group + fb(5, tensor("W", "x"))));
  EXPECT_EQ(refs.size(), 1u);
}

TEST(OnnxRefs, NestingIsBounded) {
  auto nested = [](int levels) {
    Bytes g = fb(5, tensor("W", "deep"));
    for (int i = 0; i < levels; ++i) g = graph_with_node(node(fb(1, "body") + fb(6, g) + fv(20, 5)));
    return model(g);
  };
  auto ok = wnn::nn::onnx_external_refs(span(nested(20)));  // 62 message levels
  ASSERT_TRUE(ok) << ok.failure().why;
  EXPECT_EQ(ok->size(), 1u);
  auto deep = wnn::nn::onnx_external_refs(span(nested(40)));  // 122 levels
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.failure().code, kInvalidEncoding);
  EXPECT_NE(deep.failure().why.find("deeper than 100 levels"), std::string::npos) << deep.failure().why;
}

class OnnxInline : public testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("wnn_onnx_refs_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "m" / "data");
    std::ofstream(root_ / "secret.bin", std::ios::binary) << "SECRET-SECRET-16";
    std::ofstream(root_ / "m" / "w.bin", std::ios::binary) << "0123456789abcdefXYZ";
    std::ofstream(root_ / "m" / "data" / "w.bin", std::ios::binary) << "fedcba9876543210";
    fs::create_symlink("w.bin", root_ / "m" / "in.bin");
    fs::create_symlink("../secret.bin", root_ / "m" / "out.bin");
    fs::create_symlink(root_ / "secret.bin", root_ / "m" / "abs.bin");
  }
  void TearDown() override { fs::remove_all(root_); }

  wnn::nn::Result<std::vector<uint8_t>> inline_model(const Bytes& m, bool& changed) {
    return wnn::nn::inline_onnx_external_data(span(m), (root_ / "m").string(), changed);
  }
  // The inlined W's raw_data (field 9 of the initializer), "" if none.
  static Bytes raw_data_of(const std::vector<uint8_t>& m) {
    const Bytes s(m.begin(), m.end());
    const Bytes tag = varint(9 << 3 | 2) + varint(16);
    size_t at = s.find(tag);
    return at == Bytes::npos ? Bytes() : s.substr(at + tag.size(), 16);
  }
  fs::path root_;
};

TEST_F(OnnxInline, InsideTheDirectoryIsInlined) {
  for (const auto& [loc, want] : std::vector<std::pair<Bytes, Bytes>>{
           {"w.bin", "0123456789abcdef"}, {"data/w.bin", "fedcba9876543210"}, {"in.bin", "0123456789abcdef"}}) {
    bool changed = false;
    auto r = inline_model(model(fb(5, tensor("W", loc))), changed);
    ASSERT_TRUE(r) << loc << ": " << r.failure().why;
    EXPECT_TRUE(changed);
    EXPECT_EQ(raw_data_of(*r), want) << loc;
    auto again = wnn::nn::onnx_external_refs(std::span<const uint8_t>(*r));
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->empty()) << loc;  // no reference left
  }
  // offset: the 16 bytes from 3 on.
  bool changed = false;
  Bytes t = fv(1, 4) + fv(2, 1) + fb(8, "W") + fb(13, entry("location", "w.bin")) + fb(13, entry("offset", "3")) +
            fb(13, entry("length", "16")) + fv(14, 1);
  auto r = inline_model(model(fb(5, t)), changed);
  ASSERT_TRUE(r) << r.failure().why;
  EXPECT_EQ(raw_data_of(*r), "3456789abcdefXYZ");
  // No external data: nothing to rewrite (the caller keeps its bytes).
  r = inline_model(model(fb(5, tensor("W", ""))), changed);
  ASSERT_TRUE(r);
  EXPECT_FALSE(changed);
  EXPECT_TRUE(r->empty());
}

TEST_F(OnnxInline, EscapesAreRefused) {
  const std::pair<Bytes, const char*> cases[] = {
      {"../secret.bin", "has a \"..\" component"},
      {"data/../../secret.bin", "has a \"..\" component"},
      {(root_ / "secret.bin").string(), "is an absolute path"},
      {"out.bin", "leads out of the model's directory"},
      {"abs.bin", "leads out of the model's directory"},
      {"nothere.bin", "cannot be opened"},
      {"data", "is not a regular file"},
  };
  for (const auto& [loc, why] : cases) {
    bool changed = false;
    auto r = inline_model(model(fb(5, tensor("W", loc))), changed);
    ASSERT_FALSE(r) << loc;
    EXPECT_EQ(r.failure().code, kInvalidArgument) << loc;
    EXPECT_NE(r.failure().why.find(why), std::string::npos) << loc << ": " << r.failure().why;
    EXPECT_EQ(r.failure().why.find("SECRET"), std::string::npos);
  }
  bool changed = false;
  Bytes t = fv(1, 4) + fv(2, 1) + fb(8, "W") + fb(13, entry("location", "w.bin")) + fb(13, entry("offset", "10")) +
            fb(13, entry("length", "16")) + fv(14, 1);
  auto r = inline_model(model(fb(5, t)), changed);
  ASSERT_FALSE(r);
  EXPECT_NE(r.failure().why.find("do not fit its 19 bytes"), std::string::npos) << r.failure().why;
  t = fv(1, 4) + fb(8, "W") + fb(13, entry("location", "w.bin")) + fb(13, entry("basepath", "/")) + fv(14, 1);
  r = inline_model(model(fb(5, t)), changed);
  ASSERT_FALSE(r);
  EXPECT_NE(r.failure().why.find("unknown external_data key basepath"), std::string::npos) << r.failure().why;
  t = fv(1, 4) + fb(8, "W") + fv(14, 1);
  r = inline_model(model(fb(5, t)), changed);
  ASSERT_FALSE(r);
  EXPECT_NE(r.failure().why.find("external data without a location"), std::string::npos) << r.failure().why;
}

}  // namespace
