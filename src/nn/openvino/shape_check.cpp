// Shape checks before the CPU plugin allocates (see shape_check.h).
#include "nn/openvino/shape_check.h"

#include <climits>
#include <exception>
#include <string>
#include <vector>

#include <openvino/core/graph_util.hpp>
#include <openvino/op/constant.hpp>
#include <openvino/op/parameter.hpp>
#include <openvino/op/tile.hpp>
#include <openvino/op/util/multi_subgraph_base.hpp>

#include "nn/openvino/ov_errors.h"

namespace wnn::nn {

namespace {

using u128 = unsigned __int128;
constexpr u128 kSaturated = u128(UINT64_MAX) + 1;  // "more than 2^64"

std::string node_name(const ov::Node& n) {
  return std::string(n.get_type_name()) + " \"" + n.get_friendly_name() + "\"";
}

std::string count_string(u128 v) { return v >= kSaturated ? "more than 2^64" : std::to_string(uint64_t(v)); }

// When the plugin runs the model, every dimension must be known or bounded.
enum class Mode { AtLoad, AtCompute };

// One node output: its element count in 128 bits (saturated), its bytes
// against the cap. At load, shapes the guest's inputs will decide are skipped.
Result<void> check_output(const ov::Node& node, size_t index, uint64_t cap, Mode mode) {
  const ov::PartialShape& ps = node.get_output_partial_shape(index);
  const std::string where = "node " + node_name(node) + " output " + std::to_string(index);
  if (ps.rank().is_dynamic()) {
    if (mode == Mode::AtLoad) return {};
    return Failure{kInvalidArgument,
                   where + " has an unknown rank even with the inputs given: wnn cannot bound it before compute"};
  }
  u128 elements = 1;
  for (const ov::Dimension& d : ps) {
    int64_t len = -1;
    if (d.is_static())
      len = d.get_length();
    else if (mode == Mode::AtCompute)
      len = d.get_max_length();  // data-dependent (NonZero, NMS): its upper bound
    if (len < 0) {
      if (mode == Mode::AtLoad) return {};
      return Failure{kInvalidArgument, where + " has shape " + ps.to_string() +
                                           ": a dimension with no upper bound even with the inputs given (it depends "
                                           "on floating-point input values), which wnn cannot check before compute"};
    }
    elements *= u128(len);
    if (elements > kSaturated) elements = kSaturated;
  }
  const u128 bits = node.get_output_element_type(index).bitwidth();
  const u128 bytes = elements >= kSaturated ? kSaturated : (elements * bits + 7) / 8;
  const bool overflow = elements > u128(INT64_MAX) || bytes > u128(INT64_MAX);
  if (overflow || (cap && bytes > cap))
    return Failure{
        kTooLarge,
        where + " would be " + node.get_output_element_type(index).get_type_name() + " " + ps.to_string() + " (" +
            count_string(elements) + " elements, " + count_string(bytes) + " bytes): " +
            (overflow ? std::string("its size overflows")
                      : "more than the limit of " + std::to_string(cap) + " bytes per tensor (--nn-max-tensor-bytes)")};
  return {};
}

// The values of a node's input when shape inference knows them: a
// constant's, or the lower and upper bounds it computed.
bool known_values(const ov::Node& node, size_t input, std::vector<int64_t>& lo, std::vector<int64_t>& hi) {
  const ov::Output<ov::Node> src = node.input_value(input);
  if (auto c = ov::as_type_ptr<ov::op::v0::Constant>(src.get_node_shared_ptr())) {
    if (!c->get_element_type().is_integral_number()) return false;
    lo = hi = c->cast_vector<int64_t>();
    return true;
  }
  const ov::descriptor::Tensor& t = src.get_tensor();
  auto values = [](const ov::Tensor& v, std::vector<int64_t>& out) {
    if (!v) return false;
    if (v.get_element_type() == ov::element::i64)
      out.assign(v.data<const int64_t>(), v.data<const int64_t>() + v.get_size());
    else if (v.get_element_type() == ov::element::i32)
      out.assign(v.data<const int32_t>(), v.data<const int32_t>() + v.get_size());
    else
      return false;
    return true;
  };
  return values(t.get_lower_value(), lo) && values(t.get_upper_value(), hi);
}

// Counts a shape takes from a tensor's values (Tile's repeats): the CPU
// plugin trusts them to be non-negative and computes them in i32.
Result<void> check_counts(const ov::Node& node) {
  if (!ov::as_type<const ov::op::v0::Tile>(&node)) return {};
  std::vector<int64_t> lo, hi;
  if (!known_values(node, 1, lo, hi)) return {};  // unknown: the output shape is unbounded, refused at compute
  for (size_t i = 0; i < lo.size() && i < hi.size(); ++i) {
    if (lo[i] < 0)
      return Failure{kInvalidArgument, "node " + node_name(node) + ": repeat count " + std::to_string(i) + " is " +
                                           std::to_string(lo[i]) + "; repeats must not be negative"};
    if (hi[i] > INT32_MAX)
      return Failure{kTooLarge, "node " + node_name(node) + ": repeat count " + std::to_string(i) + " is " +
                                    std::to_string(hi[i]) +
                                    ", beyond 2^31 - 1 (OpenVINO's CPU plugin computes i64 as i32 and would wrap it)"};
  }
  return {};
}

Result<void> check_node(const ov::Node& node, uint64_t cap, Mode mode) {
  if (auto r = check_counts(node); !r) return r;
  for (size_t i = 0; i < node.get_output_size(); ++i)
    if (auto r = check_output(node, i, cap, mode); !r) return r;
  // Loop / If / TensorIterator bodies: what their shapes say (their inputs are not constants).
  if (auto sub = ov::as_type<const ov::op::util::MultiSubGraphOp>(&node)) {
    for (size_t b = 0; b < sub->get_internal_subgraphs_size(); ++b)
      if (auto body = sub->get_function(int(b)))
        for (const auto& inner : body->get_ordered_ops())
          if (auto r = check_node(*inner, cap, Mode::AtLoad); !r) return r;
  }
  return {};
}

}  // namespace

Result<void> check_known_shapes(const ov::Model& model, uint64_t max_tensor_bytes) {
  try {
    for (const auto& node : model.get_ordered_ops())
      if (auto r = check_node(*node, max_tensor_bytes, Mode::AtLoad); !r) return r;
  } catch (const std::exception& e) {
    return Failure{kRuntimeError, "cannot check the model's shapes: " + first_line(e.what())};
  }
  return {};
}

Result<void> ShapeChecker::check(std::span<const ov::Tensor> inputs, uint64_t max_tensor_bytes) {
  std::string at = "the inputs";
  try {
    if (!scratch_) {
      scratch_ = model_->clone();  // constants share their data with the original
      for (const auto& p : scratch_->get_parameters()) stand_ins_.push_back(p);
    }
    if (stand_ins_.size() != inputs.size())
      return Failure{kRuntimeError, "the model has " + std::to_string(stand_ins_.size()) + " parameters, " +
                                        std::to_string(inputs.size()) + " inputs were set"};
    for (size_t i = 0; i < inputs.size(); ++i) {
      auto param = ov::as_type_ptr<ov::op::v0::Parameter>(stand_ins_[i]);
      if (inputs[i].get_element_type().is_integral_number()) {
        // Integer inputs decide shapes (repeats, target shapes, ranges): their values count.
        auto c = std::make_shared<ov::op::v0::Constant>(inputs[i]);
        c->set_friendly_name(stand_ins_[i]->get_friendly_name());
        ov::replace_node(stand_ins_[i], c);
        if (param) scratch_->remove_parameter(param);
        stand_ins_[i] = c;
      } else if (param) {
        param->set_partial_shape(inputs[i].get_shape());
      }
    }
    // Node by node, in order, so that no node's shape inference evaluates the
    // values of an earlier one before that one's shape was checked.
    for (const auto& node : scratch_->get_ordered_ops()) {
      at = "node " + node_name(*node);
      if (auto r = check_counts(*node); !r) return r;  // constant counts, before the node's own inference sees them
      node->revalidate_and_infer_types();
      if (auto r = check_node(*node, max_tensor_bytes, Mode::AtCompute); !r) return r;
    }
  } catch (const std::exception& e) {
    return Failure{kInvalidArgument, "shape inference with these inputs fails at " + at + ": " + first_line(e.what())};
  }
  return {};
}

}  // namespace wnn::nn
