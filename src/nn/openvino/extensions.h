// Operations wnn adds to OpenVINO's frontends (conversion extensions).
#pragma once
#include <memory>

#include <openvino/frontend/extension/conversion.hpp>

namespace wnn::nn {

// TFLite_Detection_PostProcess (SSD box decoding + NMS) for the tflite frontend.
std::shared_ptr<ov::frontend::ConversionExtension> tflite_detection_postprocess();

}  // namespace wnn::nn
