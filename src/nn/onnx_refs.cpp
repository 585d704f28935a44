// The ONNX external-data walker (see onnx_refs.h). Field numbers are
// onnx.proto's (checked against onnx/onnx.proto, IR version 10):
//   ModelProto     graph 7, training_info 20, functions 25
//   GraphProto     node 1, initializer 5, sparse_initializer 15
//   NodeProto      attribute 5
//   AttributeProto t 5, g 6, tensors 10, graphs 11, sparse_tensor 22, sparse_tensors 23
//   SparseTensorProto values 1, indices 2
//   FunctionProto  node 7, attribute_proto 11
//   TrainingInfoProto initialization 1, algorithm 2
//   TensorProto    name 8, raw_data 9, external_data 13 (StringStringEntryProto key 1, value 2),
//                  data_location 14 (EXTERNAL = 1)
// Every other field is skipped by its wire type, as protobuf itself does
// (unknown groups included; a known field with an unexpected wire type is an
// unknown one), so what protobuf parses this walker walks: a model it
// refuses as malformed is one OpenVINO's ONNX reader cannot parse either.
#include "nn/onnx_refs.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>

namespace wnn::nn {

namespace {

enum class Msg : uint8_t { Model, Graph, Node, Attribute, Tensor, SparseTensor, Function, TrainingInfo };

struct Child {
  Msg msg;
  const char* name;
};

// The message kind a field of `m` holds (the fields that can lead to a TensorProto).
std::optional<Child> child_of(Msg m, uint32_t field) {
  switch (m) {
    case Msg::Model:
      if (field == 7) return Child{Msg::Graph, "graph"};
      if (field == 20) return Child{Msg::TrainingInfo, "training_info"};
      if (field == 25) return Child{Msg::Function, "functions"};
      break;
    case Msg::Graph:
      if (field == 1) return Child{Msg::Node, "node"};
      if (field == 5) return Child{Msg::Tensor, "initializer"};
      if (field == 15) return Child{Msg::SparseTensor, "sparse_initializer"};
      break;
    case Msg::Node:
      if (field == 5) return Child{Msg::Attribute, "attribute"};
      break;
    case Msg::Attribute:
      if (field == 5) return Child{Msg::Tensor, "t"};
      if (field == 6) return Child{Msg::Graph, "g"};
      if (field == 10) return Child{Msg::Tensor, "tensors"};
      if (field == 11) return Child{Msg::Graph, "graphs"};
      if (field == 22) return Child{Msg::SparseTensor, "sparse_tensor"};
      if (field == 23) return Child{Msg::SparseTensor, "sparse_tensors"};
      break;
    case Msg::SparseTensor:
      if (field == 1) return Child{Msg::Tensor, "values"};
      if (field == 2) return Child{Msg::Tensor, "indices"};
      break;
    case Msg::Function:
      if (field == 7) return Child{Msg::Node, "node"};
      if (field == 11) return Child{Msg::Attribute, "attribute_proto"};
      break;
    case Msg::TrainingInfo:
      if (field == 1) return Child{Msg::Graph, "initialization"};
      if (field == 2) return Child{Msg::Graph, "algorithm"};
      break;
    case Msg::Tensor: break;
  }
  return std::nullopt;
}

enum Wire : uint32_t { kVarint = 0, kFixed64 = 1, kLen = 2, kStartGroup = 3, kEndGroup = 4, kFixed32 = 5 };

struct Field {
  uint32_t number = 0;
  uint32_t wire = 0;
  uint64_t value = 0;                 // kVarint
  std::span<const uint8_t> bytes;     // kLen: the payload
  std::span<const uint8_t> encoding;  // the whole field, tag included
};

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> b) : p_(b.data()), end_(b.data() + b.size()) {}
  bool done() const { return p_ == end_; }

  // The next field; false (with `error` set) when the bytes are not protobuf.
  bool next(Field& f, std::string& error) {
    const uint8_t* start = p_;
    uint64_t tag = 0;
    if (!varint(tag) || (tag >> 3) == 0 || (tag >> 3) > 0x1FFFFFFF) return fail(error, "bad field tag");
    f.number = uint32_t(tag >> 3);
    f.wire = uint32_t(tag & 7);
    switch (f.wire) {
      case kVarint:
        if (!varint(f.value)) return fail(error, "bad varint");
        break;
      case kFixed64:
        if (end_ - p_ < 8) return fail(error, "truncated fixed64");
        p_ += 8;
        break;
      case kFixed32:
        if (end_ - p_ < 4) return fail(error, "truncated fixed32");
        p_ += 4;
        break;
      case kLen: {
        uint64_t n = 0;
        if (!varint(n) || n > uint64_t(end_ - p_)) return fail(error, "length beyond the message");
        f.bytes = std::span<const uint8_t>(p_, size_t(n));
        p_ += n;
        break;
      }
      case kStartGroup:
        if (!skip_group(f.number, 0)) return fail(error, "bad group");
        break;
      default: return fail(error, "bad wire type " + std::to_string(f.wire));
    }
    f.encoding = std::span<const uint8_t>(start, size_t(p_ - start));
    return true;
  }

 private:
  bool varint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return false;
      const uint8_t b = *p_++;
      if (shift == 63 && b > 1) return false;
      v |= uint64_t(b & 0x7F) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }

  // A (deprecated) group of an unknown field, up to its end tag.
  bool skip_group(uint32_t number, int depth) {
    if (depth > kMaxOnnxDepth) return false;
    while (p_ != end_) {
      uint64_t tag = 0, v = 0;
      if (!varint(tag) || (tag >> 3) == 0) return false;
      switch (uint32_t(tag & 7)) {
        case kVarint:
          if (!varint(v)) return false;
          break;
        case kFixed64:
          if (end_ - p_ < 8) return false;
          p_ += 8;
          break;
        case kFixed32:
          if (end_ - p_ < 4) return false;
          p_ += 4;
          break;
        case kLen:
          if (!varint(v) || v > uint64_t(end_ - p_)) return false;
          p_ += v;
          break;
        case kStartGroup:
          if (!skip_group(uint32_t(tag >> 3), depth + 1)) return false;
          break;
        case kEndGroup: return (tag >> 3) == number;
        default: return false;
      }
    }
    return false;
  }

  static bool fail(std::string& error, std::string why) {
    error = std::move(why);
    return false;
  }

  const uint8_t* p_;
  const uint8_t* end_;
};

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += char(uint8_t(v) | 0x80);
    v >>= 7;
  }
  out += char(v);
}

void put_len_field(std::string& out, uint32_t number, std::string_view payload) {
  put_varint(out, uint64_t(number) << 3 | kLen);
  put_varint(out, payload.size());
  out += payload;
}

std::string as_string(std::span<const uint8_t> b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

// One external tensor's external_data entries.
struct ExternalSpec {
  OnnxExternalRef ref;
  std::optional<std::string> offset, length;
  std::string unknown_key;  // the first key other than location/offset/length/checksum
};

// Supplies an external tensor's bytes (rewrite mode).
using Loader = Result<std::string> (*)(const ExternalSpec& spec, void* ctx);

class Walker {
 public:
  Walker(Loader loader, void* ctx) : loader_(loader), ctx_(ctx) {}
  std::vector<OnnxExternalRef> refs;

  // Walks `in`, a message of kind `m` at `where`; with `out`, appends the
  // message rewritten with its external tensors inlined.
  Result<void> walk(std::span<const uint8_t> in, Msg m, int depth, const std::string& where, std::string* out) {
    if (depth > kMaxOnnxDepth)
      return Failure{kInvalidEncoding, "the ONNX model nests messages deeper than " + std::to_string(kMaxOnnxDepth) +
                                           " levels (at " + where + ")"};
    if (m == Msg::Tensor) return tensor(in, where, out);
    Reader r(in);
    std::string error;
    uint32_t index[32] = {};  // per field number below 32: the repeated field's index, for `where`
    while (!r.done()) {
      Field f;
      if (!r.next(f, error)) return malformed(where, error);
      auto child = child_of(m, f.number);
      if (!child || f.wire != kLen) {  // a known field with another wire type is an unknown one to protobuf
        if (out) *out += as_string(f.encoding);
        continue;
      }
      const std::string at = where + "." + child->name + "[" + std::to_string(index[f.number]++) + "]";
      if (!out) {
        if (auto w = walk(f.bytes, child->msg, depth + 1, at, nullptr); !w) return w;
        continue;
      }
      std::string sub;
      if (auto w = walk(f.bytes, child->msg, depth + 1, at, &sub); !w) return w;
      put_len_field(*out, f.number, sub);
    }
    return {};
  }

 private:
  Result<void> tensor(std::span<const uint8_t> in, const std::string& where, std::string* out) {
    Reader r(in);
    std::string error;
    ExternalSpec spec;
    spec.ref.where = where;
    bool external = false, raw = false;
    std::string kept;  // the fields other than external_data and data_location
    while (!r.done()) {
      Field f;
      if (!r.next(f, error)) return malformed(where, error);
      if (f.number == 8 && f.wire == kLen) spec.ref.tensor = as_string(f.bytes);
      if (f.number == 9) raw = true;
      if (f.number == 14) {
        external |= f.wire != kVarint || f.value == 1;  // EXTERNAL, or a form protobuf would not read as DEFAULT
        continue;
      }
      if (f.number == 13 && f.wire == kLen) {
        external = true;
        if (auto e = entry(f.bytes, spec, where); !e) return e;
        continue;
      }
      if (out) kept += as_string(f.encoding);
    }
    if (!external) {
      if (out) *out += as_string(in);
      return {};
    }
    refs.push_back(spec.ref);
    if (!out) return {};
    const std::string name = "tensor \"" + spec.ref.tensor + "\" (" + where + ")";
    if (raw) return Failure{kInvalidArgument, name + " has both raw_data and external data"};
    auto data = loader_(spec, ctx_);
    if (!data) return data.failure();
    *out += kept;
    put_len_field(*out, 9, *data);
    return {};
  }

  Result<void> entry(std::span<const uint8_t> in, ExternalSpec& spec, const std::string& where) {
    Reader r(in);
    std::string error, key, value;
    while (!r.done()) {
      Field f;
      if (!r.next(f, error)) return malformed(where + ".external_data", error);
      if (f.wire != kLen) continue;
      if (f.number == 1) key = as_string(f.bytes);
      if (f.number == 2) value = as_string(f.bytes);
    }
    if (key == "location")
      spec.ref.location = value;
    else if (key == "offset")
      spec.offset = value;
    else if (key == "length")
      spec.length = value;
    else if (key != "checksum" && spec.unknown_key.empty())
      spec.unknown_key = key.empty() ? "\"\"" : key;
    return {};
  }

  static Failure malformed(const std::string& where, const std::string& why) {
    return Failure{kInvalidEncoding, "the ONNX model is not well-formed protobuf: " + why + " in " + where};
  }

  Loader loader_;
  void* ctx_;
};

Result<std::string> no_loader(const ExternalSpec&, void*) { return Failure{kRuntimeError, "internal: no loader"}; }

// ---- reading external data beneath the model's directory ----------------

struct Beneath {
  int dirfd = -1;
  std::string dir;
  uint64_t total = 0;  // model + inlined bytes so far
};

// A decimal external_data number ("offset", "length").
std::optional<uint64_t> parse_u64(const std::string& s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + uint64_t(c - '0');
  }
  return v;
}

// Opens `rel` beneath `dirfd`, the kernel refusing any escape (RESOLVE_BENEATH:
// "..", absolute symlinks, symlinks leading out); realpath on kernels before 5.6.
int open_beneath(const Beneath& b, const std::string& rel, std::string& why) {
  open_how how{};
  how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  int fd = int(::syscall(SYS_openat2, b.dirfd, rel.c_str(), &how, sizeof how));
  if (fd >= 0 || errno != ENOSYS) {
    if (fd < 0) why = errno == EXDEV ? "it leads out of the model's directory" : std::strerror(errno);
    return fd;
  }
  char real_dir[PATH_MAX], real[PATH_MAX];
  if (!::realpath(b.dir.c_str(), real_dir) || !::realpath((b.dir + "/" + rel).c_str(), real)) {
    why = std::strerror(errno);
    return -1;
  }
  const std::string root = std::string(real_dir) + "/";
  if (std::string(real).rfind(root, 0) != 0) {
    why = "it leads out of the model's directory";
    return -1;
  }
  fd = ::open(real, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
  if (fd < 0) why = std::strerror(errno);
  return fd;
}

Result<std::string> load_beneath(const ExternalSpec& spec, void* ctx) {
  Beneath& b = *static_cast<Beneath*>(ctx);
  const std::string& loc = spec.ref.location;
  const std::string name = "tensor \"" + spec.ref.tensor + "\" (" + spec.ref.where + "): external data \"" + loc + "\"";
  if (!spec.unknown_key.empty())
    return Failure{kInvalidArgument,
                   "tensor \"" + spec.ref.tensor + "\": unknown external_data key " + spec.unknown_key};
  if (loc.empty())
    return Failure{kInvalidArgument, "tensor \"" + spec.ref.tensor + "\": external data without a location"};
  if (loc.find('\0') != std::string::npos) return Failure{kInvalidArgument, name + ": the location holds a NUL byte"};
  if (loc[0] == '/')
    return Failure{kInvalidArgument,
                   name + " is an absolute path; only paths inside the model's directory are allowed"};
  for (size_t start = 0; start <= loc.size();) {
    size_t slash = loc.find('/', start);
    if (slash == std::string::npos) slash = loc.size();
    if (loc.compare(start, slash - start, "..") == 0 && slash - start == 2)
      return Failure{kInvalidArgument,
                     name + " has a \"..\" component; only paths inside the model's directory are allowed"};
    start = slash + 1;
  }
  std::string why;
  const int fd = open_beneath(b, loc, why);
  if (fd < 0) return Failure{kInvalidArgument, name + " cannot be opened in " + b.dir + ": " + why};
  struct stat st;
  std::string data;
  Failure fail{kInvalidArgument, ""};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    fail.why = name + " is not a regular file";
  } else {
    const uint64_t size = uint64_t(st.st_size);
    auto off = spec.offset ? parse_u64(*spec.offset) : std::optional<uint64_t>(0);
    auto len = spec.length ? parse_u64(*spec.length)
                           : (off && *off <= size ? std::optional<uint64_t>(size - *off) : std::nullopt);
    if (!off || !len || *off > size || *len > size - *off) {
      fail.why = name + ": offset " + spec.offset.value_or("0") + " / length " + spec.length.value_or("(rest)") +
                 " do not fit its " + std::to_string(size) + " bytes";
    } else if (b.total + *len > uint64_t(INT32_MAX)) {
      fail = Failure{kTooLarge, name + ": the model with its external data inlined would exceed protobuf's 2 GiB"};
    } else {
      data.resize(size_t(*len));
      size_t done = 0;
      while (done < data.size()) {
        ssize_t n = ::pread(fd, data.data() + done, data.size() - done, off_t(*off + done));
        if (n <= 0) break;
        done += size_t(n);
      }
      if (done != data.size())
        fail.why = name + ": short read";
      else
        b.total += *len;
    }
  }
  ::close(fd);
  if (!fail.why.empty()) return fail;
  return data;
}

}  // namespace

Result<std::vector<OnnxExternalRef>> onnx_external_refs(std::span<const uint8_t> model) {
  Walker w(&no_loader, nullptr);
  if (auto r = w.walk(model, Msg::Model, 0, "model", nullptr); !r) return r.failure();
  return std::move(w.refs);
}

Result<void> refuse_onnx_external_data(std::span<const uint8_t> model) {
  auto refs = onnx_external_refs(model);
  if (!refs) return refs.failure();
  if (refs->empty()) return {};
  const OnnxExternalRef& r = refs->front();
  return Failure{kInvalidArgument, "tensor \"" + r.tensor + "\" (" + r.where + ") names external data" +
                                       (r.location.empty() ? std::string() : " \"" + r.location + "\"") +
                                       ": external data is not allowed in a model passed to load (" +
                                       std::to_string(refs->size()) +
                                       " such tensor(s)); inline the weights, or have the host preload the model"};
}

Result<std::vector<uint8_t>> inline_onnx_external_data(std::span<const uint8_t> model, const std::string& dir,
                                                       bool& changed) {
  changed = false;
  auto refs = onnx_external_refs(model);
  if (!refs) return refs.failure();
  if (refs->empty()) return std::vector<uint8_t>();
  Beneath b;
  b.dir = dir.empty() ? "." : dir;
  b.total = model.size();
  b.dirfd = ::open(b.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (b.dirfd < 0)
    return Failure{kNotFound, "cannot open the model's directory " + b.dir + ": " + std::strerror(errno)};
  Walker w(&load_beneath, &b);
  std::string out;
  auto r = w.walk(model, Msg::Model, 0, "model", &out);
  ::close(b.dirfd);
  if (!r) return r.failure();
  changed = true;
  return std::vector<uint8_t>(out.begin(), out.end());
}

}  // namespace wnn::nn
