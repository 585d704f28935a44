// TFLite_Detection_PostProcess (the custom op that ends TensorFlow's SSD
// detectors: box decoding + non-maximum suppression) as OpenVINO ops, for
// the TFLite frontend, which has no translator for it (OpenVINO 2026.4).
// Semantics of TFLite's kernel (tensorflow/lite/kernels/detection_postprocess.cc),
// "fast" NMS only (use_regular_nms = false, max_classes_per_detection = 1),
// which is what TensorFlow's SSD exports use; other settings fail the
// conversion with a message.
//
// Inputs: box encodings [1,N,4] (ty, tx, th, tw), class scores [1,N,K]
// (K = classes + background first), anchors [N,4] (y, x, h, w).
// Outputs: boxes [1,D,4] (ymin, xmin, ymax, xmax), classes [1,D] (f32, without
// the background), scores [1,D], count [1] (f32); D = max_detections, the
// rows past count are zero.
#include "nn/openvino/extensions.h"

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include <openvino/frontend/node_context.hpp>
#include <openvino/opsets/opset13.hpp>

namespace wnn::nn {

namespace {

using namespace ov::opset13;
using ov::Output;
using ov::element::f32;
using ov::element::i32;
using ov::element::i64;

// A numeric attribute from the op's flexbuffer options (int, float or bool).
double attr(const ov::frontend::NodeContext& n, const char* name) {
  const ov::Any a = n.get_attribute_as_any(name);
  if (a.is<float>()) return a.as<float>();
  if (a.is<double>()) return a.as<double>();
  if (a.is<int64_t>()) return double(a.as<int64_t>());
  if (a.is<int32_t>()) return a.as<int32_t>();
  if (a.is<bool>()) return a.as<bool>() ? 1 : 0;
  throw std::runtime_error(std::string("TFLite_Detection_PostProcess: attribute ") + name + " is missing");
}

Output<ov::Node> scalar(float v) { return Constant::create(f32, ov::Shape{}, {v}); }
Output<ov::Node> i64s(std::vector<int64_t> v) { return Constant::create(i64, ov::Shape{v.size()}, v); }

Output<ov::Node> as_f32(const Output<ov::Node>& x) {
  return x.get_element_type() == f32 ? x : std::make_shared<Convert>(x, f32)->output(0);
}

ov::OutputVector translate(const ov::frontend::NodeContext& n) {
  if (n.get_input_size() != 3) throw std::runtime_error("TFLite_Detection_PostProcess: expected 3 inputs");
  if (attr(n, "use_regular_nms") != 0 || attr(n, "max_classes_per_detection") != 1)
    throw std::runtime_error(
        "TFLite_Detection_PostProcess: only use_regular_nms=false with "
        "max_classes_per_detection=1 is implemented in wnn");
  const float ys = float(attr(n, "y_scale")), xs = float(attr(n, "x_scale"));
  const float hs = float(attr(n, "h_scale")), ws = float(attr(n, "w_scale"));
  const int64_t max_det = int64_t(attr(n, "max_detections")), classes = int64_t(attr(n, "num_classes"));
  const float iou = float(attr(n, "nms_iou_threshold")), min_score = float(attr(n, "nms_score_threshold"));
  const Output<ov::Node> enc = as_f32(n.get_input(0)), scores = as_f32(n.get_input(1)),
                         anchors = as_f32(n.get_input(2));

  // Decode centre-size encodings against the anchors.
  auto e = std::make_shared<Split>(enc, Constant::create(i64, ov::Shape{}, {2}), 4);      // [1,N,1] x4
  auto a = std::make_shared<Split>(anchors, Constant::create(i64, ov::Shape{}, {1}), 4);  // [N,1] x4
  auto centre = [&](int t, float scale, int pos, int size) {
    return std::make_shared<Add>(
        std::make_shared<Multiply>(std::make_shared<Divide>(e->output(t), scalar(scale)), a->output(size)),
        a->output(pos));
  };
  auto half = [&](int t, float scale, int size) {
    auto ex = std::make_shared<Exp>(std::make_shared<Divide>(e->output(t), scalar(scale)));
    return std::make_shared<Multiply>(std::make_shared<Multiply>(ex, a->output(size)), scalar(0.5f));
  };
  auto yc = centre(0, ys, 0, 2), xc = centre(1, xs, 1, 3);
  auto hh = half(2, hs, 2), hw = half(3, ws, 3);
  auto corners =
      std::make_shared<Concat>(ov::OutputVector{std::make_shared<Subtract>(yc, hh), std::make_shared<Subtract>(xc, hw),
                                                std::make_shared<Add>(yc, hh), std::make_shared<Add>(xc, hw)},
                               2);  // [1,N,4]

  // Best class per anchor, background (the leading K - classes columns) excluded.
  const auto& k = scores.get_partial_shape();
  const int64_t offset = k.rank().is_static() && k[2].is_static() ? k[2].get_length() - classes : 1;
  auto cls = std::make_shared<Slice>(scores, i64s({offset}), i64s({std::numeric_limits<int64_t>::max()}), i64s({1}),
                                     i64s({2}));
  auto top = std::make_shared<TopK>(cls, Constant::create(i64, ov::Shape{}, {1}), 2, TopK::Mode::MAX,
                                    TopK::SortType::NONE, i32);
  auto best = std::make_shared<Squeeze>(top->output(0), i64s({0, 2}));      // [N]
  auto best_cls = std::make_shared<Squeeze>(top->output(1), i64s({0, 2}));  // [N]

  // Class-agnostic NMS over the best scores.
  auto nms_scores = std::make_shared<Reshape>(best, i64s({1, 1, -1}), false);
  auto nms = std::make_shared<NonMaxSuppression>(corners, nms_scores, Constant::create(i64, ov::Shape{}, {max_det}),
                                                 scalar(iou), scalar(min_score),
                                                 NonMaxSuppression::BoxEncodingType::CORNER, true, i32);
  auto idx = std::make_shared<Gather>(nms->output(0), Constant::create(i64, ov::Shape{}, {2}),
                                      Constant::create(i64, ov::Shape{}, {1}));  // [M]
  auto axis0 = Constant::create(i64, ov::Shape{}, {0});
  auto sel_boxes = std::make_shared<Gather>(std::make_shared<Squeeze>(corners, i64s({0})), idx, axis0);  // [M,4]
  auto sel_scores = std::make_shared<Gather>(best, idx, axis0);
  auto sel_cls = std::make_shared<Convert>(std::make_shared<Gather>(best_cls, idx, axis0), f32);

  // Zero rows up to max_detections, as TFLite's fixed-size outputs.
  auto count = std::make_shared<ShapeOf>(idx, i64);  // [1] = M
  auto pad = std::make_shared<Subtract>(i64s({max_det}), count);
  auto zero = scalar(0);
  auto pad1 = [&](const Output<ov::Node>& x) {
    return std::make_shared<Unsqueeze>(std::make_shared<Pad>(x, i64s({0}), pad, zero, ov::op::PadMode::CONSTANT),
                                       i64s({0}));
  };
  auto boxes_out = std::make_shared<Unsqueeze>(
      std::make_shared<Pad>(sel_boxes, i64s({0, 0}), std::make_shared<Concat>(ov::OutputVector{pad, i64s({0})}, 0),
                            zero, ov::op::PadMode::CONSTANT),
      i64s({0}));
  return {boxes_out, pad1(sel_cls), pad1(sel_scores), std::make_shared<Convert>(count, f32)};
}

}  // namespace

std::shared_ptr<ov::frontend::ConversionExtension> tflite_detection_postprocess() {
  return std::make_shared<ov::frontend::ConversionExtension>("TFLite_Detection_PostProcess", translate);
}

}  // namespace wnn::nn
