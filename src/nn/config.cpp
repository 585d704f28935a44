// Named graphs from the command line (-S nn-graph=..., --nn-preload ...) and
// reading their files.
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "nn/backend.h"
#include "nn/graph_option.h"
#include "nn/state.h"
#include "wnn/nn.h"

namespace wnn {

namespace nn {

Result<std::vector<uint8_t>> read_host_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Failure{kNotFound, "cannot open " + path + ": " + std::strerror(errno)};
  struct stat st;
  if (::fstat(::fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    std::fclose(f);
    return Failure{kNotFound, "cannot read " + path + ": not a regular file"};
  }
  std::vector<uint8_t> bytes;
  bytes.reserve(size_t(st.st_size));
  uint8_t buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.insert(bytes.end(), buf, buf + n);
  const bool bad = std::ferror(f);
  std::fclose(f);
  if (bad) return Failure{kRuntimeError, "cannot read " + path};
  return bytes;
}

Expected<NnPreload> parse_graph_option(std::string_view s) {
  const size_t sep = s.find("::");
  if (sep == std::string_view::npos || sep == 0 || sep + 2 == s.size())
    return Error(ErrorKind::Usage, "nn-graph needs ENCODING::DIR, got \"" + std::string(s) + "\"");
  NnPreload p;
  p.encoding = std::string(s.substr(0, sep));
  std::string dir(s.substr(sep + 2));
  auto enc = nn::parse_encoding(p.encoding);
  if (!enc) return Error(ErrorKind::Usage, "nn-graph: unknown encoding \"" + p.encoding + "\"");
  namespace fs = std::filesystem;
  fs::path d(dir);
  p.name = d.filename().string();
  if (p.name.empty() || p.name == ".") p.name = d.parent_path().filename().string();
  p.target = "cpu";
  auto file = [&](const char* n) { return (d / n).string(); };
  std::error_code ec;
  switch (*enc) {
    case nn::Encoding::OpenVino: p.paths = {file("model.xml"), file("model.bin")}; break;
    case nn::Encoding::Onnx: p.paths = {file("model.onnx")}; break;
    case nn::Encoding::TensorFlow: p.paths = {file("model.pb")}; break;
    case nn::Encoding::TensorFlowLite: p.paths = {file("model.tflite")}; break;
    case nn::Encoding::PyTorch: p.paths = {file("model.pt")}; break;
    case nn::Encoding::Ggml: p.paths = {file("model.gguf")}; break;
    case nn::Encoding::Autodetect:
      if (fs::exists(d / "model.xml", ec))
        p.paths = {file("model.xml"), file("model.bin")};
      else if (fs::exists(d / "model.onnx", ec))
        p.paths = {file("model.onnx")};
      else if (fs::exists(d / "model.tflite", ec))
        p.paths = {file("model.tflite")};
      else if (fs::exists(d / "model.pb", ec))
        p.paths = {file("model.pb")};
      else
        return Error(ErrorKind::Usage, "nn-graph: " + dir + " has no model.xml, model.onnx, model.tflite or model.pb");
      break;
  }
  for (const std::string& f : p.paths)
    if (!fs::exists(f, ec)) return Error(ErrorKind::Io, "nn-graph: " + f + " does not exist");
  return p;
}

}  // namespace nn

Expected<NnPreload> NnContext::parse_preload(std::string_view s) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t c = s.find(':', start);
    parts.emplace_back(s.substr(start, c == std::string_view::npos ? std::string_view::npos : c - start));
    if (c == std::string_view::npos) break;
    start = c + 1;
  }
  if (parts.size() < 4)
    return Error(ErrorKind::Usage,
                 "--nn-preload needs NAME:ENCODING:TARGET:PATH[:PATH...], got \"" + std::string(s) + "\"");
  NnPreload p;
  p.name = parts[0];
  p.encoding = parts[1];
  p.target = parts[2];
  p.paths.assign(parts.begin() + 3, parts.end());
  if (!nn::parse_encoding(p.encoding))
    return Error(ErrorKind::Usage, "--nn-preload: unknown encoding \"" + p.encoding +
                                       "\" (openvino, onnx, tensorflow, tensorflowlite, autodetect, ggml)");
  if (!nn::parse_target(p.target))
    return Error(ErrorKind::Usage, "--nn-preload: unknown target \"" + p.target + "\" (cpu, gpu, tpu, auto)");
  std::error_code ec;
  for (const std::string& f : p.paths)
    if (f.empty() || !std::filesystem::exists(f, ec))
      return Error(ErrorKind::Io, "--nn-preload: model file \"" + f + "\" does not exist");
  return p;
}

}  // namespace wnn
