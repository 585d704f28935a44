// The state behind an NnContext: handle tables and named graphs.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "nn/backend.h"
#include "wnn/nn.h"

namespace wnn {

namespace nn {
struct State {
  struct GraphEntry {
    std::shared_ptr<nn::Graph> graph;
    uint64_t owner = 0;  // Instance::serial of the one that loaded it; other instances get invalid_argument
  };
  struct ExecEntry {
    std::unique_ptr<nn::Execution> exec;
    std::shared_ptr<nn::Graph> graph;  // keeps the graph alive after unload
    uint64_t owner = 0;
  };
  struct Named {
    NnPreload spec;
    nn::Encoding encoding = nn::Encoding::OpenVino;
    nn::Target target = nn::Target::Cpu;
    std::shared_ptr<nn::Graph> graph;  // loaded on first use
    std::string graph_config;          // the (merged) config `graph` was loaded with
  };

  // Graph and context handles come from one counter and are never reused,
  // so a stale handle, or a context handle passed as a graph, is unknown.
  uint32_t next_handle = 0;
  std::unordered_map<uint32_t, GraphEntry> graphs;
  std::unordered_map<uint32_t, ExecEntry> execs;
  std::vector<Named> named;
  bool trace = false;  // WNN_NN_TRACE=1: log every call
  nn::LoadOptions load_options;
  uint64_t max_model_bytes = 0;  // NnConfig::max_model_bytes
  uint32_t max_handles = 0;      // NnConfig::max_handles
  // NnConfig::isolation == Process: the worker-process backend (src/nn/worker), else null.
  std::unique_ptr<nn::Backend> isolated;
};

// Reads a whole host file (for named graphs).
Result<std::vector<uint8_t>> read_host_file(const std::string& path);
}  // namespace nn

}  // namespace wnn
