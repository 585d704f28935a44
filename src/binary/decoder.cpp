// Module framing: magic, version, the section sequence (order, sizes) and the
// checks that span sections. Section contents are in sections.cpp.
#include "binary/decoder.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "binary/decode_internal.h"
#include "binary/section_id.h"

namespace wnn::binary {
namespace detail {

Error in_context(Error e, const std::string& where) {
  e.message = where + ", " + e.message;
  return e;
}

Expected<uint32_t> read_count(Reader& r, const char* what) {
  size_t at = r.offset();
  WNN_TRY(n, r.u32());
  if (n > r.remaining())
    return Reader::error_at(at, "unexpected end: " + std::string(what) + " count " + std::to_string(n) +
                                    " exceeds the " + std::to_string(r.remaining()) +
                                    " bytes left (length out of bounds)");
  return n;
}

Expected<Reader> sub_reader(Reader& r, uint32_t size, const char* what) {
  size_t at = r.offset();
  if (size > r.remaining())
    return r.error("unexpected end: " + std::string(what) + " size " + std::to_string(size) + " exceeds the " +
                   std::to_string(r.remaining()) + " bytes left (length out of bounds)");
  Reader sub(r.pos(), size, at);
  (void)r.bytes(size);  // cannot fail: checked above
  return sub;
}

}  // namespace detail

namespace {

using namespace detail;

using enum SectionId;

const char* section_name(uint8_t id) {
  static constexpr const char* kNames[] = {"custom", "type",  "import",  "function", "table", "memory",    "global",
                                           "export", "start", "element", "code",     "data",  "data count"};
  return id <= kDataCount ? kNames[id] : "unknown";
}

// Position of each known section in the required order; data count sits
// between element and code although its id is the largest.
int section_rank(uint8_t id) {
  static constexpr int kRank[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
  return kRank[id];
}

Expected<void> decode_custom_section(Reader& r, Module& m) {
  WNN_TRY(name, read_name(r));
  if (name == "name") parse_name_section(Reader(r.pos(), r.remaining(), r.offset()), m);
  (void)r.bytes(r.remaining());  // the content of custom sections is opaque
  return {};
}

Expected<void> decode_section(uint8_t id, Reader& r, Module& m) {
  switch (id) {
    case kCustom: return decode_custom_section(r, m);
    case kType: return decode_type_section(r, m);
    case kImport: return decode_import_section(r, m);
    case kFunction: return decode_function_section(r, m);
    case kTable: return decode_table_section(r, m);
    case kMemory: return decode_memory_section(r, m);
    case kGlobal: return decode_global_section(r, m);
    case kExport: return decode_export_section(r, m);
    case kStart: return decode_start_section(r, m);
    case kElement: return decode_element_section(r, m);
    case kCode: return decode_code_section(r, m);
    case kData: return decode_data_section(r, m);
    case kDataCount: return decode_datacount_section(r, m);
  }
  return r.error("malformed section id " + std::to_string(id));
}

// A section's frame: its id (one a module may have) and its content's size,
// read at r's position. The one walk of section framing that decode_module,
// imported_modules and needed_ranges share (the last reads a file a frame
// at a time, so the content is the caller's to bound).
struct SectionFrame {
  uint8_t id;
  uint32_t size;
};

Expected<SectionFrame> read_section_frame(Reader& r) {
  const size_t start = r.offset();
  WNN_TRY(id, r.u8());
  if (id > kDataCount) return Reader::error_at(start, "malformed section id " + std::to_string(id));
  auto size = r.u32();
  if (!size) return in_context(std::move(size).error(), std::string(section_name(id)) + " section");
  return SectionFrame{id, *size};
}

Expected<void> decode_header(Reader& r) {
  if (r.remaining() < 4)
    return Reader::error_at(r.remaining(), "unexpected end: module is " + std::to_string(r.remaining()) +
                                               " bytes, too short for the magic header");
  const uint8_t* magic = *r.bytes(4);
  if (!has_wasm_magic({magic, 4}))
    return Reader::error_at(0, "magic header not detected: not a WebAssembly binary (expected \\0asm)");
  if (r.remaining() < 4) return r.error("unexpected end: truncated binary version");
  const uint8_t* v = *r.bytes(4);
  uint32_t version = v[0] | uint32_t(v[1]) << 8 | uint32_t(v[2]) << 16 | uint32_t(v[3]) << 24;
  if (version != 1)
    return Reader::error_at(4, "unknown binary version " + std::to_string(version) + " (only version 1 is supported)");
  return {};
}

}  // namespace

bool has_wasm_magic(std::span<const uint8_t> bytes) {
  static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6D};  // "\0asm"
  return bytes.size() >= 4 && std::memcmp(bytes.data(), kMagic, 4) == 0;
}

Expected<Module> decode_module(std::vector<uint8_t> bytes) {
  Module m;
  m.bytes = std::move(bytes);
  if (m.bytes.size() > kMaxModuleBytes)
    return Error(ErrorKind::Exhaustion, "module of " + std::to_string(m.bytes.size()) +
                                            " bytes exceeds the implementation limit of " +
                                            std::to_string(kMaxModuleBytes) + " bytes (1 GiB)");
  Reader r(m.bytes.data(), m.bytes.size());
  WNN_TRY_VOID(decode_header(r));

  int last_rank = 0;
  uint8_t last_id = 0;
  while (!r.at_end()) {
    const size_t start = r.offset();
    WNN_TRY(frame, read_section_frame(r));
    const uint8_t id = frame.id;
    std::string where = std::string(section_name(id)) + " section";
    auto sec = sub_reader(r, frame.size, "section");
    if (!sec) return in_context(std::move(sec).error(), where);

    if (id != kCustom) {
      int rank = section_rank(id);
      if (rank <= last_rank) {
        std::string why = rank == last_rank
                              ? "duplicate " + where
                              : where + " out of order (must come before the " + section_name(last_id) + " section)";
        return in_context(Reader::error_at(start, "unexpected content after last section: " + why), where);
      }
      last_rank = rank;
      last_id = id;
    }
    auto done = decode_section(id, *sec, m);
    if (!done) return in_context(std::move(done).error(), where);
    if (!sec->at_end())
      return in_context(sec->error("section size mismatch: " + std::to_string(sec->remaining()) +
                                   " bytes left over after the declared content"),
                        where);
  }

  if (m.functions.size() != m.codes.size())
    return Error(ErrorKind::Malformed,
                 "function and code section have inconsistent lengths: " + std::to_string(m.functions.size()) +
                     " functions declared, " + std::to_string(m.codes.size()) + " bodies");
  if (m.data_count && *m.data_count != m.datas.size())
    return Error(ErrorKind::Malformed, "data count and data section have inconsistent lengths: data count says " +
                                           std::to_string(*m.data_count) + ", data section has " +
                                           std::to_string(m.datas.size()) + " segments");
  return m;
}

std::vector<std::string> imported_modules(std::span<const uint8_t> bytes) {
  Reader r(bytes.data(), bytes.size());
  if (!decode_header(r)) return {};
  while (!r.at_end()) {
    auto frame = read_section_frame(r);
    if (!frame) return {};
    auto sec = sub_reader(r, frame->size, "section");
    if (!sec) return {};
    if (frame->id == kCustom || frame->id == kType) continue;
    if (frame->id != kImport) return {};  // sections come in order: no imports
    Module m;
    if (!decode_import_section(*sec, m)) return {};
    std::vector<std::string> names;
    for (const Import& i : m.imports)
      if (std::find(names.begin(), names.end(), i.module) == names.end()) names.push_back(i.module);
    return names;
  }
  return {};
}

std::vector<ByteRange> needed_ranges(uint64_t file_size, const ReadAt& read) {
  const std::vector<ByteRange> whole{{0, file_size}};
  struct Custom {  // a custom section after the last non-custom one
    uint64_t start, size;
    bool name;
  };
  std::vector<Custom> trailing;
  uint64_t kept = 8;  // the end of the last non-custom section (or of the header)
  std::vector<uint8_t> head = read(0, 8);
  Reader header(head.data(), head.size());
  if (head.size() != 8 || !decode_header(header)) return whole;
  for (uint64_t at = 8; at < file_size;) {
    std::vector<uint8_t> h = read(at, 1 + 5);  // id, size
    Reader r(h.data(), h.size(), at);
    auto frame = read_section_frame(r);
    if (!frame) return whole;
    const uint64_t content = r.offset();
    if (frame->size > file_size - content) return whole;
    if (frame->id != kCustom) {
      kept = content + frame->size;
      trailing.clear();
    } else {
      // Its name must decode, as decode_module checks it (one of 4 KB at most here).
      std::vector<uint8_t> c = read(content, size_t(std::min<uint64_t>(frame->size, 4096)));
      Reader named(c.data(), c.size(), content);
      auto name = read_name(named);
      if (!name) return whole;
      trailing.push_back({at, content + frame->size - at, *name == "name"});
    }
    at = content + frame->size;
  }
  std::vector<ByteRange> ranges{{0, kept}};
  for (const Custom& t : trailing)
    if (t.name) ranges.push_back({t.start, t.size});
  return ranges;
}

}  // namespace wnn::binary
