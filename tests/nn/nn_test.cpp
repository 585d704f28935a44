// wasi-nn end to end: the C guest nn_guest.wasm, run through the `wnn`
// binary, loads the tiny OpenVINO IR models of make_models.py, computes,
// and prints outputs (checked exactly here), or walks every error path and
// prints the codes (checked here together with the host's log lines).
// Also: the classify example (C and Rust guests) on the committed MNIST
// digits, and third-party detectors (guests/detect.c) on real images.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "run_wnn.h"

namespace {

namespace fs = std::filesystem;
using nn_test::Result;
using nn_test::wnn;

const std::string kGuest = std::string(NN_GUEST_DIR) + "/nn_guest.wasm";
const std::string kLinearOut =
    "relu (12 bytes): 9.5 0 2.5\n"
    "add (12 bytes): 9.5 -4 2.5\n";

TEST(Nn, LinearModelF32) {
  NEED_OPENVINO();
  // x = [1,2,3,4]; add = x W + b = [9.5, -4, 2.5]; relu = [9.5, 0, 2.5]
  Result r = wnn({"run", "--dir", "linear", kGuest, "linear", "linear"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, kLinearOut);
  EXPECT_EQ(r.err, "");
}

TEST(Nn, ModelBytesCap) {
  NEED_OPENVINO();
  // linear's xml + bin are 2971 bytes: refused under a 100-byte cap...
  Result r = wnn({"run", "--nn-max-model-bytes", "100", "--dir", "linear", kGuest, "linear", "linear"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("wnn: wasi-nn: load: the model's 2971 bytes exceed the limit of 100 "
                       "(--nn-max-model-bytes) [too_large]"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("failed: 7"), std::string::npos) << r.out;  // too_large
  // ...and loaded under a 1 MiB one.
  r = wnn({"run", "--nn-max-model-bytes", "1M", "--dir", "linear", kGuest, "linear", "linear"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, kLinearOut);
}

TEST(Nn, IntegerModelU8AndI32) {
  NEED_OPENVINO();
  // a*2 + b with a = [1,2,3,250] (u8), b = [10,-20,30,-40] (i32)
  Result r = wnn({"run", "--dir", "ints", kGuest, "ints", "ints"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "y (16 bytes): 12 -16 36 460\n");
}

TEST(Nn, F16F64I64Tensors) {
  NEED_OPENVINO();
  // f16 [1.0, 2.5] * 2 = [2.0 (0x4000), 5.0 (0x4500)]; f64 [1.5,-2] + 0.25; i64 [7,-100] * 3
  Result r = wnn({"run", "--dir", "types", kGuest, "types", "types"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "f16 (4 bytes): 0x4000 0x4500\n"
            "f64 (16 bytes): 1.75 -1.75\n"
            "i64 (16 bytes): 21 -300\n");
}

TEST(Nn, NamedGraphByPreload) {
  NEED_OPENVINO();
  Result r =
      wnn({"run", "--nn-preload", "lin:OpenVINO:AUTO:linear/model.xml:linear/model.bin", kGuest, "named", "lin"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, kLinearOut + "second handle differs: 1\n" + kLinearOut);
}

TEST(Nn, NamedGraphByWasmtimeOption) {
  NEED_OPENVINO();
  Result r =
      wnn({"run", "-S", "nn,nn-graph=openvino::" + std::string(NN_MODEL_DIR) + "/linear", kGuest, "named", "linear"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, kLinearOut + "second handle differs: 1\n" + kLinearOut);
}

// examples/classify with the committed MNIST model and test digits: each
// digit-N.png must come out as class N, first of the top-5, from both guests.
void expect_digits(const std::string& wasm) {
  for (int d = 0; d <= 9; ++d) {
    const std::string png = "/model/digit-" + std::to_string(d) + ".png";
    Result r = wnn({"run", "--dir", std::string(NN_CLASSIFY_DIR) + "/model::/model", wasm, png});
    EXPECT_EQ(r.code, 0) << wasm << " " << png << ": " << r.err;
    EXPECT_EQ(r.err, "");
    std::istringstream lines(r.out);
    std::string head, top;
    std::getline(lines, head);
    std::getline(lines, top);
    EXPECT_EQ(head, png + " (28x28, 1 channel): top-5") << r.out;
    EXPECT_EQ(top.substr(0, 5), "  " + std::to_string(d) + "  ") << wasm << " " << png << ":\n" << r.out;
    int rows = 0;
    for (std::string l; std::getline(lines, l);) ++rows;
    EXPECT_EQ(rows, 4) << r.out;
  }
}

TEST(Nn, ClassifyExampleC) {
  NEED_OPENVINO();
  expect_digits(std::string(NN_EXAMPLES_DIR) + "/classify.wasm");
}

TEST(Nn, ClassifyExampleRust) {
  NEED_OPENVINO();
  expect_digits(std::string(NN_EXAMPLES_DIR) + "/classify-rs.wasm");
}

TEST(Nn, ClassifyExampleSameScoresAndNamedGraph) {
  NEED_OPENVINO();
  const std::string dir = std::string(NN_CLASSIFY_DIR) + "/model";
  Result c =
      wnn({"run", "--dir", dir + "::/model", std::string(NN_EXAMPLES_DIR) + "/classify.wasm", "/model/digit-7.png"});
  Result rs =
      wnn({"run", "--dir", dir + "::/model", std::string(NN_EXAMPLES_DIR) + "/classify-rs.wasm", "/model/digit-7.png"});
  EXPECT_EQ(c.code, 0) << c.err;
  EXPECT_EQ(c.out, rs.out);  // same preprocessing, same model: same top-5 and scores
  Result n = wnn({"run", "--dir", dir + "::/img", "--nn-preload",
                  "mnist:openvino:cpu:" + dir + "/model.xml:" + dir + "/model.bin",
                  std::string(NN_EXAMPLES_DIR) + "/classify.wasm", "/img/digit-7.png", "@mnist"});
  EXPECT_EQ(n.code, 0) << n.err;
  EXPECT_EQ(n.out.substr(n.out.find('\n')), c.out.substr(c.out.find('\n')));
}

TEST(Nn, OnnxFromMemory) {
  NEED_OPENVINO();
  // make_models.py writes the linear model as ONNX too: same outputs.
  Result r = wnn({"run", "--dir", "linear::.", kGuest, "single", "1", "model.onnx"});  // encoding onnx
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, kLinearOut);
  r = wnn({"run", "--dir", "linear::.", kGuest, "single", "5", "model.onnx"});  // autodetect
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, kLinearOut);
  r = wnn({"run", "--dir", "linear::.", kGuest, "single", "5", "model.xml"});  // autodetect: IR without weights
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "load=2\n");  // the xml needs its weights
  EXPECT_NE(r.err.find("wnn: wasi-nn: load: OpenVINO cannot read the openvino model"), std::string::npos) << r.err;
  r = wnn({"run", "--dir", "linear::.", kGuest, "single", "4", "model.onnx"});  // ONNX bytes as tensorflowlite
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "load=2\n");
  EXPECT_NE(r.err.find("wnn: wasi-nn: load: OpenVINO cannot read the tensorflowlite model"), std::string::npos)
      << r.err;
  r = wnn({"run", "--nn-preload", "lin:onnx:cpu:linear/model.onnx", kGuest, "named", "lin"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, kLinearOut + "second handle differs: 1\n" + kLinearOut);
  r = wnn({"run", "-S", "nn-graph=autodetect::linear", kGuest, "named", "linear"});  // picks model.xml + model.bin
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, kLinearOut + "second handle differs: 1\n" + kLinearOut);
}

TEST(Nn, TensorFlowGraphDef) {
  NEED_OPENVINO();
  // The linear model as a frozen GraphDef (relu output only); the TF frontend may need a temporary file.
  Result r = wnn({"run", "--dir", "linear::.", kGuest, "single", "2", "model.pb", "1"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "relu (12 bytes): 9.5 0 2.5\n");
  r = wnn({"run", "--dir", "linear::.", kGuest, "single", "5", "model.pb", "1"});  // autodetect
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "relu (12 bytes): 9.5 0 2.5\n");
  r = wnn({"run", "-S", "nn-graph=tensorflow::linear", kGuest, "named", "linear"});
  EXPECT_EQ(r.code, 1);  // the guest asks for a second output
  EXPECT_NE(r.err.find("output index 1 out of range: the model has 1 output(s)"), std::string::npos) << r.err;
}

// Third-party detectors (scripts/nn-fetch) through tests/nn/guests/detect.c,
// which prints "max score: S" = sigmoid of the best face logit.
const std::string kDetect = std::string(NN_GUEST_DIR) + "/detect.wasm";

double max_score(const Result& r) {
  size_t at = r.out.find("max score: ");
  return at == std::string::npos ? -1 : std::stod(r.out.substr(at + 11));
}

Result detect(const std::string& enc, const std::string& side, const std::string& type, const std::string& image,
              const std::string& scores, const std::vector<std::string>& model, const std::string& img_dir = "/") {
  std::vector<std::string> args = {"run",
                                   "--dir",
                                   std::string(NN_CACHE_MODELS) + "::/m",
                                   "--dir",
                                   std::string(NN_MODEL_DIR) + "::/ir",
                                   "--dir",
                                   img_dir + "::/img",
                                   kDetect,
                                   enc,
                                   side,
                                   type,
                                   image,
                                   scores};
  args.insert(args.end(), model.begin(), model.end());
  return wnn(args);
}

std::string in_img(const char* path) { return "/img/" + fs::path(path).filename().string(); }
std::string dir_of(const char* path) { return fs::path(path).parent_path().string(); }

TEST(Nn, BlazeFaceOnnxFindsTheAstronautsFace) {
  NEED_OPENVINO();
  // face_detection_front_128x128_barracuda.onnx: outputs 0 and 1 are the two anchor grids' logits.
  Result r =
      detect("1", "128", "f32", in_img(NN_ASTRONAUT), "0,1", {"/m/blazeface_front_128.onnx"}, dir_of(NN_ASTRONAUT));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_GT(max_score(r), 0.9) << r.out;
  r = detect("1", "128", "f32", "blank", "0,1", {"/m/blazeface_front_128.onnx"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_GE(max_score(r), 0) << r.out;
  EXPECT_LT(max_score(r), 0.5) << r.out;  // no face
}

TEST(Nn, BlazeFaceOnnxAndIrGiveTheSameOutputs) {
  NEED_OPENVINO();
  // The same network read by the ONNX frontend from the guest's bytes, and as
  // the IR that OpenVINO's converter made of it (tests/nn/convert_ir.py).
  for (const std::string& img : {in_img(NN_ASTRONAUT), std::string("blank")}) {
    Result onnx = detect("1", "128", "f32", img, "0,1", {"/m/blazeface_front_128.onnx"}, dir_of(NN_ASTRONAUT));
    Result ir = detect("0", "128", "f32", img, "0,1", {"/ir/blazeface/model.xml", "/ir/blazeface/model.bin"},
                       dir_of(NN_ASTRONAUT));
    EXPECT_EQ(onnx.code, 0) << onnx.err;
    EXPECT_NE(onnx.out.find("output 3: 6144 floats"), std::string::npos) << onnx.out;
    EXPECT_EQ(onnx.out, ir.out);
  }
}

TEST(Nn, MediaPipeFaceTfliteFindsTheAstronautsFace) {
  NEED_OPENVINO();
  // face_detection_short_range.tflite: output 0 regressors [1,896,16], output 1 logits [1,896,1].
  Result r = detect("4", "128", "f32", in_img(NN_ASTRONAUT), "1", {"/m/face_detection_short_range.tflite"},
                    dir_of(NN_ASTRONAUT));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("output 1: 896 floats"), std::string::npos) << r.out;
  EXPECT_GT(max_score(r), 0.9) << r.out;
  r = detect("5", "128", "f32", "blank", "1", {"/m/face_detection_short_range.tflite"});  // autodetect
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_GE(max_score(r), 0) << r.out;
  EXPECT_LT(max_score(r), 0.5) << r.out;
}

TEST(Nn, SsdMobileNetFindsTheDog) {
  NEED_OPENVINO();
  // The model ends in TFLite_Detection_PostProcess, which OpenVINO's TFLite
  // frontend lacks; wnn's conversion extension (src/nn/openvino/tflite_postprocess.cpp)
  // provides it. dog.jpg (darknet): a dog in the lower left, a bicycle, a truck.
  Result r = detect("4", "300", "u8", in_img(NN_DOG), "ssd", {"/m/ssd_mobilenet_v2_coco_quant.tflite"}, dir_of(NN_DOG));
  EXPECT_EQ(r.code, 0) << r.err;
  size_t at = r.out.find("class 17 score ");  // COCO's dog, without the background class
  ASSERT_NE(at, std::string::npos) << r.out;
  float score = 0, ymin = 0, xmin = 0, ymax = 0, xmax = 0;
  ASSERT_EQ(std::sscanf(r.out.c_str() + at, "class 17 score %f box %f %f %f %f", &score, &ymin, &xmin, &ymax, &xmax),
            5);
  EXPECT_GT(score, 0.8);
  EXPECT_GT((ymin + ymax) / 2, 0.5) << r.out;  // lower half
  EXPECT_LT((xmin + xmax) / 2, 0.5) << r.out;  // left half
  EXPECT_NE(r.out.find("class 1 score "), std::string::npos) << r.out;  // the bicycle
  r = detect("4", "300", "u8", "blank", "ssd", {"/m/ssd_mobilenet_v2_coco_quant.tflite"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find("class "), std::string::npos) << r.out;  // nothing scores 0.5 on a gray image
}

TEST(Nn, UnconvertibleOpIsUnsupportedOperation) {
  NEED_OPENVINO();
  // make_models.py's custom/: one op (WnnNoSuchOp) that neither frontend converts.
  Result r = wnn({"run", "--dir", "custom::.", kGuest, "single", "1", "model.onnx"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "load=6\n");
  EXPECT_NE(r.err.find("wnn: wasi-nn: load: OpenVINO cannot run the onnx model: it has no implementation of operation "
                       "WnnNoSuchOp-13 ("),
            std::string::npos)
      << r.err;
  r = wnn({"run", "--dir", "custom::.", kGuest, "single", "2", "model.pb"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "load=6\n");
  EXPECT_NE(r.err.find("OpenVINO cannot run the tensorflow model: it has no implementation of operation WnnNoSuchOp ("),
            std::string::npos)
      << r.err;
}

TEST(Nn, CompiledModelCache) {
  NEED_OPENVINO();
  // --nn-cache DIR: the first run compiles and stores a blob, the second reads it; same results.
  const fs::path cache = fs::temp_directory_path() / ("wnn_nn_cache_" + std::to_string(::getpid()));
  fs::remove_all(cache);
  const std::string dir = std::string(NN_CLASSIFY_DIR) + "/model";
  const std::vector<std::string> args = {"run",
                                         "--nn-cache",
                                         cache.string(),
                                         "--dir",
                                         dir + "::/model",
                                         std::string(NN_EXAMPLES_DIR) + "/classify.wasm",
                                         "/model/digit-4.png"};
  Result first = wnn(args);
  EXPECT_EQ(first.code, 0) << first.err;
  size_t blobs = 0;
  for (const auto& e : fs::directory_iterator(cache)) blobs += e.path().extension() == ".blob";
  EXPECT_EQ(blobs, 1u);
  Result second = wnn(args);
  EXPECT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(first.out, second.out);
  // A path that cannot be a directory is an i/o error before the guest runs.
  Result bad = wnn({"run", "--nn-cache", dir + "/model.xml/x", kGuest, "linear", "linear"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("--nn-cache " + dir + "/model.xml/x: cannot create the directory"), std::string::npos)
      << bad.err;
  fs::remove_all(cache);
}

TEST(Nn, ErrorPaths) {
  NEED_OPENVINO();
  Result r = wnn({"run", "--dir", "linear", kGuest, "errors", "linear"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "bad_graph_handle=1\n"
            "garbage_model=2\n"
            "one_builder=1\n"
            "bad_encoding=2\n"
            "bad_target=1\n"
            "pytorch=2\n"
            "builders_oob=1\n"
            "builder_data_oob=1\n"
            "graph_out_oob=1\n"
            "load=0\n"
            "init=0\n"
            "compute_before_set_input=1\n"
            "get_output_before_compute=1\n"
            "wrong_data_length=1\n"
            "wrong_type=1\n"
            "wrong_shape=1\n"
            "bad_tensor_type=1\n"
            "input_index_out_of_range=1\n"
            "tensor_oob=1\n"
            "dims_oob=1\n"
            "set_input=0\n"
            "compute=0\n"
            "output_index_out_of_range=1\n"
            "output_buffer_oob=1\n"
            "too_small_buffer=7 needed=12 untouched=1\n"
            "exact_buffer=0\n"
            "compute_single=6\n"
            "get_output_single=6\n"
            "fini_single=6\n"
            "context_as_graph=1\n"
            "graph_as_context=1\n"
            "not_found=8\n"
            "finalize=0\n"
            "stale_context=1\n"
            "finalize_twice=1\n"
            "unload=0\n"
            "stale_graph=1\n"
            "unload_twice=1\n"
            "gpu_target=6\n");
  // One log line per failed call, saying why.
  const char* const lines[] = {
      "wnn: wasi-nn: init_execution_context: graph handle 999 is unknown [invalid_argument]",
      "wnn: wasi-nn: load: OpenVINO cannot read the openvino model (20 bytes): Unable to read the model",
      "wnn: wasi-nn: load: encoding openvino needs 2 graph builder(s) (IR xml, weights), got 1 [invalid_argument]",
      ("wnn: wasi-nn: load: graph encoding 9 is not a graph_encoding (witx's openvino 0 .. autodetect 5, WasmEdge's "
       "ggml 6) [invalid_encoding]"),
      "wnn: wasi-nn: load: execution target 7 is not a witx execution_target (cpu 0, gpu 1, tpu 2) [invalid_argument]",
      "wnn: wasi-nn: load: no backend for encoding pytorch in this wnn",
      "wnn: wasi-nn: load: graph builder array [4294967280, +16) is outside the guest's memory [invalid_argument]",
      "is outside the guest's memory [invalid_argument]",
      "wnn: wasi-nn: load: graph_out_ptr [4294967294, +4) is outside the guest's memory [invalid_argument]",
      "wnn: wasi-nn: compute: compute before set_input: input(s) 0 not set (the model has 1 input(s)) "
      "[invalid_argument]",
      "wnn: wasi-nn: get_output: get_output before compute (no results yet) [invalid_argument]",
      "wnn: wasi-nn: set_input: tensor data length 12 != 16 = product of dims [1,4] x 4 bytes (f32) [invalid_argument]",
      "wnn: wasi-nn: set_input: input 0 is f32 [1,4], got u8 [1,4] [invalid_argument]",
      "wnn: wasi-nn: set_input: input 0 is f32 [1,4], got f32 [1,5] [invalid_argument]",
      "wnn: wasi-nn: set_input: tensor type 9 is not a witx tensor_type",
      "wnn: wasi-nn: set_input: input index 3 out of range: the model has 1 input(s) [invalid_argument]",
      "wnn: wasi-nn: set_input: tensor record [4294967288, +20) is outside the guest's memory [invalid_argument]",
      "wnn: wasi-nn: set_input: tensor dimensions [4294967292, +8) is outside the guest's memory [invalid_argument]",
      "wnn: wasi-nn: get_output: output index 5 out of range: the model has 2 output(s) [invalid_argument]",
      "wnn: wasi-nn: get_output: output buffer [4294967280, +64) is outside the guest's memory [invalid_argument]",
      ("wnn: wasi-nn: get_output: output 0 (f32 [1,3]) needs 12 bytes, the buffer has 8 (needed size written to "
       "bytes_written, nothing copied) [too_large]"),
      "wnn: wasi-nn: compute_single: compute_single is for generative (LLM) graphs (encoding ggml)",
      "wnn: wasi-nn: init_execution_context: graph handle 1 is an execution context, not a graph [invalid_argument]",
      "wnn: wasi-nn: compute: execution context handle 0 is a graph, not an execution context [invalid_argument]",
      "wnn: wasi-nn: load_by_name: no graph named \"nope\"",
      "[not_found]",
      "wnn: wasi-nn: compute: execution context handle 1 is stale (finalized) [invalid_argument]",
      "wnn: wasi-nn: init_execution_context: graph handle 0 is stale (unloaded) [invalid_argument]",
      "wnn: wasi-nn: unload: graph handle 0 is stale (unloaded) [invalid_argument]",
  };
  for (const char* l : lines) EXPECT_NE(r.err.find(l), std::string::npos) << "missing log line: " << l << "\n" << r.err;
  // Exactly one line per failed call (32 failures, the gpu one included when there is no GPU).
  size_t n = 0;
  for (size_t p = 0; (p = r.err.find("wnn: wasi-nn: ", p)) != std::string::npos; ++p) ++n;
  EXPECT_GE(n, 31u) << r.err;
  EXPECT_LE(n, 32u) << r.err;
}

TEST(Nn, MissingBackendIsInvalidEncodingWithAHint) {
  // Any two files will do: the backend is asked for before the bytes are read.
  const fs::path dir = fs::temp_directory_path() / ("wnn_nn_missing_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "model.xml") << "<net/>";
  std::ofstream(dir / "model.bin") << "x";
  Result r = wnn({"run", "--dir", dir.string() + "::m", kGuest, "missing", "m"}, dir, {"WNN_NN_DISABLE=openvino"});
  fs::remove_all(dir);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "load=2\n");
  if (NN_HAVE_OPENVINO)
    EXPECT_NE(r.err.find("wnn: wasi-nn: load: the openvino backend (for encoding openvino) is disabled by "
                         "WNN_NN_DISABLE=openvino [invalid_encoding]"),
              std::string::npos)
        << r.err;
  else
    EXPECT_NE(r.err.find("is not built into this wnn: run scripts/setup"), std::string::npos) << r.err;
}

TEST(Nn, UnknownImportsAreListed) {
  Result r = wnn({"run", std::string(NN_GUEST_DIR) + "/bad_imports.wasm"}, NN_GUEST_DIR);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("wasi_ephemeral_nn::bogus (func (i32) -> (i32)): not a function of wasi_ephemeral_nn"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("wasi_ephemeral_nn::load (func (i32, i32) -> (i32)): wnn provides it with type (func "
                       "(i32, i32, i32, i32, i32) -> (i32))"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("wasi_ephemeral_nn::compute"), std::string::npos) << r.err;  // a correct import is not listed
}

TEST(Nn, CommandLineErrors) {
  Result r = wnn({"run", "--nn-preload", "x:openvino:cpu", kGuest}, NN_GUEST_DIR);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--nn-preload needs NAME:ENCODING:TARGET:PATH[:PATH...]"), std::string::npos) << r.err;
  r = wnn({"run", "--nn-preload", "x:keras:cpu:a.h5", kGuest}, NN_GUEST_DIR);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown encoding \"keras\""), std::string::npos) << r.err;
  r = wnn({"run", "--nn-preload", "x:openvino:fpga:a.xml:a.bin", kGuest}, NN_GUEST_DIR);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown target \"fpga\""), std::string::npos) << r.err;
  r = wnn({"run", "--nn-preload", "x:openvino:cpu:no/such.xml:no/such.bin", kGuest}, NN_GUEST_DIR);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("model file \"no/such.xml\" does not exist"), std::string::npos) << r.err;
  r = wnn({"run", "-S", "threads", kGuest}, NN_GUEST_DIR);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown -S option \"threads\""), std::string::npos) << r.err;
  r = wnn({"run", "-S", "nn-graph=openvino", kGuest}, NN_GUEST_DIR);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("nn-graph needs ENCODING::DIR"), std::string::npos) << r.err;
}

TEST(Nn, LoadByNameOfAMissingFileIsNotFound) {
  NEED_OPENVINO();
  // The files exist when wnn starts, then one goes away before load_by_name reads it.
  const fs::path dir = fs::temp_directory_path() / ("wnn_nn_lazy_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::copy_file(fs::path(NN_MODEL_DIR) / "linear/model.xml", dir / "model.xml");
  // model.bin is a directory: it exists, but cannot be read as a file.
  fs::create_directories(dir / "model.bin");
  Result r = wnn({"run", "--nn-preload",
                  "lin:openvino:cpu:" + (dir / "model.xml").string() + ":" + (dir / "model.bin").string(), kGuest,
                  "named", "lin"});
  fs::remove_all(dir);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "wasi_nn_load_by_name(argv[2], strlen(argv[2]), &g) failed: 8\n");
  EXPECT_NE(r.err.find("wnn: wasi-nn: load_by_name: graph \"lin\": cannot"), std::string::npos) << r.err;
}

}  // namespace
