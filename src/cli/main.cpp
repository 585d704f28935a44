// The `wnn` command line.
//
//   wnn run [options] module.wasm [--invoke NAME] [args...]
//   wnn module.wasm [args...]            (shorthand for `wnn run`)
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "wnn/runtime.h"

namespace {

using namespace wnn;

Expected<std::vector<uint8_t>> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorKind::Io, "cannot open " + path + ": " + std::strerror(errno));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Error(ErrorKind::Io, "cannot read " + path);
  return bytes;
}

// Parses a command-line argument as a value of type `t`: decimal or 0x-hex
// integers (negative allowed), floats in any strtod form (inf, nan, 1e-3).
Expected<Value> parse_arg(const std::string& s, ValType t) {
  const char* p = s.c_str();
  char* end = nullptr;
  errno = 0;
  auto bad = [&]() { return Error(ErrorKind::Usage, "cannot parse \"" + s + "\" as " + val_type_name(t)); };
  switch (t) {
    case ValType::I32:
    case ValType::I64: {
      bool neg = !s.empty() && s[0] == '-';
      uint64_t v = neg ? uint64_t(std::strtoll(p, &end, 0)) : std::strtoull(p, &end, 0);
      if (end == p || *end || errno == ERANGE) return bad();
      if (t == ValType::I32) {
        int64_t sv = int64_t(v);
        if (neg ? sv < INT32_MIN : v > UINT32_MAX) return bad();
        return Value::i32(uint32_t(v));
      }
      return Value::i64(v);
    }
    case ValType::F32: {
      float f = std::strtof(p, &end);
      if (end == p || *end) return bad();
      return Value::f32(f);
    }
    case ValType::F64: {
      double d = std::strtod(p, &end);
      if (end == p || *end) return bad();
      return Value::f64(d);
    }
    default:
      return Error(ErrorKind::Usage, std::string("cannot pass a ") + val_type_name(t) + " on the command line");
  }
}

std::string format_result(const Value& v) {
  char buf[64];
  switch (v.type) {
    case ValType::I32: std::snprintf(buf, sizeof buf, "%" PRId32, int32_t(v.as_u32())); return buf;
    case ValType::I64: std::snprintf(buf, sizeof buf, "%" PRId64, int64_t(v.as_u64())); return buf;
    case ValType::F32: std::snprintf(buf, sizeof buf, "%.9g", double(v.as_f32())); return buf;
    case ValType::F64: std::snprintf(buf, sizeof buf, "%.17g", v.as_f64()); return buf;
    default: return value_string(v);
  }
}

int report(const Error& e) {
  std::fprintf(stderr, "wnn: %s: %s\n", error_kind_name(e.kind), e.message.c_str());
  if (e.kind == ErrorKind::Trap && e.trap == TrapKind::Exit) return e.exit_code;
  return e.kind == ErrorKind::Usage ? 2 : 1;
}

struct RunOptions {
  std::string module;
  std::string invoke;
  std::vector<std::string> args;
};

int run(const RunOptions& opt) {
  auto bytes = read_file(opt.module);
  if (!bytes) return report(bytes.error());
  auto compiled = compile(std::move(*bytes));
  if (!compiled) return report(compiled.error());
  const Module& mod = module_of(**compiled);

  Store store;
  // No host modules yet: report every import the module needs.
  std::string missing;
  for (const Import& im : mod.imports) {
    missing += "\n  " + im.module + "::" + im.name + " (" + extern_kind_name(im.kind);
    if (im.kind == ExternKind::Func) missing += " " + func_type_string(mod.types[im.func_type]);
    missing += ")";
  }
  if (!missing.empty())
    return report(Error(ErrorKind::Unlinkable, "the module needs imports that wnn does not provide:" + missing));

  auto inst = store.instantiate(*compiled, [](std::string_view, std::string_view) { return std::nullopt; });
  if (!inst) return report(inst.error());

  std::string name = opt.invoke.empty() ? "_start" : opt.invoke;
  auto ex = store.find_export(*inst, name);
  if (!ex || ex->kind != ExternKind::Func) {
    if (opt.invoke.empty()) return 0;  // a module without _start: instantiation ran its start function
    std::string have;
    for (const auto& [n, e] : store.exports(*inst))
      if (e.kind == ExternKind::Func) have += (have.empty() ? "" : ", ") + n;
    return report(Error(ErrorKind::Usage, "no exported function \"" + name + "\" (exported functions: " +
                                              (have.empty() ? "none" : have) + ")"));
  }
  const FuncType& type = store.func_type(ex->func());
  if (opt.args.size() != type.params.size())
    return report(Error(ErrorKind::Usage, "\"" + name + "\" has type " + func_type_string(type) + ": expected " +
                                              std::to_string(type.params.size()) + " argument(s), got " +
                                              std::to_string(opt.args.size())));
  std::vector<Value> args;
  for (size_t i = 0; i < opt.args.size(); ++i) {
    auto v = parse_arg(opt.args[i], type.params[i]);
    if (!v) return report(v.error());
    args.push_back(*v);
  }
  auto results = store.invoke(ex->func(), args);
  if (!results) return report(results.error());
  for (const Value& v : *results) std::printf("%s\n", format_result(v).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // `wnn module.wasm ...` is short for `wnn run module.wasm ...`.
  std::vector<std::string> argv_s(argv, argv + argc);
  if (argc > 1 && argv_s[1].size() > 5 && argv_s[1].ends_with(".wasm")) argv_s.insert(argv_s.begin() + 1, "run");

  CLI::App app{"wnn: a WebAssembly runtime for machine-learning inference"};
  app.require_subcommand(1);
  RunOptions opt;
  std::vector<std::string> rest;
  CLI::App* run_cmd = app.add_subcommand("run", "Run a WebAssembly module (options go before the module path)");
  run_cmd->add_option("--invoke", opt.invoke,
                      "Call this exported function instead of _start; its arguments follow the module path");
  run_cmd->add_option("module", opt.module, "The .wasm file")->required();
  run_cmd->add_option("args", rest, "Arguments (for --invoke: one per parameter)");
  run_cmd->prefix_command();  // everything after the module belongs to the guest

  std::vector<const char*> cargv;
  for (auto& s : argv_s) cargv.push_back(s.c_str());
  try {
    app.parse(int(cargv.size()), cargv.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  for (auto& r : run_cmd->remaining()) rest.push_back(r);
  // `wnn run module.wasm --invoke NAME args...` (the order) also works.
  if (opt.invoke.empty() && rest.size() >= 2 && rest[0] == "--invoke") {
    opt.invoke = rest[1];
    rest.erase(rest.begin(), rest.begin() + 2);
  }
  opt.args = rest;
  return run(opt);
}
