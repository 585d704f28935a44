// The host functions of `wasi_ephemeral_nn`: decode and bounds-check the
// guest's pointers and enums, manage handles, call the backend, and log one
// line on stderr for every failed call.
#include "wnn/nn.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "nn/backend.h"
#include "nn/graph_config.h"
#include "nn/onnx_refs.h"
#include "nn/state.h"
#include "nn/worker/proxy.h"
#include "runtime/objects.h"
#include "wasi/guest_memory.h"
#include "wnn/runtime.h"

namespace wnn {

namespace {

using nn::Failure;
using nn::Result;
using State = nn::State;
using wasi::GuestMemory;

struct Call {
  State& s;
  GuestMemory mem;
  uint64_t caller;  // Instance::serial (0: no wasm caller); an address could be a new instance's
  bool has_memory;
};

using Impl = Result<void> (*)(Call& c, const uint64_t* a);

constexpr uint32_t kMaxBuilders = 64;
constexpr uint32_t kMaxRank = 32;

uint32_t arg(const uint64_t* a, int i) { return uint32_t(a[i]); }

Failure bad_pointer(const char* what, uint64_t ptr, uint64_t len, const GuestMemory&) {
  return Failure{nn::kInvalidArgument, std::string(what) + " [" + std::to_string(ptr) + ", +" + std::to_string(len) +
                                           ") is outside the guest's memory"};
}

Result<void> store_u32(Call& c, uint32_t ptr, uint32_t v, const char* what) {
  if (!c.mem.store<uint32_t>(ptr, v)) return bad_pointer(what, ptr, 4, c.mem);
  return {};
}

// A new handle for the caller, within its limit of live handles.
Result<uint32_t> new_handle(Call& c) {
  State& s = c.s;
  if (s.max_handles) {
    uint64_t live = 0;  // a scan: handles are few, and creating one costs far more
    for (const auto& [h, g] : s.graphs) live += g.owner == c.caller;
    for (const auto& [h, e] : s.execs) live += e.owner == c.caller;
    if (live >= s.max_handles)
      return Failure{nn::kRuntimeError, "too many graphs and execution contexts: " + std::to_string(live) +
                                            " live, the limit is " + std::to_string(s.max_handles) +
                                            " (--nn-max-handles); unload or finalize some"};
  }
  if (s.next_handle == UINT32_MAX) return Failure{nn::kRuntimeError, "out of handles (2^32 - 1 handed out)"};
  return s.next_handle++;
}

Result<State::GraphEntry*> find_graph(Call& c, uint32_t h) {
  auto it = c.s.graphs.find(h);
  if (it == c.s.graphs.end()) {
    const bool ctx = c.s.execs.count(h);
    return Failure{nn::kInvalidArgument, "graph handle " + std::to_string(h) + " is " +
                                             (ctx                   ? "an execution context, not a graph"
                                              : h < c.s.next_handle ? "stale (unloaded)"
                                                                    : "unknown")};
  }
  if (it->second.owner != c.caller)
    return Failure{nn::kInvalidArgument, "graph handle " + std::to_string(h) + " belongs to another instance"};
  return &it->second;
}

Result<State::ExecEntry*> find_exec(Call& c, uint32_t h) {
  auto it = c.s.execs.find(h);
  if (it == c.s.execs.end()) {
    const bool graph = c.s.graphs.count(h);
    return Failure{nn::kInvalidArgument, "execution context handle " + std::to_string(h) + " is " +
                                             (graph                 ? "a graph, not an execution context"
                                              : h < c.s.next_handle ? "stale (finalized)"
                                                                    : "unknown")};
  }
  if (it->second.owner != c.caller)
    return Failure{nn::kInvalidArgument,
                   "execution context handle " + std::to_string(h) + " belongs to another instance"};
  return &it->second;
}

Result<void> add_graph(Call& c, std::shared_ptr<nn::Graph> g, uint32_t out_ptr) {
  auto h = new_handle(c);
  if (!h) return h.failure();
  c.s.graphs[*h] = State::GraphEntry{std::move(g), c.caller};
  return store_u32(c, out_ptr, *h, "graph_out_ptr");
}

// Whether `parts` may be read by OpenVINO's ONNX frontend: encoding onnx, or
// autodetect of one builder that is neither TFLite (a flatbuffer) nor IR xml.
bool may_be_onnx(std::span<const std::span<const uint8_t>> parts, nn::Encoding e) {
  if (parts.size() != 1) return false;
  if (e == nn::Encoding::Onnx) return true;
  return e == nn::Encoding::Autodetect && !nn::looks_like_tflite(parts[0]) && !nn::looks_like_ir_xml(parts[0]);
}

// A guest's ONNX model may name no file (external data): refused before any
// backend sees it. Autodetected bytes that are not well-formed protobuf are
// refused too: no frontend wnn asks (onnx, tf) would read them.
Result<void> check_guest_model(std::span<const std::span<const uint8_t>> parts, nn::Encoding e) {
  if (!may_be_onnx(parts, e)) return {};
  return nn::refuse_onnx_external_data(parts[0]);
}

// The backend for `e`: the worker-process proxy under process isolation
// (without opening OpenVINO in wnn itself), else the in-process one.
nn::Backend* backend_of(State& s, nn::Encoding e) {
  if (!s.isolated) return nn::backend_for(e);
  if (!nn::backend_available(e)) return nullptr;
  return s.isolated.get();
}

// Autodetect of a GGUF file is encoding ggml (only llama.cpp reads GGUF).
nn::Encoding resolve_encoding(std::span<const std::span<const uint8_t>> parts, nn::Encoding e) {
  if (e == nn::Encoding::Autodetect && parts.size() == 1 && nn::looks_like_gguf(parts[0])) return nn::Encoding::Ggml;
  return e;
}

Result<void> load_parts(Call& c, std::span<const std::span<const uint8_t>> parts, uint32_t enc, uint32_t tgt,
                        uint32_t out_ptr) {
  if (enc >= nn::kEncodingCount)
    return Failure{nn::kInvalidEncoding,
                   "graph encoding " + std::to_string(enc) +
                       " is not a graph_encoding (witx's openvino 0 .. autodetect 5, WasmEdge's ggml 6)"};
  if (tgt >= nn::kTargetCount)
    return Failure{nn::kInvalidArgument,
                   "execution target " + std::to_string(tgt) + " is not a witx execution_target (cpu 0, gpu 1, tpu 2)"};
  if (!c.mem.ok(out_ptr, 4)) return bad_pointer("graph_out_ptr", out_ptr, 4, c.mem);
  const auto encoding = resolve_encoding(parts, nn::Encoding(enc));
  nn::Backend* b = backend_of(c.s, encoding);
  if (!b) return Failure{nn::kInvalidEncoding, nn::missing_backend_reason(encoding)};
  if (auto ok = check_guest_model(parts, encoding); !ok) return ok;
  auto g = b->load(parts, encoding, nn::Target(tgt), c.s.load_options);
  if (!g) return g.failure();
  return add_graph(c, std::move(*g), out_ptr);
}

// load(builders_ptr, builders_len, encoding, target, graph_out_ptr)
Result<void> nn_load(Call& c, const uint64_t* a) {
  const uint32_t bptr = arg(a, 0), blen = arg(a, 1);
  if (blen > kMaxBuilders)
    return Failure{nn::kInvalidArgument,
                   "builders_len " + std::to_string(blen) + " exceeds " + std::to_string(kMaxBuilders)};
  if (!c.mem.ok(bptr, uint64_t(blen) * 8)) return bad_pointer("graph builder array", bptr, uint64_t(blen) * 8, c.mem);
  std::vector<std::span<const uint8_t>> parts;
  for (uint32_t i = 0; i < blen; ++i) {
    uint32_t p = 0, n = 0;
    (void)c.mem.load(bptr + uint64_t(i) * 8, p);
    (void)c.mem.load(bptr + uint64_t(i) * 8 + 4, n);
    const uint8_t* bytes = c.mem.ptr(p, n);
    if (!bytes) return bad_pointer(("graph builder " + std::to_string(i)).c_str(), p, n, c.mem);
    parts.emplace_back(bytes, n);
  }
  uint64_t total = 0;
  for (const auto& part : parts) total += part.size();
  if (c.s.max_model_bytes && total > c.s.max_model_bytes)
    return Failure{nn::kTooLarge, "the model's " + std::to_string(total) + " bytes exceed the limit of " +
                                      std::to_string(c.s.max_model_bytes) + " (--nn-max-model-bytes)"};
  return load_parts(c, parts, arg(a, 2), arg(a, 3), arg(a, 4));
}

// `config`: the guest's (load_by_name_with_config), merged over the command line's.
Result<void> load_named(Call& c, uint32_t name_ptr, uint32_t name_len, std::string_view config, uint32_t out_ptr) {
  std::string_view name;
  if (!c.mem.string(name_ptr, name_len, name)) return bad_pointer("graph name", name_ptr, name_len, c.mem);
  if (!c.mem.ok(out_ptr, 4)) return bad_pointer("graph_out_ptr", out_ptr, 4, c.mem);
  State::Named* entry = nullptr;
  std::string have;
  for (State::Named& n : c.s.named) {
    if (n.spec.name == name) entry = &n;
    have += (have.empty() ? "" : ", ") + n.spec.name;
  }
  if (!entry)
    return Failure{nn::kNotFound,
                   "no graph named \"" + std::string(name) + "\" (named graphs: " +
                       (have.empty() ? "none; give some with -S nn-graph=ENCODING::DIR or --nn-preload" : have) + ")"};
  auto merged = nn::GraphConfig::merge(entry->spec.config, config);
  if (!merged) return merged.failure();
  if (entry->graph && !entry->graph->alive()) entry->graph.reset();  // its worker died: load afresh
  // One compiled graph per name, for the last config asked: another config
  // compiles anew (handles to the old graph keep it until unloaded).
  if (entry->graph && entry->graph_config != *merged) entry->graph.reset();
  if (!entry->graph) {
    nn::Backend* b = backend_of(c.s, entry->encoding);
    if (!b) return Failure{nn::kInvalidEncoding, nn::missing_backend_reason(entry->encoding)};
    std::vector<std::vector<uint8_t>> files;
    for (const std::string& p : entry->spec.paths) {
      auto bytes = nn::read_host_file(p);
      if (!bytes) return Failure{nn::kNotFound, "graph \"" + entry->spec.name + "\": " + bytes.failure().why};
      files.push_back(std::move(*bytes));
    }
    std::vector<std::span<const uint8_t>> parts(files.begin(), files.end());
    const nn::Encoding encoding = resolve_encoding(parts, entry->encoding);
    if (encoding != entry->encoding) {
      b = backend_of(c.s, encoding);
      if (!b) return Failure{nn::kInvalidEncoding, nn::missing_backend_reason(encoding)};
    }
    if (may_be_onnx(parts, encoding)) {
      // External data is read here, from the model's own directory only, and
      // inlined: the backend gets bytes, never a path.
      const std::string& path = entry->spec.paths[0];
      const size_t slash = path.rfind('/');
      const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
      bool changed = false;
      auto inlined = nn::inline_onnx_external_data(parts[0], dir, changed);
      if (!inlined)
        return Failure{inlined.failure().code,
                       "graph \"" + entry->spec.name + "\" (" + path + "): " + inlined.failure().why};
      if (changed) {
        files[0] = std::move(*inlined);
        parts[0] = files[0];
      }
    }
    nn::LoadOptions options = c.s.load_options;
    options.config = *merged;
    auto g = b->load(parts, encoding, entry->target, options);
    if (!g) return Failure{g.failure().code, "graph \"" + entry->spec.name + "\": " + g.failure().why};
    entry->graph = std::move(*g);
    entry->graph_config = std::move(*merged);
  }
  return add_graph(c, entry->graph, out_ptr);
}

// load_by_name(name_ptr, name_len, graph_out_ptr)
Result<void> nn_load_by_name(Call& c, const uint64_t* a) { return load_named(c, arg(a, 0), arg(a, 1), {}, arg(a, 2)); }

// load_by_name_with_config(name_ptr, name_len, config_ptr, config_len, graph_out_ptr)
Result<void> nn_load_by_name_with_config(Call& c, const uint64_t* a) {
  std::string_view config;
  if (!c.mem.string(arg(a, 2), arg(a, 3), config)) return bad_pointer("config", arg(a, 2), arg(a, 3), c.mem);
  // Syntax, size and depth are checked here (graph_config.h), the keys by the backend.
  return load_named(c, arg(a, 0), arg(a, 1), config, arg(a, 4));
}

// init_execution_context(graph, ctx_out_ptr)
Result<void> nn_init_execution_context(Call& c, const uint64_t* a) {
  auto g = find_graph(c, arg(a, 0));
  if (!g) return g.failure();
  if (!c.mem.ok(arg(a, 1), 4)) return bad_pointer("ctx_out_ptr", arg(a, 1), 4, c.mem);
  auto e = (*g)->graph->create_execution();
  if (!e) return e.failure();
  auto h = new_handle(c);
  if (!h) return h.failure();
  c.s.execs[*h] = State::ExecEntry{std::move(*e), (*g)->graph, c.caller};
  return store_u32(c, arg(a, 1), *h, "ctx_out_ptr");
}

// Decodes the 20-byte tensor record at `ptr`.
// byte_string: a u8 tensor's dims need not multiply to its length (a
// prompt: WasmEdge's GGML guests pass dims [1]).
Result<nn::TensorView> read_tensor(Call& c, uint32_t ptr, bool byte_string) {
  if (!c.mem.ok(ptr, 20)) return bad_pointer("tensor record", ptr, 20, c.mem);
  uint32_t dims_ptr = 0, dims_len = 0, data_ptr = 0, data_len = 0;
  uint8_t type = 0;
  (void)c.mem.load(ptr, dims_ptr);
  (void)c.mem.load(ptr + 4, dims_len);
  (void)c.mem.load(ptr + 8, type);  // +9..+11 is padding the guest leaves uninitialised
  (void)c.mem.load(ptr + 12, data_ptr);
  (void)c.mem.load(ptr + 16, data_len);
  if (type >= nn::kTensorTypeCount)
    return Failure{nn::kInvalidArgument, "tensor type " + std::to_string(type) +
                                             " is not a witx tensor_type (f16 0, f32 1, f64 2, u8 3, i32 4, i64 5)"};
  if (dims_len > kMaxRank)
    return Failure{nn::kInvalidArgument,
                   "tensor rank " + std::to_string(dims_len) + " exceeds " + std::to_string(kMaxRank)};
  if (!c.mem.ok(dims_ptr, uint64_t(dims_len) * 4))
    return bad_pointer("tensor dimensions", dims_ptr, uint64_t(dims_len) * 4, c.mem);
  nn::TensorView t;
  t.type = nn::TensorType(type);
  t.dims.resize(dims_len);
  for (uint32_t i = 0; i < dims_len; ++i) (void)c.mem.load(dims_ptr + uint64_t(i) * 4, t.dims[i]);
  const uint8_t* data = c.mem.ptr(data_ptr, data_len);
  if (!data) return bad_pointer("tensor data", data_ptr, data_len, c.mem);
  // product(dims) x element size, with overflow check (the product of up to 32 u32s).
  unsigned __int128 want = nn::element_size(t.type);
  for (uint32_t d : t.dims) {
    want *= d;
    if (want > (unsigned __int128)UINT64_MAX) want = (unsigned __int128)UINT64_MAX;
  }
  if (want != data_len && !(byte_string && t.type == nn::TensorType::U8))
    return Failure{nn::kInvalidArgument,
                   "tensor data length " + std::to_string(data_len) + " != " + std::to_string(uint64_t(want)) +
                       " = product of dims " + nn::dims_string(t.dims) + " x " +
                       std::to_string(nn::element_size(t.type)) + " bytes (" + nn::tensor_type_name(t.type) + ")"};
  t.data = std::span<const uint8_t>(data, data_len);
  return t;
}

// set_input(ctx, index, tensor_ptr)
Result<void> nn_set_input(Call& c, const uint64_t* a) {
  auto e = find_exec(c, arg(a, 0));
  if (!e) return e.failure();
  auto t = read_tensor(c, arg(a, 2), (*e)->exec->byte_string_inputs());
  if (!t) return t.failure();
  return (*e)->exec->set_input(arg(a, 1), *t);
}

// compute(ctx)
Result<void> nn_compute(Call& c, const uint64_t* a) {
  auto e = find_exec(c, arg(a, 0));
  if (!e) return e.failure();
  return (*e)->exec->compute();
}

using GetOutput = Result<void> (nn::Execution::*)(uint32_t, std::span<uint8_t>, uint64_t&);

// get_output / get_output_single(ctx, index, out_ptr, out_max_bytes, bytes_written_out_ptr)
Result<void> get_output_with(Call& c, const uint64_t* a, GetOutput get) {
  auto e = find_exec(c, arg(a, 0));
  if (!e) return e.failure();
  const uint32_t out_ptr = arg(a, 2), out_max = arg(a, 3), bw_ptr = arg(a, 4);
  uint8_t* out = c.mem.ptr(out_ptr, out_max);
  if (!out) return bad_pointer("output buffer", out_ptr, out_max, c.mem);
  if (!c.mem.ok(bw_ptr, 4)) return bad_pointer("bytes_written_out_ptr", bw_ptr, 4, c.mem);
  uint64_t needed = 0;
  auto r = ((*e)->exec.get()->*get)(arg(a, 1), std::span<uint8_t>(out, out_max), needed);
  if (r || r.failure().code == nn::kTooLarge) {
    if (needed > UINT32_MAX)
      return Failure{nn::kTooLarge, "output of " + std::to_string(needed) + " bytes exceeds 4 GiB"};
    (void)c.mem.store<uint32_t>(bw_ptr, uint32_t(needed));  // too_large: the size the guest must allocate
  }
  if (!r && r.failure().code == nn::kTooLarge && out_max == 0) {
    Failure f = r.failure();
    f.quiet = true;  // a size query, not a mistake
    return f;
  }
  return r;
}

Result<void> nn_get_output(Call& c, const uint64_t* a) { return get_output_with(c, a, &nn::Execution::get_output); }

// WasmEdge's token streaming (generative graphs; unsupported_operation on others).
// compute_single(ctx)
Result<void> nn_compute_single(Call& c, const uint64_t* a) {
  auto e = find_exec(c, arg(a, 0));
  if (!e) return e.failure();
  return (*e)->exec->compute_single();
}
// get_output_single(ctx, index, out_ptr, out_max_bytes, bytes_written_out_ptr)
Result<void> nn_get_output_single(Call& c, const uint64_t* a) {
  return get_output_with(c, a, &nn::Execution::get_output_single);
}
// fini_single(ctx)
Result<void> nn_fini_single(Call& c, const uint64_t* a) {
  auto e = find_exec(c, arg(a, 0));
  if (!e) return e.failure();
  return (*e)->exec->fini_single();
}

// unload(graph): execution contexts made from it stay usable.
Result<void> nn_unload(Call& c, const uint64_t* a) {
  auto g = find_graph(c, arg(a, 0));
  if (!g) return g.failure();
  c.s.graphs.erase(arg(a, 0));
  return {};
}

// finalize_execution_context(ctx)
Result<void> nn_finalize_execution_context(Call& c, const uint64_t* a) {
  auto e = find_exec(c, arg(a, 0));
  if (!e) return e.failure();
  c.s.execs.erase(arg(a, 0));
  return {};
}

struct FuncSpec {
  const char* name;
  uint32_t nparams;  // all i32; every function returns an i32 nn_errno
  Impl impl;
  bool needs_memory;
};

const FuncSpec kFuncs[] = {
    {"load", 5, &nn_load, true},
    {"load_by_name", 3, &nn_load_by_name, true},
    {"load_by_name_with_config", 5, &nn_load_by_name_with_config, true},
    {"init_execution_context", 2, &nn_init_execution_context, true},
    {"set_input", 3, &nn_set_input, true},
    {"compute", 1, &nn_compute, false},
    {"get_output", 5, &nn_get_output, true},
    {"compute_single", 1, &nn_compute_single, false},
    {"get_output_single", 5, &nn_get_output_single, true},
    {"fini_single", 1, &nn_fini_single, false},
    {"unload", 1, &nn_unload, false},
    {"finalize_execution_context", 1, &nn_finalize_execution_context, false},
};

const FuncSpec* find_spec(std::string_view module, std::string_view name) {
  if (module != NnContext::kModule) return nullptr;
  for (const FuncSpec& f : kFuncs)
    if (name == f.name) return &f;
  return nullptr;
}

FuncType type_of(const FuncSpec& f) {
  FuncType t;
  t.params.assign(f.nparams, ValType::I32);
  t.results.push_back(ValType::I32);
  return t;
}

}  // namespace

NnContext::NnContext() : state_(std::make_unique<State>()) {}
NnContext::~NnContext() = default;

std::optional<FuncType> NnContext::function_type(std::string_view module, std::string_view name) {
  const FuncSpec* f = find_spec(module, name);
  if (!f) return std::nullopt;
  return type_of(*f);
}

std::string NnContext::backends_summary() {
  std::vector<std::string> b = nn::available_backends();
  if (b.empty()) return "none (" + nn::missing_backend_reason(nn::Encoding::OpenVino) + ")";
  std::string s;
  for (const std::string& n : b) s += (s.empty() ? "" : ", ") + n;
  return s;
}

Expected<std::unique_ptr<NnContext>> NnContext::create(const NnConfig& config) {
  std::unique_ptr<NnContext> ctx(new NnContext());
  State& s = *ctx->state_;
  if (const char* t = std::getenv("WNN_NN_TRACE")) s.trace = *t && *t != '0';
  s.load_options.cache_dir = config.cache_dir;
  s.load_options.max_tensor_bytes = config.max_tensor_bytes;
  s.max_model_bytes = config.max_model_bytes;
  s.max_handles = config.max_handles;
  if (config.isolation == NnConfig::Isolation::Process)
    s.isolated = nn::worker::make_process_backend({config.cache_dir, config.max_memory});
  for (const NnPreload& p : config.graphs) {
    State::Named n;
    n.spec = p;
    auto enc = nn::parse_encoding(p.encoding);
    if (!enc)
      return Error(ErrorKind::Usage, "named graph \"" + p.name + "\": unknown encoding \"" + p.encoding +
                                         "\" (openvino, onnx, tensorflow, tensorflowlite, autodetect, ggml)");
    auto tgt = nn::parse_target(p.target.empty() ? "cpu" : p.target);
    if (!tgt)
      return Error(ErrorKind::Usage,
                   "named graph \"" + p.name + "\": unknown target \"" + p.target + "\" (cpu, gpu, tpu, auto)");
    if (p.name.empty() || p.paths.empty())
      return Error(ErrorKind::Usage, "named graph needs a name and at least one file");
    for (const State::Named& o : s.named)
      if (o.spec.name == p.name) return Error(ErrorKind::Usage, "two named graphs called \"" + p.name + "\"");
    if (auto cfg = nn::GraphConfig::parse(p.config); !cfg)
      return Error(ErrorKind::Usage, "named graph \"" + p.name + "\": " + cfg.failure().why);
    n.encoding = *enc;
    n.target = *tgt;
    s.named.push_back(std::move(n));
  }
  return ctx;
}

void NnContext::start_worker() {
  if (state_->isolated) nn::worker::start_early(*state_->isolated);
}

std::optional<Extern> NnContext::resolve(Store& store, std::string_view module, std::string_view name) {
  const FuncSpec* f = find_spec(module, name);
  if (!f) return std::nullopt;
  State* state = state_.get();
  if (state->isolated) nn::worker::start_early(*state->isolated);
  HostFunction fn = [state, f](HostContext& hc, uint64_t* slots) -> Expected<void> {
    Call c{*state, GuestMemory(hc.memory), hc.caller ? hc.caller->serial : 0, hc.memory != nullptr};
    std::string args;
    if (state->trace)
      for (uint32_t i = 0; i < f->nparams; ++i) args += (i ? ", " : "") + std::to_string(uint32_t(slots[i]));
    nn::worker::CallScope scope(hc.store);  // an interrupt ends a wait for the worker
    Result<void> r = (f->needs_memory && !c.has_memory)
                         ? Result<void>(Failure{nn::kMissingMemory, "the calling module has no memory"})
                         : f->impl(c, slots);
    const uint32_t code = r ? nn::kSuccess : r.failure().code;
    if (!r && !r.failure().quiet)
      std::fprintf(stderr, "wnn: wasi-nn: %s: %s [%s]\n", f->name, r.failure().why.c_str(), nn::errno_name(code));
    if (state->trace) std::fprintf(stderr, "[wasi-nn] %s(%s) -> %u\n", f->name, args.c_str(), code);
    if (scope.interrupted()) return interrupted_error();  // the guest traps, as in a WASI call
    slots[0] = code;
    return {};
  };
  FuncInst* inst = store.create_host_function(type_of(*f), std::move(fn), std::string(module) + "::" + f->name);
  return Extern{ExternKind::Func, inst};
}

}  // namespace wnn
