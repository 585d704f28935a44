#include "jit/link/perf_map.h"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>

namespace wnn::jit {

void PerfMapPlugin::modifyPassConfig(llvm::orc::MaterializationResponsibility&, llvm::jitlink::LinkGraph&,
                                     llvm::jitlink::PassConfiguration& config) {
  // A function's local symbol (f<N>) is referenced by no relocation (calls
  // within .text are resolved by the assembler), so ORC would prune it as
  // dead though its code stays (.text is one block, kept by the entries):
  // kept, it names that code. Liveness only decides which symbols survive,
  // the code and its layout are the same.
  config.PrePrunePasses.push_back([](llvm::jitlink::LinkGraph& g) {
    for (llvm::jitlink::Symbol* s : g.defined_symbols())
      if (s->isCallable() && s->hasName()) s->setLive(true);
    return llvm::Error::success();
  });
  config.PostFixupPasses.push_back([this](llvm::jitlink::LinkGraph& g) {
    for (const llvm::jitlink::Symbol* s : g.defined_symbols())
      if (s->isCallable() && s->hasName() && s->getSize() > 0)
        symbols_.push_back({s->getAddress().getValue(), s->getSize(), s->getName().str()});
    return llvm::Error::success();
  });
}

namespace {

// A name as one field of one line: at most 200 bytes, no control characters.
std::string printable(std::string_view s) {
  std::string out(s.substr(0, 200));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

// "<prefix><digits>" -> the number; false for any other name.
bool parse_index(std::string_view name, char prefix, uint32_t& index) {
  if (name.size() < 2 || name[0] != prefix) return false;
  auto [end, ec] = std::from_chars(name.data() + 1, name.data() + name.size(), index);
  return ec == std::errc() && end == name.data() + name.size();
}

}  // namespace

std::string perf_map_lines(const CompiledModule& m, const std::vector<PerfMapPlugin::Symbol>& symbols) {
  const Module& mod = m.module;
  const std::string module = "wasm[" + printable(m.perf_map_name) + "]::";
  auto function = [&](uint32_t index) {
    auto it = mod.function_names.find(index);
    return it != mod.function_names.end() && !it->second.empty() ? printable(it->second)
                                                                 : "function[" + std::to_string(index) + "]";
  };
  std::string lines;
  for (const auto& s : symbols) {
    uint32_t i = 0;
    std::string name;
    if (parse_index(s.name, 'f', i) && i >= mod.num_imported_funcs && i < mod.total_funcs())
      name = function(i);
    else if (parse_index(s.name, 'e', i) && i < mod.functions.size())
      name = function(mod.num_imported_funcs + i) + " (entry)";
    else if (parse_index(s.name, 'o', i) && i < mod.functions.size())
      name = function(mod.num_imported_funcs + i) + " (loop entry)";
    else
      continue;  // none other is callable code; the object is this wnn's (jit_link_object)
    char head[40];
    std::snprintf(head, sizeof head, "%llx %llx ", static_cast<unsigned long long>(s.start),
                  static_cast<unsigned long long>(s.size));
    lines += head + module + name + "\n";
  }
  return lines;
}

void append_perf_map(const std::string& lines) {
  if (lines.empty()) return;
  const std::string path = "/tmp/perf-" + std::to_string(::getpid()) + ".map";
  // O_APPEND: each write lands whole at the end, whichever thread links.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return;
  size_t done = 0;
  while (done < lines.size()) {
    const ssize_t n = ::write(fd, lines.data() + done, lines.size() - done);
    if (n <= 0) break;
    done += size_t(n);
  }
  ::close(fd);
}

}  // namespace wnn::jit
