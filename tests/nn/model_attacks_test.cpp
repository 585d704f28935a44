// Models as attackers (issue 12), run through the `wnn` binary: a guest
// builds an ONNX model whose weights are "external data" at a host path
// (guests/steal.c) and prints what it computes; preloaded models whose
// external data points inside or outside their directory; a guest that
// chooses the repeat counts of a preloaded Tile model (guests/tile.c).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "run_wnn.h"

namespace {

namespace fs = std::filesystem;
using nn_test::Result;
using nn_test::wnn;

const std::string kSteal = std::string(NN_GUEST_DIR) + "/steal.wasm";
const std::string kTile = std::string(NN_GUEST_DIR) + "/tile.wasm";
const std::string kSecret = "WNN-SECRET-BYTES";               // 16 bytes
const std::string kSecretHex = "574e4e2d5345435245542d4259544553";  // the same, as steal.wasm prints y

// A directory holding a secret file (and a symlink to it) where each
// location steal.wasm tries would resolve, made the cwd of wnn.
struct SecretDir {
  fs::path dir = fs::temp_directory_path() / ("wnn_nn_secret_" + std::to_string(::getpid()));
  SecretDir() {
    fs::remove_all(dir);
    fs::create_directories(dir / "sub");
    std::ofstream(dir / "secret.bin", std::ios::binary) << kSecret;
    std::ofstream(dir / "weights.bin", std::ios::binary) << kSecret;
    fs::create_symlink(dir / "secret.bin", dir / "link.bin");
  }
  ~SecretDir() { fs::remove_all(dir); }
};

void expect_no_secret(const Result& r, const std::string& what) {
  EXPECT_EQ(r.out.find(kSecretHex), std::string::npos) << what << ": " << r.out;
  EXPECT_EQ(r.out.find(kSecret), std::string::npos) << what;
  EXPECT_EQ(r.err.find(kSecret), std::string::npos) << what << ": " << r.err;
}

TEST(Nn, GuestModelWithExternalDataNeverReadsAHostFile) {
  NEED_OPENVINO();
  // The attack of issue 12, finding 1: wnn run from a directory where the location resolves, no --dir.
  SecretDir s;
  const std::string secret = (s.dir / "secret.bin").string();
  const std::string locations[] = {"secret.bin",        secret,
                                   "sub/../secret.bin", "../" + s.dir.filename().string() + "/secret.bin",
                                   "link.bin",          "*/_ORT_MEM_ADDR_/*"};
  for (const std::string& loc : locations)
    for (const char* where : {"init", "const", "subgraph"})
      for (const char* enc : {"1", "5"}) {  // onnx, autodetect
        const std::string what = loc + " " + where + " " + enc;
        Result r = wnn({"run", kSteal, "load", loc, where, enc}, s.dir);
        EXPECT_EQ(r.code, 0) << what << ": " << r.err;
        EXPECT_EQ(r.out, "load=1\n") << what;  // invalid_argument
        EXPECT_NE(
            r.err.find("names external data \"" + loc + "\": external data is not allowed in a model passed to load"),
            std::string::npos)
            << what << ": " << r.err;
        expect_no_secret(r, what);
      }
  // The answer does not depend on whether the file exists (no probing of the host's files).
  Result exists = wnn({"run", kSteal, "load", "secret.bin"}, s.dir);
  Result absent = wnn({"run", kSteal, "load", "nothere.bin"}, s.dir);
  EXPECT_EQ(exists.out, absent.out);
  const auto strip = [](std::string e, const std::string& name) { return e.replace(e.find(name), name.size(), "F"); };
  EXPECT_EQ(strip(exists.err, "secret.bin"), strip(absent.err, "nothere.bin"));
}

TEST(Nn, PreloadedExternalDataStaysInTheModelsDirectory) {
  NEED_OPENVINO();
  // make_models.py's extdata/: y = x + W with W external; x = 0 prints W. The cwd holds a
  // weights.bin and a secret.bin with the secret: only the model's directory may be read.
  SecretDir s;
  const std::string dir = std::string(NN_MODEL_DIR) + "/extdata/";
  const std::string w = "load=0\ny=0000c03f000000c00000803e00000041\n";  // [1.5, -2, 0.25, 8]
  for (const char* ok : {"ok", "sub", "inlink"}) {
    Result r = wnn({"run", "--nn-preload", std::string("e:onnx:cpu:") + dir + ok + "/model.onnx", kSteal, "named", "e"},
                   s.dir);
    EXPECT_EQ(r.code, 0) << ok << ": " << r.err;
    EXPECT_EQ(r.out, w) << ok << ": " << r.err;
  }
  Result r = wnn({"run", "-S", "nn-graph=autodetect::" + dir + "ok", kSteal, "named", "ok"}, s.dir);
  EXPECT_EQ(r.out, w) << r.err;
  const std::pair<const char*, const char*> refused[] = {
      {"dotdot",
       "external data \"../secret.bin\" has a \"..\" component; only paths inside the model's directory are allowed"},
      {"absolute", "is an absolute path; only paths inside the model's directory are allowed"},
      {"outlink", "external data \"link.bin\" cannot be opened in " NN_MODEL_DIR
                  "/extdata/outlink: it leads out of the model's directory"},
      {"missing", "external data \"nothere.bin\" cannot be opened in"},
      {"badlength", "external data \"weights.bin\": offset 0 / length 17 do not fit its 16 bytes"},
  };
  for (const auto& [name, why] : refused) {
    for (const std::string& enc : {"onnx", "autodetect"}) {
      Result e =
          wnn({"run", "--nn-preload", "e:" + enc + ":cpu:" + dir + name + "/model.onnx", kSteal, "named", "e"}, s.dir);
      EXPECT_EQ(e.code, 0) << name << ": " << e.err;
      EXPECT_EQ(e.out, "load=1\n") << name << ": " << e.err;
      EXPECT_NE(e.err.find(std::string("wnn: wasi-nn: load_by_name: graph \"e\" (") + dir + name +
                           "/model.onnx): tensor \"W\""),
                std::string::npos)
          << e.err;
      EXPECT_NE(e.err.find(why), std::string::npos) << name << ": " << e.err;
      expect_no_secret(e, name);
    }
  }
}

TEST(Nn, GuestChosenTileRepeatsCannotWrapOrOverflow) {
  NEED_OPENVINO();
  // Issue 12, finding 2: a trusted Tile model whose repeat counts come from the guest.
  // X = [[1,2],[3,4]]; tilesum = ReduceSum(Tile(X, r)) (a scalar from a big intermediate).
  struct Case {
    const char* model;
    const char* r0;
    const char* r1;
    std::string out;
    const char* why;
  };
  const std::string too_big = "more than the limit of 2147483648 bytes per tensor (--nn-max-tensor-bytes) [too_large]";
  const Case cases[] = {
      {"tile", "2", "3", "compute=0\nget_output=0 bytes=96: 1 2 1 2 1 2 3 4 3 4 3 4 1 2 1 2 1 2 3 4 3 4 3 4\n", ""},
      {"tile", "0", "5", "compute=0\nget_output=0 bytes=0:\n", ""},
      {"tile", "2147483648", "2", "compute=7\n",
       "node Tile \"t\": repeat count 0 is 2147483648, beyond 2^31 - 1 (OpenVINO's CPU plugin computes i64 as i32 and "
       "would "
       "wrap it) [too_large]"},
      {"tile", "-1", "-1", "compute=1\n",
       "Tile \"t\": Value for partial shape evaluation can't be lower than zero. [invalid_argument]"},
      {"tile", "-1", "2", "compute=1\n", "[invalid_argument]"},
      {"tile", "4294967296", "4294967296", "compute=7\n", "repeat count 0 is 4294967296, beyond 2^31 - 1"},
      {"tile", "16384", "16384", "compute=7\n",
       "node Tile \"t\" output 0 would be f32 [32768,32768] (1073741824 elements, 4294967296 bytes): "},
      {"tilesum", "2", "3", "compute=0\nget_output=0 bytes=4: 60\n", ""},
      {"tilesum", "65536", "32768", "compute=7\n",
       "node Tile \"t\" output 0 would be f32 [131072,65536] (8589934592 elements"},
      {"tilesum", "2147483648", "2", "compute=7\n", "repeat count 0 is 2147483648"},
      {"tilesum", "-1", "-1", "compute=1\n", "can't be lower than zero"},
      {"tilesum", "4294967296", "4294967296", "compute=7\n", "repeat count 0 is 4294967296"},
  };
  for (const Case& c : cases) {
    const std::string what = std::string(c.model) + " " + c.r0 + " " + c.r1;
    Result r = wnn(
        {"run", "--nn-preload", std::string("t:onnx:cpu:") + c.model + "/model.onnx", kTile, "tile", "t", c.r0, c.r1});
    EXPECT_EQ(r.code, 0) << what << ": " << r.err;  // never a crash
    EXPECT_EQ(r.out, c.out) << what << ": " << r.err;
    EXPECT_NE(r.err.find(c.why), std::string::npos) << what << ": " << r.err;
    if (std::string(c.why).find("limit of") != std::string::npos)
      EXPECT_NE(r.err.find(too_big), std::string::npos) << r.err;
  }
  // --nn-max-tensor-bytes sets the cap: [2,3] makes a 96-byte tensor.
  Result r = wnn({"run", "--nn-max-tensor-bytes", "64", "--nn-preload", "t:onnx:cpu:tile/model.onnx", kTile, "tile",
                  "t", "2", "3"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "compute=7\n") << r.err;
  EXPECT_NE(r.err.find("(24 elements, 96 bytes): more than the limit of 64 bytes per tensor"), std::string::npos)
      << r.err;
  r = wnn({"run", "--nn-max-tensor-bytes", "96", "--nn-preload", "t:onnx:cpu:tile/model.onnx", kTile, "tile", "t", "2",
           "3"});
  EXPECT_EQ(r.out.rfind("compute=0\n", 0), 0u) << r.err;
  // The same context refused once computes again with valid repeats (the check is per compute).
  r = wnn({"run", "--nn-preload", "t:onnx:cpu:tile/model.onnx", kTile, "bench", "t", "50", "vary"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("errno=0 ", 0), 0u) << r.out;
}

}  // namespace
