// wasi-nn on OpenVINO's C++ API, built as the shared module
// libwnn_nn_openvino.so (linked to OpenVINO; wnn itself is not). One ov::Core per process (created on the
// first load); every `load` reads and compiles the model once, every
// execution context is one ov::InferRequest. OpenVINO reports errors with
// exceptions: every entry point catches them here and returns a Failure, so
// none reaches the engine.
#include "nn/backend.h"
#include "nn/openvino/compile_config.h"
#include "nn/openvino/extensions.h"
#include "nn/openvino/ov_errors.h"
#include "nn/openvino/shape_check.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>

#include <openvino/frontend/manager.hpp>
#include <openvino/openvino.hpp>

namespace wnn::nn {

std::string first_line(const char* what) {
  std::string in = what ? what : "unknown error", out;
  size_t pos = 0;
  while (pos <= in.size()) {
    size_t nl = in.find('\n', pos);
    std::string line = in.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? in.size() + 1 : nl + 1;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (line.empty() || line.rfind("Exception from ", 0) == 0) continue;
    // "Check 'low >= 0' failed at src/core/src/x.cpp:296: WHY" -> "WHY"
    if (size_t at = line.find(" failed at src/"); line.rfind("Check '", 0) == 0 && at != std::string::npos) {
      const size_t colon = line.find(": ", at);
      if (colon == std::string::npos) continue;  // the reason is on the next line
      line = line.substr(colon + 2);
    }
    out += (out.empty() ? "" : " ") + line;
  }
  if (out.empty()) out = "unknown OpenVINO error";
  if (out.size() > 400) out = out.substr(0, 400) + "...";
  return out;
}

namespace {

// The operation(s) a frontend could not convert, or "" when the failure is
// another one. OpenVINO 2026.4 says "No translator found for OP node." (tf,
// tflite: the first one met) or "No conversion rule found for operations:
// OP[, OP...] To facilitate ..." (its unconverted-ops report: onnx, tf).
std::string unsupported_op(const std::string& why) {
  static constexpr std::string_view one = "No translator found for ", all = "No conversion rule found for operations: ";
  if (size_t at = why.find(one); at != std::string::npos) {
    at += one.size();
    size_t end = why.find_first_of(" .,\n", at);
    return why.substr(at, end == std::string::npos ? std::string::npos : end - at);
  }
  if (size_t at = why.find(all); at != std::string::npos) {
    at += all.size();
    size_t end = why.find(" To facilitate", at);
    std::string ops = why.substr(at, end == std::string::npos ? std::string::npos : end - at);
    while (!ops.empty() && (ops.back() == ' ' || ops.back() == '.')) ops.pop_back();
    return ops;
  }
  return {};
}

ov::element::Type ov_type(TensorType t) {
  switch (t) {
    case TensorType::F16: return ov::element::f16;
    case TensorType::F32: return ov::element::f32;
    case TensorType::F64: return ov::element::f64;
    case TensorType::U8: return ov::element::u8;
    case TensorType::I32: return ov::element::i32;
    case TensorType::I64: return ov::element::i64;
  }
  return ov::element::dynamic;
}

std::string port_string(const ov::Output<const ov::Node>& p) {
  return p.get_element_type().get_type_name() + " " + p.get_partial_shape().to_string();
}

class OvExecution final : public Execution {
 public:
  // `dynamic`: the model as read, when some shape depends on the inputs (null for static models).
  OvExecution(ov::InferRequest req, const ov::CompiledModel& model, std::shared_ptr<const ov::Model> dynamic,
              uint64_t max_tensor_bytes)
      : req_(std::move(req)),
        inputs_(model.inputs()),
        outputs_(model.outputs()),
        set_(inputs_.size(), false),
        checker_(dynamic ? std::make_unique<ShapeChecker>(std::move(dynamic)) : nullptr),
        max_tensor_bytes_(max_tensor_bytes) {}

  Result<void> set_input(uint32_t index, const TensorView& t) override { return put_input(index, t, false); }
  Result<void> bind_input(uint32_t index, const TensorView& t) override { return put_input(index, t, true); }

  Result<void> put_input(uint32_t index, const TensorView& t, bool bind) {
    if (index >= inputs_.size())
      return Failure{kInvalidArgument, "input index " + std::to_string(index) + " out of range: the model has " +
                                           std::to_string(inputs_.size()) + " input(s)"};
    // Fast path: the same type and dims as the last set_input of this index
    // (every call after the first, for most guests): checked then, just copy.
    Input& cur = current_[index];
    if (!bind && !bound_[index] && cur.tensor && cur.type == t.type && cur.dims == t.dims &&
        cur.tensor.get_byte_size() == t.data.size()) {
      if (!t.data.empty()) std::memcpy(cur.tensor.data(), t.data.data(), t.data.size());
      set_[index] = true;
      computed_ = false;
      return {};
    }
    const auto& port = inputs_[index];
    const ov::element::Type et = ov_type(t.type);
    ov::Shape shape(t.dims.begin(), t.dims.end());
    if (port.get_element_type() != et || !port.get_partial_shape().compatible(ov::PartialShape(shape)))
      return Failure{kInvalidArgument, "input " + std::to_string(index) + " is " + port_string(port) + ", got " +
                                           tensor_type_name(t.type) + " " + dims_string(t.dims)};
    if (bind) {
      try {
        // Zero-copy: the request reads the caller's bytes (the worker's shared arena) in place.
        ov::Tensor tensor(et, shape, const_cast<uint8_t*>(t.data.data()));
        req_.set_input_tensor(index, tensor);
        cur = Input{tensor, t.type, t.dims};  // (set_input's fast path does not copy into it: bound_)
      } catch (const std::exception& e) {
        return Failure{kRuntimeError, "OpenVINO rejected input " + std::to_string(index) + ": " + first_line(e.what())};
      }
      set_[index] = bound_[index] = true;
      computed_ = false;
      return {};
    }
    try {
      // Copy into the request's own input tensor when it already has this
      // shape (every call after the first, for static models): no allocation.
      ov::Tensor tensor = req_.get_input_tensor(index);
      const bool reuse = !bound_[index] && tensor && tensor.get_element_type() == et && tensor.get_shape() == shape;
      if (!reuse) tensor = ov::Tensor(et, shape);
      if (tensor.get_byte_size() != t.data.size())
        return Failure{kInvalidArgument, "input " + std::to_string(index) + ": tensor needs " +
                                             std::to_string(tensor.get_byte_size()) + " bytes, got " +
                                             std::to_string(t.data.size())};
      if (!t.data.empty()) std::memcpy(tensor.data(), t.data.data(), t.data.size());
      if (!reuse) req_.set_input_tensor(index, tensor);
      cur = Input{tensor, t.type, t.dims};
      bound_[index] = false;
    } catch (const std::exception& e) {
      return Failure{kRuntimeError, "OpenVINO rejected input " + std::to_string(index) + ": " + first_line(e.what())};
    }
    set_[index] = true;
    computed_ = false;
    return {};
  }

  Result<void> compute() override {
    std::string unset;
    for (size_t i = 0; i < set_.size(); ++i)
      if (!set_[i]) unset += (unset.empty() ? "" : ", ") + std::to_string(i);
    if (!unset.empty())
      return Failure{kInvalidArgument, "compute before set_input: input(s) " + unset + " not set (the model has " +
                                           std::to_string(set_.size()) + " input(s))"};
    if (checker_) {
      if (auto r = check_shapes(); !r) return r;
    }
    try {
      req_.infer();
    } catch (const std::exception& e) {
      return Failure{kRuntimeError, "OpenVINO inference failed: " + first_line(e.what())};
    }
    computed_ = true;
    return {};
  }

  Result<void> get_output(uint32_t index, std::span<uint8_t> out, uint64_t& needed) override {
    if (index >= outputs_.size())
      return Failure{kInvalidArgument, "output index " + std::to_string(index) + " out of range: the model has " +
                                           std::to_string(outputs_.size()) + " output(s)"};
    if (!computed_) return Failure{kInvalidArgument, kNotComputed};
    try {
      ov::Tensor t = req_.get_output_tensor(index);
      needed = t.get_byte_size();
      if (out.size() < needed)
        return Failure{kTooLarge, "output " + std::to_string(index) + " (" + t.get_element_type().get_type_name() +
                                      " " + t.get_shape().to_string() + ") needs " + std::to_string(needed) +
                                      " bytes, the buffer has " + std::to_string(out.size()) +
                                      " (needed size written to bytes_written, nothing copied)"};
      if (needed) std::memcpy(out.data(), t.data(), needed);
    } catch (const std::exception& e) {
      return Failure{kRuntimeError,
                     "OpenVINO cannot give output " + std::to_string(index) + ": " + first_line(e.what())};
    }
    return {};
  }

  bool bind_output(uint32_t index, std::span<uint8_t> out) override {
    if (index >= outputs_.size() || !outputs_[index].get_partial_shape().is_static()) return false;
    try {
      const auto& port = outputs_[index];
      ov::Tensor tensor(port.get_element_type(), port.get_shape(), out.data());
      // Not this size (or an empty span): back to a tensor of the request's own.
      const bool fits = !out.empty() && tensor.get_byte_size() == out.size();
      req_.set_output_tensor(index, fits ? tensor : ov::Tensor(port.get_element_type(), port.get_shape()));
      computed_ = false;
      return fits;
    } catch (const std::exception&) { return false; }
  }

 private:
  // The shapes these inputs make the model compute (see shape_check.h),
  // unless the last check had the same input shapes and integer values.
  Result<void> check_shapes() {
    std::string key;
    std::vector<ov::Tensor> tensors;
    for (const Input& in : current_) {
      key += char(in.type);
      key += char(in.dims.size());
      key.append(reinterpret_cast<const char*>(in.dims.data()), in.dims.size() * sizeof(uint32_t));
      if (in.tensor.get_element_type().is_integral_number())
        key.append(static_cast<const char*>(in.tensor.data()), in.tensor.get_byte_size());
      tensors.push_back(in.tensor);
    }
    if (checked_ && key == checked_key_) return {};
    checked_ = false;
    if (auto r = checker_->check(tensors, max_tensor_bytes_); !r) return r;
    checked_key_ = std::move(key);
    checked_ = true;
    return {};
  }

  struct Input {
    ov::Tensor tensor;  // the request's input tensor, with these type and dims
    TensorType type = TensorType::F32;
    std::vector<uint32_t> dims;
  };
  ov::InferRequest req_;
  std::vector<ov::Output<const ov::Node>> inputs_, outputs_;
  std::vector<Input> current_ = std::vector<Input>(inputs_.size());
  std::vector<bool> set_;
  std::vector<bool> bound_ = std::vector<bool>(inputs_.size(), false);  // bind_input's caller-owned tensor
  bool computed_ = false;
  std::unique_ptr<ShapeChecker> checker_;  // for models with dynamic shapes
  uint64_t max_tensor_bytes_ = 0;
  std::string checked_key_;  // the inputs of the last successful shape check
  bool checked_ = false;
};

class OvGraph final : public Graph {
 public:
  OvGraph(ov::CompiledModel m, ov::Tensor weights, std::shared_ptr<const ov::Model> dynamic, uint64_t max_tensor_bytes)
      : model_(std::move(m)),
        weights_(std::move(weights)),
        dynamic_(std::move(dynamic)),
        max_tensor_bytes_(max_tensor_bytes) {}
  Result<std::unique_ptr<Execution>> create_execution() override {
    try {
      return std::unique_ptr<Execution>(
          new OvExecution(model_.create_infer_request(), model_, dynamic_, max_tensor_bytes_));
    } catch (const std::exception& e) {
      return Failure{kRuntimeError, "OpenVINO cannot create an inference request: " + first_line(e.what())};
    }
  }

 private:
  ov::CompiledModel model_;
  ov::Tensor weights_;  // host copy of the IR weights: the model's constants may point into it
  std::shared_ptr<const ov::Model> dynamic_;  // the model as read, kept for shape checks when it is dynamic
  uint64_t max_tensor_bytes_;
};

// Which OpenVINO frontend reads a single-builder model.
const char* frontend_of(Encoding e) {
  switch (e) {
    case Encoding::Onnx: return "onnx";
    case Encoding::TensorFlow: return "tf";
    case Encoding::TensorFlowLite: return "tflite";
    default: return nullptr;
  }
}

// Guess the encoding of `autodetect` models from their bytes.
Encoding sniff(std::span<const std::span<const uint8_t>> parts) {
  if (parts.size() == 2) return Encoding::OpenVino;
  if (parts.size() == 1) {
    if (looks_like_tflite(parts[0])) return Encoding::TensorFlowLite;
    if (looks_like_ir_xml(parts[0])) return Encoding::OpenVino;  // IR xml without weights
  }
  return Encoding::Autodetect;  // let OpenVINO's frontend manager decide
}

class OpenVinoBackend final : public Backend {
 public:
  const char* name() const override { return "openvino"; }
  bool handles(Encoding e) const override { return e != Encoding::PyTorch; }

  Result<std::shared_ptr<Graph>> load(std::span<const std::span<const uint8_t>> parts, Encoding encoding, Target target,
                                      const LoadOptions& options) override {
    const Encoding requested = encoding;
    if (encoding == Encoding::Autodetect) encoding = sniff(parts);
    const size_t want = encoding == Encoding::OpenVino ? 2 : 1;
    if (encoding == Encoding::OpenVino && requested == Encoding::Autodetect && parts.size() == 1) {
      // An IR without weights (a model with no constants).
    } else if (parts.size() != want) {
      return Failure{kInvalidArgument, std::string("encoding ") + encoding_name(requested) + " needs " +
                                           std::to_string(want) + " graph builder(s)" +
                                           (want == 2 ? " (IR xml, weights)" : "") + ", got " +
                                           std::to_string(parts.size())};
    }
    // The graph's config first: a bad key fails before any model byte is read.
    auto config = compile_config(options.config, target);
    if (!config) return config.failure();
    try {
      std::lock_guard lock(mu_);
      if (!core_) core_ = std::make_unique<ov::Core>();
      if (!fem_) fem_ = std::make_unique<ov::frontend::FrontEndManager>();
      const std::string& device = config->device;
      // Listing devices loads every device plugin (GPU, NPU: ~10 ms): only
      // for devices other than the CPU, whose plugin compile_model loads anyway.
      if (device != "CPU") {
        std::string have;
        bool present = false;
        for (const std::string& d : core_->get_available_devices()) {
          if (d == device || d.rfind(device + ".", 0) == 0) present = true;
          have += (have.empty() ? "" : ", ") + d;
        }
        if (!present)
          return Failure{kUnsupportedOperation,
                         (config->from_config ? std::string("config key \"device\"")
                                              : std::string("execution target ") + target_name(target)) +
                             " needs the OpenVINO " + device + " device, which is absent here " +
                             "(available: " + (have.empty() ? "none" : have) + ")"};
      }
      std::shared_ptr<ov::Model> model;
      ov::Tensor weights;
      try {
        if (encoding == Encoding::OpenVino) {
          std::string xml(reinterpret_cast<const char*>(parts[0].data()), parts[0].size());
          // Copy the weights: the model's constants share this buffer, and the
          // guest may reuse its memory as soon as `load` returns.
          const size_t n = parts.size() > 1 ? parts[1].size() : 0;
          weights = ov::Tensor(ov::element::u8, ov::Shape{n});
          if (n) std::memcpy(weights.data(), parts[1].data(), n);
          model = core_->read_model(xml, weights);
        } else {
          model = read_with_frontend(parts[0], encoding);
        }
      } catch (const std::exception& e) {
        const std::string why = first_line(e.what());
        // The bytes are a model, but OpenVINO lacks one of its operations: not an encoding problem.
        if (std::string op = unsupported_op(why); !op.empty())
          return Failure{kUnsupportedOperation, std::string("OpenVINO cannot run the ") + encoding_name(encoding) +
                                                    " model: it has no implementation of operation " + op + " (" + why +
                                                    ")"};
        return Failure{kInvalidEncoding, std::string("OpenVINO cannot read the ") + encoding_name(encoding) +
                                             " model (" + std::to_string(parts[0].size()) + " bytes): " + why};
      }
      if (!model)
        return Failure{kInvalidEncoding,
                       std::string("OpenVINO read no model from the ") + encoding_name(encoding) + " bytes"};
      // Shapes known now are checked once; the others at each compute, with the inputs.
      if (auto r = check_known_shapes(*model, options.max_tensor_bytes); !r)
        return Failure{r.failure().code, "the model cannot run: " + r.failure().why};
      std::shared_ptr<const ov::Model> dynamic = model->is_dynamic() ? model : nullptr;
      ov::CompiledModel compiled;
      try {
        // With a cache dir, OpenVINO hashes the model (and these properties)
        // and reads the compiled blob when it has one.
        ov::AnyMap properties = config->properties;
        if (!options.cache_dir.empty()) properties.emplace(ov::cache_dir(options.cache_dir));
        compiled = core_->compile_model(model, device, properties);
      } catch (const std::exception& e) {
        return Failure{kRuntimeError, "OpenVINO cannot compile the model for " + device + ": " + first_line(e.what())};
      }
      return std::shared_ptr<Graph>(
          new OvGraph(std::move(compiled), std::move(weights), std::move(dynamic), options.max_tensor_bytes));
    } catch (const std::exception& e) {
      return Failure{kRuntimeError, std::string("OpenVINO failed: ") + first_line(e.what())};
    }
  }

 private:
  // ONNX, TensorFlow (frozen GraphDef), TFLite with the matching frontend
  // (or the one that recognises the bytes, for autodetect): from memory when
  // the frontend reads streams, else from a private temporary file (some
  // frontends only take paths), removed right after conversion.
  std::shared_ptr<ov::Model> read_with_frontend(std::span<const uint8_t> bytes, Encoding encoding) {
    std::string buf(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (encoding != Encoding::Autodetect) {
      if (auto m = try_frontend(buf, encoding, false)) return m;
      throw std::runtime_error(std::string("the ") + frontend_of(encoding) +
                               " frontend does not recognise these bytes");
    }
    // OpenVINO's own guess (load_by_model) takes any protobuf for Paddle: ask each frontend in turn.
    for (Encoding e : {Encoding::Onnx, Encoding::TensorFlow, Encoding::TensorFlowLite})
      if (auto m = try_frontend(buf, e, true)) return m;
    throw std::runtime_error("neither the onnx, tf nor tflite frontend recognises these bytes");
  }

  // The model, or null when the frontend does not recognise the bytes
  // (probing, for autodetect: also when it fails to convert them).
  std::shared_ptr<ov::Model> try_frontend(const std::string& buf, Encoding encoding, bool probing) {
    const char* fw = frontend_of(encoding);
    ov::frontend::FrontEnd::Ptr fe = fem_->load_by_framework(fw);
    if (!fe) throw std::runtime_error(std::string("no OpenVINO frontend \"") + fw + "\"");
    if (encoding == Encoding::TensorFlowLite) fe->add_extension(tflite_detection_postprocess());
    std::istringstream stream(buf, std::ios::in | std::ios::binary);
    std::istream* is = &stream;
    if (fe->supported(is)) {
      stream.clear();
      stream.seekg(0);
      return convert(fe, fe->load(is));
    }
    if (encoding == Encoding::Onnx) return nullptr;  // the ONNX frontend reads streams: not ONNX
    if (encoding == Encoding::TensorFlowLite &&
        !looks_like_tflite({reinterpret_cast<const uint8_t*>(buf.data()), buf.size()}))
      return nullptr;
    TempFile tmp(buf, encoding == Encoding::TensorFlow ? ".pb" : ".tflite");
    if (tmp.path.empty())
      throw std::runtime_error("cannot write a temporary file for the " + std::string(fw) + " frontend");
    if (!fe->supported(tmp.path)) return nullptr;
    try {
      return convert(fe, fe->load(tmp.path));
    } catch (const std::exception&) {
      if (probing) return nullptr;  // the tf frontend takes any file ending in .pb
      throw;
    }
  }

  static std::shared_ptr<ov::Model> convert(const ov::frontend::FrontEnd::Ptr& fe,
                                            const ov::frontend::InputModel::Ptr& im) {
    if (!im) throw std::runtime_error("the frontend loaded nothing");
    return fe->convert(im);
  }

  // The model bytes as DIR/model<suffix> in a fresh private directory
  // (mkdtemp, mode 0700) that holds nothing else: the tf frontend resolves
  // nothing next to a frozen .pb (variables/ and checkpoints only for
  // SavedModel directories, .meta files or an explicit checkpoint path), and
  // no neighbouring file can be picked up anyway. Removed on destruction.
  struct TempFile {
    std::string dir, path;
    TempFile(const std::string& bytes, const char* suffix) {
      const char* tmp = std::getenv("TMPDIR");
      std::string d = std::string(tmp && *tmp ? tmp : "/tmp") + "/wnn-nn-XXXXXX";
      if (!::mkdtemp(d.data())) return;
      dir = d;
      const std::string p = d + "/model" + suffix;
      int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
      if (fd < 0) return;
      size_t off = 0;
      while (off < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + off, bytes.size() - off);
        if (n <= 0) break;
        off += size_t(n);
      }
      ::close(fd);
      if (off == bytes.size())
        path = p;
      else
        ::unlink(p.c_str());
    }
    ~TempFile() {
      if (!path.empty()) ::unlink(path.c_str());
      if (!dir.empty()) ::rmdir(dir.c_str());
    }
  };

  std::mutex mu_;
  std::unique_ptr<ov::Core> core_;
  std::unique_ptr<ov::frontend::FrontEndManager> fem_;
};

}  // namespace

}  // namespace wnn::nn

// The entry point of libwnn_nn_openvino.so (src/nn/backend.cpp opens it).
extern "C" __attribute__((visibility("default"))) wnn::nn::Backend* wnn_nn_openvino_create() {
  try {
    return new wnn::nn::OpenVinoBackend();
  } catch (...) { return nullptr; }
}
