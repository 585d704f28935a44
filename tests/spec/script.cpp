// Runs the commands of one JSON file (module, register, action, assert_*)
// against one Store.
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <iterator>
#include <memory>

#include <nlohmann/json.hpp>

#include "cache/artifact.h"
#include "spec.h"
#include "wnn/runtime.h"

namespace wnn_spec {

namespace {

constexpr const char* kKindNames[kNumKinds] = {
    "module",
    "register",
    "action",
    "assert_return",
    "assert_trap",
    "assert_exhaustion",
    "assert_invalid",
    "assert_malformed",
    "assert_unlinkable",
    "assert_uninstantiable",
    "other",
    "(not run)",
};

using wnn::ErrorKind;
using wnn::Expected;
using CompiledPtr = std::shared_ptr<const wnn::CompiledModule>;

enum class Verdict { Pass, Fail, Skip };

struct Outcome {
  Verdict verdict = Verdict::Pass;
  std::string why;  // for failures
  static Outcome pass() { return {}; }
  static Outcome skip() { return {Verdict::Skip, {}}; }
  static Outcome fail(std::string why) { return {Verdict::Fail, std::move(why)}; }
};

wnn::Error harness_error(std::string msg) { return wnn::Error(ErrorKind::Usage, std::move(msg)); }

// An error message on one line (messages may carry a backtrace).
std::string one_line(std::string_view s) {
  while (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  std::string out;
  for (char c : s) {
    if (c == '\n')
      out += " / ";
    else
      out += c;
  }
  return out;
}

std::string error_string(const wnn::Error& e) {
  return std::string(wnn::error_kind_name(e.kind)) + ": " + one_line(e.message);
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

class Script {
 public:
  Script(const Options& opts, std::filesystem::path dir, std::string display, Stats& stats)
      : opts_(opts), dir_(std::move(dir)), display_(std::move(display)), stats_(stats) {}

  bool init(std::string& error) {
    ExternMap spectest;
    if (!make_spectest(store_, opts_.verbosity, spectest, error)) return false;
    registry_["spectest"] = std::move(spectest);
    return true;
  }

  void run(const json& cmd) {
    int kind = kOther;
    std::string type = "?";
    Outcome out;
    try {
      stats_.current_line = cmd.contains("line") && cmd["line"].is_number() ? cmd["line"].get<int64_t>() : -1;
      type = cmd.at("type").get<std::string>();
      kind = kind_of(type);
      stats_.current_kind = kind;
      out = dispatch(kind, cmd);
    } catch (const std::exception& e) { out = Outcome::fail(std::string("exception: ") + e.what()); }
    Counts& c = stats_.by_kind[kind];
    switch (out.verdict) {
      case Verdict::Pass: ++c.passed; break;
      case Verdict::Skip: ++c.skipped; break;
      case Verdict::Fail:
        ++c.failed;
        if (opts_.verbosity >= 1) report(type, "FAIL " + out.why);
        break;
    }
    ++stats_.commands_done;
  }

 private:
  void report(const std::string& type, const std::string& what) {
    std::printf("  %s:%lld: %s: %s\n", display_.c_str(), static_cast<long long>(stats_.current_line), type.c_str(),
                what.c_str());
    std::fflush(stdout);
  }

  Outcome dispatch(int kind, const json& cmd) {
    switch (kind) {
      case kModule: return do_module(cmd);
      case kRegister: return do_register(cmd);
      case kAction: {
        auto r = run_action(cmd.at("action"));
        if (!r) return Outcome::fail(describe_action(cmd.at("action")) + ": " + error_string(r.error()));
        return Outcome::pass();
      }
      case kAssertReturn: return do_assert_return(cmd);
      case kAssertTrap:
        if (cmd.contains("action")) return do_assert_failure(cmd, ErrorKind::Trap);
        return do_uninstantiable(cmd);  // (assert_trap (module ...))
      case kAssertExhaustion: return do_assert_failure(cmd, ErrorKind::Exhaustion);
      case kAssertInvalid: return do_rejected(cmd, ErrorKind::Invalid);
      case kAssertMalformed: return do_rejected(cmd, ErrorKind::Malformed);
      case kAssertUnlinkable: return do_unlinkable(cmd);
      case kAssertUninstantiable: return do_uninstantiable(cmd);
      default: return Outcome::fail("unknown command type");
    }
  }

  // --- modules ---

  static bool is_text(const json& cmd) {
    return cmd.contains("module_type") && cmd["module_type"].get<std::string>() == "text";
  }

  Expected<CompiledPtr> load(const json& cmd) {
    std::string filename = cmd.at("filename").get<std::string>();
    if (is_text(cmd)) return harness_error(filename + ": text modules are not supported");
    std::filesystem::path path = dir_ / filename;
    std::ifstream in(path, std::ios::binary);
    if (!in) return wnn::Error(ErrorKind::Io, "cannot open " + path.string());
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return wnn::Error(ErrorKind::Io, "cannot read " + path.string());
    wnn::CompileOptions options;
    options.tier = opts_.tier;
    options.tiering = opts_.tiering;
    options.jit_level = opts_.jit_level;
    if (opts_.aot) {
      WNN_TRY(artifact, wnn::cache::make_artifact(std::move(bytes), options));
      return wnn::cache::load_artifact(artifact, filename, options);
    }
    return wnn::compile(std::move(bytes), options);
  }

  Expected<wnn::Instance*> instantiate(CompiledPtr module) {
    wnn::ImportResolver resolver = [this](std::string_view mod, std::string_view name) -> std::optional<wnn::Extern> {
      auto m = registry_.find(mod);
      if (m == registry_.end()) return std::nullopt;
      auto e = m->second.find(name);
      if (e == m->second.end()) return std::nullopt;
      return e->second;
    };
    return store_.instantiate(std::move(module), resolver);
  }

  Outcome do_module(const json& cmd) {
    current_ = nullptr;
    std::string name = cmd.contains("name") ? cmd["name"].get<std::string>() : std::string();
    if (!name.empty()) named_[name] = nullptr;
    std::string filename = cmd.at("filename").get<std::string>();
    auto compiled = load(cmd);
    if (!compiled) return Outcome::fail(filename + ": " + error_string(compiled.error()));
    auto inst = instantiate(std::move(*compiled));
    if (!inst) return Outcome::fail(filename + ": instantiation: " + error_string(inst.error()));
    current_ = *inst;
    if (!name.empty()) named_[name] = current_;
    return Outcome::pass();
  }

  Expected<wnn::Instance*> module_named(const json& holder) {
    if (holder.contains("module")) {
      std::string name = holder["module"].get<std::string>();
      auto it = named_.find(name);
      if (it == named_.end()) return harness_error("no module named " + name);
      if (!it->second) return harness_error("module " + name + " failed to instantiate");
      return it->second;
    }
    if (!current_) return harness_error("no current module (the last one failed or none was defined)");
    return current_;
  }

  Outcome do_register(const json& cmd) {
    std::string as = cmd.at("as").get<std::string>();
    wnn::Instance* inst = nullptr;
    if (cmd.contains("name")) {
      std::string name = cmd["name"].get<std::string>();
      auto it = named_.find(name);
      if (it == named_.end() || !it->second) return Outcome::fail("no instantiated module named " + name);
      inst = it->second;
    } else {
      if (!current_) return Outcome::fail("no current module to register as " + as);
      inst = current_;
    }
    ExternMap exports;
    for (const auto& [name, ext] : store_.exports(inst)) exports[name] = ext;
    registry_[as] = std::move(exports);
    return Outcome::pass();
  }

  // --- actions ---

  std::string describe_action(const json& action) {
    std::string s = action.value("type", std::string("?")) + " ";
    if (action.contains("module")) s += action["module"].get<std::string>() + ".";
    s += "\"" + action.value("field", std::string("?")) + "\"";
    if (action.contains("args")) {
      s += " (";
      bool first = true;
      for (const json& a : action["args"]) {
        s += (first ? "" : ", ") + describe_json_value(a);
        first = false;
      }
      s += ")";
    }
    return s;
  }

  Expected<std::vector<wnn::Value>> run_action(const json& action) {
    std::string type = action.at("type").get<std::string>();
    std::string field = action.at("field").get<std::string>();
    auto inst = module_named(action);
    if (!inst) return std::move(inst).error();
    auto ext = store_.find_export(*inst, field);
    if (!ext) return harness_error("no export \"" + field + "\"");
    if (type == "get") {
      wnn::GlobalInst* g = ext->global();
      if (!g) return harness_error("export \"" + field + "\" is not a global");
      return std::vector<wnn::Value>{store_.global_value(g)};
    }
    if (type != "invoke") return harness_error("unknown action type " + type);
    wnn::FuncInst* f = ext->func();
    if (!f) return harness_error("export \"" + field + "\" is not a function");
    std::vector<wnn::Value> args;
    for (const json& a : action.at("args")) {
      wnn::Value v;
      std::string err;
      if (!parse_value(a, v, err)) return harness_error("argument: " + err);
      args.push_back(v);
    }
    return store_.invoke(f, args);
  }

  Outcome do_assert_return(const json& cmd) {
    const json& action = cmd.at("action");
    const json& expected = cmd.at("expected");
    auto r = run_action(action);
    if (!r) return Outcome::fail(describe_action(action) + ": " + error_string(r.error()));
    const std::vector<wnn::Value>& got = *r;
    bool ok = got.size() == expected.size();
    for (size_t i = 0; ok && i < got.size(); ++i) ok = match_value(expected[i], got[i]);
    if (ok) return Outcome::pass();
    std::string why = describe_action(action) + ": got (";
    for (size_t i = 0; i < got.size(); ++i)
      why += (i ? ", " : "") + describe_value(got[i], i < expected.size() ? lane_type_of(expected[i]) : "i32");
    why += "), expected (";
    for (size_t i = 0; i < expected.size(); ++i) why += (i ? ", " : "") + describe_json_value(expected[i]);
    return Outcome::fail(why + ")");
  }

  // The message check of assert_trap/assert_exhaustion: a mismatch is only noted.
  void check_message(const json& cmd, const wnn::Error& e) {
    std::string text = cmd.value("text", std::string());
    if (text.empty() || contains(e.message, text) || contains(wnn::trap_message(e.trap), text)) return;
    ++stats_.message_mismatches;
    if (opts_.verbosity >= 1)
      report(cmd.value("type", std::string("?")), "note: message \"" + one_line(e.message) + "\" (" +
                                                      wnn::trap_message(e.trap) + ") lacks \"" + text + "\"");
  }

  Outcome do_assert_failure(const json& cmd, ErrorKind want) {
    const json& action = cmd.at("action");
    auto r = run_action(action);
    if (r)
      return Outcome::fail(describe_action(action) + ": returned normally, expected " + wnn::error_kind_name(want) +
                           " \"" + cmd.value("text", std::string()) + "\"");
    const wnn::Error& e = r.error();
    if (e.kind != want)
      return Outcome::fail(describe_action(action) + ": " + error_string(e) + ", expected " +
                           wnn::error_kind_name(want) + " \"" + cmd.value("text", std::string()) + "\"");
    check_message(cmd, e);
    return Outcome::pass();
  }

  // assert_invalid / assert_malformed: compiling must fail, either kind passes.
  Outcome do_rejected(const json& cmd, ErrorKind want) {
    if (is_text(cmd)) return Outcome::skip();
    std::string filename = cmd.at("filename").get<std::string>();
    std::string text = cmd.value("text", std::string());
    auto compiled = load(cmd);
    if (compiled)
      return Outcome::fail(filename + ": compiled, expected " + wnn::error_kind_name(want) + " \"" + text + "\"");
    const wnn::Error& e = compiled.error();
    if (e.kind != ErrorKind::Malformed && e.kind != ErrorKind::Invalid)
      return Outcome::fail(filename + ": " + error_string(e) + ", expected " + wnn::error_kind_name(want));
    if (e.kind != want) {
      ++stats_.other_kind_rejections;
      if (opts_.verbosity >= 2)
        report(cmd.value("type", std::string("?")), "note: " + filename + ": " + error_string(e) + ", expected " +
                                                        wnn::error_kind_name(want) + " \"" + text + "\"");
    }
    return Outcome::pass();
  }

  Outcome do_unlinkable(const json& cmd) {
    std::string filename = cmd.at("filename").get<std::string>();
    auto compiled = load(cmd);
    if (!compiled) return Outcome::fail(filename + ": " + error_string(compiled.error()));
    auto inst = instantiate(std::move(*compiled));
    if (inst)
      return Outcome::fail(filename + ": instantiated, expected unlinkable \"" + cmd.value("text", std::string()) +
                           "\"");
    if (inst.error().kind != ErrorKind::Unlinkable)
      return Outcome::fail(filename + ": " + error_string(inst.error()) + ", expected unlinkable \"" +
                           cmd.value("text", std::string()) + "\"");
    return Outcome::pass();
  }

  Outcome do_uninstantiable(const json& cmd) {
    std::string filename = cmd.at("filename").get<std::string>();
    auto compiled = load(cmd);
    if (!compiled) return Outcome::fail(filename + ": " + error_string(compiled.error()));
    auto inst = instantiate(std::move(*compiled));
    if (inst)
      return Outcome::fail(filename + ": instantiated, expected a trap \"" + cmd.value("text", std::string()) + "\"");
    if (inst.error().kind != ErrorKind::Trap)
      return Outcome::fail(filename + ": " + error_string(inst.error()) + ", expected a trap \"" +
                           cmd.value("text", std::string()) + "\"");
    check_message(cmd, inst.error());
    return Outcome::pass();
  }

  const Options& opts_;
  std::filesystem::path dir_;
  std::string display_;
  Stats& stats_;
  wnn::Store store_;
  std::map<std::string, ExternMap, std::less<>> registry_;   // import namespace -> exports
  std::map<std::string, wnn::Instance*, std::less<>> named_;  // "$M" -> instance (null: failed)
  wnn::Instance* current_ = nullptr;
};

void set_note(Stats& stats, const std::string& note) {
  std::snprintf(stats.note, sizeof stats.note, "%s", note.c_str());
}

}  // namespace

const char* kind_name(int kind) { return kind >= 0 && kind < kNumKinds ? kKindNames[kind] : "?"; }

int kind_of(std::string_view type) {
  for (int k = 0; k < kOther; ++k)
    if (type == kKindNames[k]) return k;
  return kOther;
}

void run_script(const Options& opts, const std::filesystem::path& json_path, const std::string& display, Stats& stats) {
  json doc;
  try {
    std::ifstream in(json_path);
    if (!in) {
      set_note(stats, "cannot open " + json_path.string());
      ++stats.by_kind[kOther].failed;
      return;
    }
    doc = json::parse(in);
    stats.commands_total = doc.at("commands").size();
  } catch (const std::exception& e) {
    set_note(stats, std::string("bad JSON: ") + e.what());
    ++stats.by_kind[kOther].failed;
    return;
  }
  Script script(opts, json_path.parent_path(), display, stats);
  std::string error;
  if (!script.init(error)) {
    set_note(stats, "cannot create spectest: " + error);
    stats.by_kind[kNotRun].failed += stats.commands_total;
    return;
  }
  const json& commands = doc["commands"];
  if (!commands.is_array()) {
    set_note(stats, "\"commands\" is not a list");
    ++stats.by_kind[kOther].failed;
    return;
  }
  for (const json& cmd : commands) script.run(cmd);
}

}  // namespace wnn_spec
