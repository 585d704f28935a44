// wasi-nn for embedders: an NnContext provides the host functions of the
// module `wasi_ephemeral_nn` (witx ABI, plus WasmEdge's named-graph and
// lifetime extensions) on top of the backends built into wnn (OpenVINO).
//
//   NnConfig cfg;                                   // optional named graphs
//   cfg.graphs.push_back(*NnContext::parse_preload("net:openvino:cpu:m.xml:m.bin"));
//   auto nn = NnContext::create(cfg);
//   store.instantiate(module, [&](auto m, auto n) { ... (*nn)->resolve(store, m, n) ... });
//
// Every failed call returns an nn_errno to the guest and writes one line on
// stderr saying why ("wnn: wasi-nn: <function>: <reason> [<errno>]"); the
// table of errors is in docs/wasi-nn.md. Nothing a guest passes can crash
// the host or trap the guest.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wnn/expected.h"
#include "wnn/host.h"
#include "wnn/types.h"

namespace wnn {

class Store;
namespace nn {
struct State;  // handle tables and named graphs (src/nn/state.h)
}

// A graph the guest can load by name (load_by_name); read and compiled on
// the first load_by_name, then shared by every later one.
struct NnPreload {
  std::string name;
  std::string encoding;            // openvino, onnx, tensorflow, tensorflowlite, autodetect (any case)
  std::string target;              // cpu, gpu, tpu (npu), auto (= cpu)
  std::vector<std::string> paths;  // host files, one per graph builder (openvino: xml, bin)
  // The graph's configuration, a JSON object (`wnn run --nn-config NAME=JSON`;
  // keys per backend, docs/wasi-nn.md); a guest's load_by_name_with_config
  // config is merged over it, key by key. Empty: none.
  std::string config;
};

struct NnConfig {
  std::vector<NnPreload> graphs;
  // OpenVINO's compiled-model cache (ov::cache_dir): a later load of the same
  // model on the same device reads the compiled blob instead of compiling.
  // Empty: no cache. `wnn run --nn-cache DIR`.
  std::string cache_dir;
  // The most model bytes a guest may pass to `load` (all builders together),
  // 0 for no limit; more is `too_large`. `wnn run --nn-max-model-bytes`.
  uint64_t max_model_bytes = 0;
  // The most graphs and execution contexts one instance may hold at once
  // (each owns host memory: a compiled model, an inference request); 0 for
  // no limit; more is `runtime_error`. `wnn run --nn-max-handles`.
  uint32_t max_handles = 1024;
  // The most bytes any one tensor of a computation may take (inputs,
  // intermediates, outputs), checked before the backend runs: for static
  // models at load, for models with dynamic shapes at each compute with the
  // guest's inputs (element counts are checked for overflow whatever the
  // cap); more is `too_large`. 0 for no cap. 2 GiB also keeps every count of
  // byte-sized elements within the i32 that OpenVINO's CPU kernels index with.
  // `wnn run --nn-max-tensor-bytes`.
  uint64_t max_tensor_bytes = uint64_t(2) << 30;
  // Where the inference engine runs. Process (`--nn-isolation=process`):
  // parsing, compiling and inference in a worker process per NnContext
  // (no network, no files beyond cache_dir, a seccomp filter, a memory
  // cap); a crash or hang there fails the call, never the host. None: in
  // wnn's own process (trusted models and guests only; a little faster).
  enum class Isolation { Process, None };
  Isolation isolation = Isolation::Process;
  // The worker's memory cap in bytes (RLIMIT_DATA: heap, anonymous maps,
  // thread stacks), 0 for none; `wnn run --nn-max-memory`. BlazeFace needs
  // 128 MiB; 4 GiB leaves room for real models and bounds a runaway one.
  uint64_t max_memory = uint64_t(4) << 30;
};

class NnContext {
 public:
  static constexpr std::string_view kModule = "wasi_ephemeral_nn";

  // Checks the names, encodings and targets of the named graphs (Usage error).
  static Expected<std::unique_ptr<NnContext>> create(const NnConfig& config);
  ~NnContext();
  NnContext(const NnContext&) = delete;
  NnContext& operator=(const NnContext&) = delete;

  // The host function for (module, name), created in `store`; nullopt when
  // this is not a wasi-nn function. The context must outlive the store's use.
  std::optional<Extern> resolve(Store& store, std::string_view module, std::string_view name);
  // Starts the worker process (Isolation::Process) now rather than at the
  // first resolve, so that its start-up (loading the inference engines, tens
  // of ms) overlaps the module's compile. Optional; a worker that fails to
  // start fails the first load, which says why.
  void start_worker();
  static std::optional<FuncType> function_type(std::string_view module, std::string_view name);
  static bool is_nn_module(std::string_view module) { return module == kModule; }

  // `--nn-preload NAME:ENCODING:TARGET:PATH[:PATH...]` (WasmEdge's syntax).
  static Expected<NnPreload> parse_preload(std::string_view spec);
  // "openvino" or "none (...how to install...)", for --help and messages.
  static std::string backends_summary();

 private:
  NnContext();
  std::unique_ptr<nn::State> state_;
};

}  // namespace wnn
