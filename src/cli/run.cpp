#include "cli/run.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "binary/decoder.h"
#include "cache/artifact.h"
#include "cache/code_cache.h"
#include "cli/code_commands.h"
#include "cli/module_file.h"
#include "cli/values.h"
#include "nn/graph_option.h"
#include "wnn/nn.h"
#include "wnn/runtime.h"
#include "wnn/wasi.h"

namespace wnn::cli {

namespace {

// Calls `expire` when `seconds` have passed (a wall-clock limit); stops
// waiting when destroyed.
class Watchdog {
 public:
  template <typename F> Watchdog(double seconds, F expire) {
    if (seconds <= 0) return;
    thread_ = std::thread([this, seconds, expire] {
      std::unique_lock lock(mutex_);
      if (!done_cv_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return done_; })) expire();
    });
  }
  ~Watchdog() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    done_cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread thread_;
};

// Which option or backend would provide an import wnn does not have.
std::string provider_hint(std::string_view module) {
  if (WasiContext::is_wasi_module(module)) return "not a function of " + std::string(module) + " (built in)";
  if (NnContext::is_nn_module(module))
    return "not a function of wasi_ephemeral_nn (wnn has load, load_by_name, load_by_name_with_config, "
           "init_execution_context, set_input, compute, get_output, compute_single, get_output_single, fini_single, "
           "unload, finalize_execution_context)";
  if (module.starts_with("wasi"))
    return "no provider: unknown WASI module (wnn has wasi_snapshot_preview1, wasi_unstable)";
  return "no provider";
}

std::string import_string(const ImportType& im) {
  std::string s = im.module + "::" + im.name + " (" + extern_kind_name(im.type.kind);
  if (im.type.kind == ExternKind::Func) s += " " + func_type_string(im.type.func);
  return s + ")";
}

// Every import must be a WASI or wasi-nn function of the right type: list all that are not.
Expected<void> check_imports(const CompiledModule& module) {
  std::string missing;
  for (const ImportType& im : module_imports(module)) {
    std::optional<FuncType> t = WasiContext::function_type(im.module, im.name);
    if (!t) t = NnContext::function_type(im.module, im.name);
    if (t && im.type.kind == ExternKind::Func && im.type.func == *t) continue;
    missing += "\n  " + import_string(im) + ": ";
    if (t)
      missing += "wnn provides it with type (func " + func_type_string(*t) + ")";
    else
      missing += provider_hint(im.module);
  }
  if (missing.empty()) return {};
  return Error(ErrorKind::Unlinkable, "the module needs imports that wnn does not provide:" + missing);
}

Expected<WasiConfig> wasi_config(const RunOptions& opt) {
  WasiConfig cfg;
  cfg.args.push_back(opt.module);
  for (const std::string& a : opt.args) cfg.args.push_back(a);
  for (const std::string& d : opt.dirs) {
    size_t sep = d.find("::");
    if (sep == std::string::npos)
      cfg.preopens.push_back({d, d});
    else
      cfg.preopens.push_back({d.substr(0, sep), d.substr(sep + 2)});
  }
  for (const std::string& d : opt.mapdirs) {
    size_t sep = d.find("::");
    if (sep == std::string::npos) return Error(ErrorKind::Usage, "--mapdir needs GUEST::HOST, got \"" + d + "\"");
    cfg.preopens.push_back({d.substr(sep + 2), d.substr(0, sep)});
  }
  for (const WasiPreopen& p : cfg.preopens)
    if (p.host_path.empty() || p.guest_path.empty())
      return Error(ErrorKind::Usage, "empty directory name in --dir/--mapdir");
  for (const std::string& e : opt.envs) {
    if (e.empty() || e[0] == '=') return Error(ErrorKind::Usage, "--env needs NAME=VALUE, got \"" + e + "\"");
    if (e.find('=') != std::string::npos) {
      cfg.env.push_back(e);
    } else if (const char* v = std::getenv(e.c_str())) {
      cfg.env.push_back(e + "=" + v);  // `--env NAME` passes the host's value, as Wasmtime does
    }
  }
  return cfg;
}

// -S options (Wasmtime's): `nn` (always on) and `nn-graph=ENCODING::DIR`;
// --nn-preload (WasmEdge's).
Expected<NnConfig> nn_config(const RunOptions& opt) {
  NnConfig cfg;
  for (const std::string& group : opt.wasi_opts) {
    size_t start = 0;
    while (start <= group.size()) {
      size_t comma = group.find(',', start);
      std::string o = group.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      start = comma == std::string::npos ? group.size() + 1 : comma + 1;
      if (o.empty() || o == "nn" || o == "nn=y" || o == "nn=true") continue;
      if (o.rfind("nn-graph=", 0) == 0) {
        auto p = nn::parse_graph_option(std::string_view(o).substr(9));
        if (!p) return p.error();
        cfg.graphs.push_back(std::move(*p));
        continue;
      }
      return Error(ErrorKind::Usage, "unknown -S option \"" + o + "\" (wnn knows nn, nn-graph=ENCODING::DIR)");
    }
  }
  for (const std::string& s : opt.nn_preload) {
    auto p = NnContext::parse_preload(s);
    if (!p) return p.error();
    cfg.graphs.push_back(std::move(*p));
  }
  for (const std::string& s : opt.nn_configs) {
    const size_t eq = s.find('=');
    if (eq == std::string::npos || eq == 0)
      return Error(ErrorKind::Usage, "--nn-config needs NAME=JSON, got \"" + s + "\"");
    const std::string name = s.substr(0, eq);
    auto g = std::find_if(cfg.graphs.begin(), cfg.graphs.end(), [&](const NnPreload& p) { return p.name == name; });
    if (g == cfg.graphs.end())
      return Error(ErrorKind::Usage, "--nn-config " + name + ": no named graph \"" + name +
                                         "\" (give it with --nn-preload or -S nn-graph first)");
    if (!g->config.empty()) return Error(ErrorKind::Usage, "--nn-config " + name + " given twice");
    g->config = s.substr(eq + 1);  // checked by NnContext::create
  }
  if (!opt.nn_cache.empty()) {
    // Made here so that a bad path is a clear error before the guest runs, not a failed load.
    std::error_code ec;
    std::filesystem::create_directories(opt.nn_cache, ec);
    if (ec || !std::filesystem::is_directory(opt.nn_cache, ec))
      return Error(ErrorKind::Io, "--nn-cache " + opt.nn_cache + ": cannot create the directory" +
                                      (ec ? ": " + ec.message() : std::string()));
    cfg.cache_dir = opt.nn_cache;
  }
  if (opt.nn_max_model_bytes) cfg.max_model_bytes = *opt.nn_max_model_bytes;
  if (opt.nn_max_tensor_bytes) cfg.max_tensor_bytes = *opt.nn_max_tensor_bytes;
  if (opt.nn_max_handles) cfg.max_handles = *opt.nn_max_handles;
  if (opt.nn_isolation_none) cfg.isolation = NnConfig::Isolation::None;
  if (opt.nn_max_memory) cfg.max_memory = *opt.nn_max_memory;
  return cfg;
}

StoreConfig store_config(const RunOptions& opt) {
  StoreConfig c;
  c.fuel = opt.fuel;
  if (opt.max_call_depth) c.max_call_depth = *opt.max_call_depth;
  if (opt.max_table_elems) c.max_table_elems = *opt.max_table_elems;
  if (opt.max_memory) c.max_total_bytes = *opt.max_memory;  // all memories and tables together
  return c;
}

// `wnn run --invoke NAME MODULE ARGS...`: the export's results, one per line.
int invoke(Store& store, Instance* inst, const RunOptions& opt) {
  const std::string& name = opt.invoke;
  auto ex = store.find_export(inst, name);
  if (!ex || ex->kind != ExternKind::Func) {
    std::string have;
    for (const auto& [n, e] : store.exports(inst))
      if (e.kind == ExternKind::Func) have += (have.empty() ? "" : ", ") + n;
    return report(Error(ErrorKind::Usage, "no exported function \"" + name +
                                              "\" (exported functions: " + (have.empty() ? "none" : have) + ")"));
  }
  const FuncType& type = store.func_type(ex->func());
  if (opt.args.size() != type.params.size())
    return report(Error(ErrorKind::Usage, "\"" + name + "\" has type " + func_type_string(type) + ": expected " +
                                              std::to_string(type.params.size()) + " argument(s), got " +
                                              std::to_string(opt.args.size())));
  std::vector<Value> args;
  for (size_t i = 0; i < opt.args.size(); ++i) {
    auto v = parse_value(opt.args[i], type.params[i]);
    if (!v) return report(v.error());
    args.push_back(*v);
  }
  // A WASI reactor initialises itself in `_initialize` before any other export runs.
  if (name != "_initialize")
    if (auto init = store.find_export(inst, "_initialize"); init && init->kind == ExternKind::Func) {
      auto r = store.invoke(init->func(), {});
      if (!r) return report(r.error());
    }
  auto results = store.invoke(ex->func(), args);
  if (!results) return report(results.error());
  for (const Value& v : *results) std::printf("%s\n", format_value(v).c_str());
  return 0;
}

}  // namespace

int report(const Error& e) {
  // proc_exit is not an error: the guest chose its exit code.
  if (e.kind == ErrorKind::Trap && e.trap == TrapKind::Exit) return e.exit_code & 0xff;
  std::fflush(stdout);
  std::fprintf(stderr, "wnn: %s: %s\n", error_kind_name(e.kind), e.message.c_str());
  return e.kind == ErrorKind::Usage ? 2 : 1;
}

int run(const RunOptions& opt) {
  auto cfg = wasi_config(opt);
  if (!cfg) return report(cfg.error());
  auto ncfg = nn_config(opt);
  if (!ncfg) return report(ncfg.error());
  auto nn = NnContext::create(*ncfg);
  if (!nn) return report(nn.error());
  auto file = ModuleFile::open(opt.module);
  if (!file) return report(file.error());
  // A guest of wasi-nn waits for the worker at its first load: start it now,
  // so that its start-up overlaps reading, compiling and instantiating.
  if (auto from = binary::imported_modules(file->head());
      std::find(from.begin(), from.end(), NnContext::kModule) != from.end())
    (*nn)->start_worker();
  auto bytes = file->read();
  if (!bytes) return report(bytes.error());

  // --timeout covers compiling, instantiating (segments, the start function) and running.
  Store store(store_config(opt));
  std::atomic<bool> stop_compiling{false};
  Watchdog watchdog(opt.timeout, [&store, &stop_compiling] {
    stop_compiling.store(true);
    store.interrupt();
  });
  CompileOptions compile_options;
  compile_options.interrupt = &stop_compiling;
  compile_options.tier = opt.tier;
  compile_options.jit_level = opt.jit_level;
  compile_options.exact_fuel = opt.fuel != 0;
  compile_options.profiling = opt.profiling;
  compile_options.profile_name = std::filesystem::path(opt.module).filename().string();
  // --- compiled code: the code cache, precompiled modules (cli/code_commands.h)
  if (!opt.no_cache)
    compile_options.code_cache_dir = opt.cache_dir.empty() ? cache::default_cache_dir() : opt.cache_dir;
  auto compiled = cache::is_artifact(*bytes) ? load_precompiled(opt, *bytes, compile_options)
                                             : compile(std::move(*bytes), compile_options);
  // ---
  if (!compiled) return report(compiled.error());
  if (auto r = check_imports(**compiled); !r) return report(r.error());
  auto wasi = WasiContext::create(*cfg);
  if (!wasi) return report(wasi.error());

  auto inst = store.instantiate(*compiled, [&](std::string_view m, std::string_view n) -> std::optional<Extern> {
    if (NnContext::is_nn_module(m)) return (*nn)->resolve(store, m, n);
    return (*wasi)->resolve(store, m, n);
  });
  if (!inst) return report(inst.error());
  if (!opt.invoke.empty()) return invoke(store, *inst, opt);

  auto start = store.find_export(*inst, "_start");
  if (!start || start->kind != ExternKind::Func) {
    // The old form `wnn run m.wasm --invoke f ...` now hands "--invoke" to the guest: say so
    // rather than silently running nothing.
    if (!opt.args.empty() && opt.args[0].starts_with("--invoke"))
      return report(Error(ErrorKind::Usage,
                          "the module has no _start, and arguments after the module path belong to the guest: to "
                          "call an export write `wnn run --invoke NAME " +
                              opt.module + " ARGS...`"));
    return 0;  // no _start: instantiation ran its start function
  }
  auto r = store.invoke(start->func(), {});
  if (!r) return report(r.error());
  return 0;
}

}  // namespace wnn::cli
