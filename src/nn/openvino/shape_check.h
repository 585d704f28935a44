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

#include <openvino/openvino.hpp>

#include "nn/backend.h"

namespace wnn::nn {

// Every node output of `model` whose shape is known (static or bounded)
// fits `max_tensor_bytes` (0: no cap; element counts are checked anyway).
Result<void> check_known_shapes(const ov::Model& model, uint64_t max_tensor_bytes);

// The shapes `model` (dynamic) would compute on `inputs` (one per
// parameter, in order): too_large when a tensor exceeds the cap or its size
// overflows, invalid_argument when shape inference refuses the inputs, a
// Tile's repeats are negative or beyond i32, or a shape stays unbounded.
Result<void> check_shapes_for_inputs(const ov::Model& model, std::span<const ov::Tensor> inputs,
                                     uint64_t max_tensor_bytes);

}  // namespace wnn::nn
