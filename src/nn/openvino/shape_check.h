// The shapes a guest can make a model compute, checked before OpenVINO's
// CPU plugin allocates them. The plugin computes i64 tensors as i32 and
// sizes buffers without overflow checks: Tile(x, r) with r = [2^32, 2^32]
// wraps to an empty output, r = [-1, -1] or [2^31, 2] overflows a heap
// buffer. So before `compute` every node output shape of a model with
// dynamic shapes is inferred with the guest's actual inputs (integer
// inputs as constants, the others with their shapes) and refused when an
// element count overflows or a tensor would exceed the cap; static models
// are checked once, at load.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <openvino/openvino.hpp>

#include "nn/backend.h"

namespace wnn::nn {

// Every node output of `model` whose shape is known (static or bounded)
// fits `max_tensor_bytes` (0: no cap; element counts are checked anyway).
Result<void> check_known_shapes(const ov::Model& model, uint64_t max_tensor_bytes);

// The shapes a dynamic model would compute on given inputs, for one
// execution context: it keeps one copy of the model whose parameters it
// replaces at each check (integer inputs by constants holding their values,
// the others by their shapes) and infers node by node.
class ShapeChecker {
 public:
  explicit ShapeChecker(std::shared_ptr<const ov::Model> model) : model_(std::move(model)) {}
  // `inputs`: one per parameter, in order. too_large when a tensor exceeds
  // the cap or its size overflows; invalid_argument when shape inference
  // refuses the inputs, a Tile's repeats are negative or beyond i32, or a
  // shape stays unbounded.
  Result<void> check(std::span<const ov::Tensor> inputs, uint64_t max_tensor_bytes);

 private:
  std::shared_ptr<const ov::Model> model_;
  std::shared_ptr<ov::Model> scratch_;               // made at the first check
  std::vector<std::shared_ptr<ov::Node>> stand_ins_;  // what stands for each parameter in scratch_
};

}  // namespace wnn::nn
