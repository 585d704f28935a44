// Contents of the non-custom sections, and the types they are built from.
#include <cstdio>
#include <string>

#include "binary/decode_internal.h"
#include "binary/decoder.h"
#include "binary/opcodes.h"

namespace wnn::binary::detail {
namespace {

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02X", v);
  return buf;
}

// Reads a vector: the count, then `entry(i)` for each element; errors get
// "<what> <base + i>" in front so that users can find the entry.
template <typename F> Expected<void> read_vec(Reader& r, const char* what, uint32_t base, F&& entry) {
  WNN_TRY(n, read_count(r, what));
  for (uint32_t i = 0; i < n; ++i) {
    auto done = entry(i);
    if (!done) return in_context(std::move(done).error(), std::string(what) + " " + std::to_string(uint64_t(base) + i));
  }
  return {};
}

Expected<void> read_val_types(Reader& r, std::vector<ValType>& out, const char* what) {
  WNN_TRY(n, read_count(r, what));
  for (uint32_t i = 0; i < n; ++i) {
    WNN_TRY(t, read_val_type(r));
    out.push_back(t);
  }
  return {};
}

Expected<ConstExpr> ref_func_item(Reader& r) {
  ConstExpr e;
  e.offset = uint32_t(r.offset());
  WNN_TRY(index, r.u32());
  e.instrs.push_back({op::kRefFunc, index});
  return e;
}

// `items` counts the items of the module's segments so far.
Expected<void> decode_elem_segment(Reader& r, Module& m, uint64_t& items) {
  ElemSegment seg;
  size_t at = r.offset();
  WNN_TRY(flags, r.u32());
  // bit 0: passive/declarative, bit 1: explicit table (active) or
  // declarative, bit 2: items are expressions rather than function indices.
  if (flags > 7) return Reader::error_at(at, "malformed elements segment kind " + std::to_string(flags));
  if (flags & 1) {
    seg.mode = (flags & 2) ? SegmentMode::Declarative : SegmentMode::Passive;
  } else {
    seg.mode = SegmentMode::Active;
    if (flags & 2) {
      WNN_TRY(table, r.u32());
      seg.table = table;
    }
    WNN_TRY(offset, read_const_expr(r));
    seg.offset = std::move(offset);
  }
  bool exprs = flags & 4;
  if (flags & 3) {  // forms 1, 2, 3, 5, 6, 7 state the element type
    if (exprs) {
      WNN_TRY(type, read_ref_type(r));
      seg.type = type;
    } else {
      size_t kind_at = r.offset();
      WNN_TRY(kind, r.u8());
      if (kind != 0x00)
        return Reader::error_at(
            kind_at, "malformed elements segment kind: elemkind " + hex(kind) + " (only 0x00, funcref, exists)");
    }
  }
  const size_t count_at = r.offset();
  WNN_TRY(n, read_count(r, "element"));
  items += n;
  if (items > kMaxElemItems)
    return Error(ErrorKind::Exhaustion, "at offset " + std::to_string(count_at) + ": " + std::to_string(n) +
                                            " elements bring the module's element segments past " +
                                            std::to_string(kMaxElemItems) + " items (implementation limit)");
  seg.items.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    auto item = exprs ? read_const_expr(r) : ref_func_item(r);
    if (!item) return in_context(std::move(item).error(), "element " + std::to_string(i));
    seg.items.push_back(std::move(*item));
  }
  m.elems.push_back(std::move(seg));
  return {};
}

Expected<void> decode_data_segment(Reader& r, Module& m) {
  DataSegment seg;
  size_t at = r.offset();
  WNN_TRY(flags, r.u32());
  switch (flags) {
    case 0: break;
    case 1: seg.mode = SegmentMode::Passive; break;
    case 2: {
      WNN_TRY(memory, r.u32());
      seg.memory = memory;
      break;
    }
    default: return Reader::error_at(at, "malformed data segment kind " + std::to_string(flags));
  }
  if (seg.mode == SegmentMode::Active) {
    WNN_TRY(offset, read_const_expr(r));
    seg.offset = std::move(offset);
  }
  WNN_TRY(size, read_count(r, "data byte"));
  seg.data_offset = uint32_t(r.offset());
  seg.data_size = size;
  WNN_TRY_VOID(r.bytes(size));
  m.datas.push_back(std::move(seg));
  return {};
}

Expected<void> decode_code_entry(Reader& r, Module& m) {
  Code code;
  code.offset = uint32_t(r.offset());
  WNN_TRY(size, r.u32());
  if (size > kMaxFunctionBodyBytes)
    return Error(ErrorKind::Exhaustion, "at offset " + std::to_string(code.offset) + ": function body of " +
                                            std::to_string(size) + " bytes exceeds the implementation limit of " +
                                            std::to_string(kMaxFunctionBodyBytes) + " bytes");
  WNN_TRY(body, sub_reader(r, size, "function body"));
  WNN_TRY(decls, read_count(body, "local declaration"));
  uint64_t total = 0;  // 64-bit so that the sum cannot wrap
  for (uint32_t i = 0; i < decls; ++i) {
    size_t at = body.offset();
    WNN_TRY(count, body.u32());
    WNN_TRY(type, read_val_type(body));
    total += count;
    if (total > UINT32_MAX)
      return Reader::error_at(at, "too many locals: more than 2^32-1 in total (" + std::to_string(total) +
                                      " after declaration " + std::to_string(i) + ")");
    code.locals.push_back({count, type});
  }
  code.body_offset = uint32_t(body.offset());
  code.body_size = uint32_t(body.remaining());
  if (code.body_size == 0)
    return body.error("unexpected end of section or function: body has no instructions (END opcode expected)");
  if (body.pos()[code.body_size - 1] != op::kEnd)
    return Reader::error_at(code.body_offset + code.body_size - 1,
                            "END opcode expected: the function body does not end with 0x0B");
  m.codes.push_back(std::move(code));
  return {};
}

}  // namespace

Expected<ValType> read_val_type(Reader& r) {
  size_t at = r.offset();
  WNN_TRY(b, r.u8());
  switch (ValType(b)) {
    case ValType::I32:
    case ValType::I64:
    case ValType::F32:
    case ValType::F64:
    case ValType::V128:
    case ValType::FuncRef:
    case ValType::ExternRef: return ValType(b);
  }
  return Reader::error_at(at, "malformed value type " + hex(b));
}

Expected<ValType> read_ref_type(Reader& r) {
  size_t at = r.offset();
  WNN_TRY(b, r.u8());
  if (ValType(b) == ValType::FuncRef || ValType(b) == ValType::ExternRef) return ValType(b);
  return Reader::error_at(at, "malformed reference type " + hex(b) + " (expected 0x70 funcref or 0x6F externref)");
}

Expected<Limits> read_limits(Reader& r, bool memory) {
  size_t at = r.offset();
  WNN_TRY(flags, r.u8());
  if (flags > 1) {
    std::string msg = "malformed limits flags " + hex(flags);
    if (flags & 0x80)
      msg += " (integer representation too long)";
    else if (memory && flags <= 3)
      msg += ": shared memory (threads) not supported";
    else
      msg += " (integer too large: only 0x00 and 0x01 exist)";
    return Reader::error_at(at, msg);
  }
  Limits limits;
  WNN_TRY(min, r.u32());
  limits.min = min;
  if (flags & 1) {
    WNN_TRY(max, r.u32());
    limits.max = max;
  }
  return limits;
}

Expected<TableType> read_table_type(Reader& r) {
  TableType t;
  WNN_TRY(elem, read_ref_type(r));
  t.elem = elem;
  WNN_TRY(limits, read_limits(r, false));
  t.limits = limits;
  return t;
}

Expected<GlobalType> read_global_type(Reader& r) {
  GlobalType g;
  WNN_TRY(type, read_val_type(r));
  g.type = type;
  size_t at = r.offset();
  WNN_TRY(mut, r.u8());
  if (mut > 1) return Reader::error_at(at, "malformed mutability " + hex(mut) + " (expected 0x00 or 0x01)");
  g.mut = mut == 1;
  return g;
}

Expected<void> decode_type_section(Reader& r, Module& m) {
  return read_vec(r, "type", 0, [&](uint32_t) -> Expected<void> {
    size_t at = r.offset();
    WNN_TRY(form, r.u8());
    if (form != kFuncTypeForm)
      return Reader::error_at(at, "malformed function type: expected 0x60, found " + hex(form));
    FuncType t;
    WNN_TRY_VOID(read_val_types(r, t.params, "parameter"));
    WNN_TRY_VOID(read_val_types(r, t.results, "result"));
    m.types.push_back(std::move(t));
    return {};
  });
}

Expected<void> decode_import_section(Reader& r, Module& m) {
  return read_vec(r, "import", 0, [&](uint32_t) -> Expected<void> {
    Import imp;
    WNN_TRY(module, read_name(r));
    WNN_TRY(name, read_name(r));
    imp.module = std::move(module);
    imp.name = std::move(name);
    size_t at = r.offset();
    WNN_TRY(kind, r.u8());
    switch (kind) {
      case 0: {
        WNN_TRY(type, r.u32());
        imp.func_type = type;
        ++m.num_imported_funcs;
        break;
      }
      case 1: {
        WNN_TRY(table, read_table_type(r));
        imp.table = table;
        ++m.num_imported_tables;
        break;
      }
      case 2: {
        WNN_TRY(limits, read_limits(r, true));
        imp.memory.limits = limits;
        ++m.num_imported_memories;
        break;
      }
      case 3: {
        WNN_TRY(global, read_global_type(r));
        imp.global = global;
        ++m.num_imported_globals;
        break;
      }
      default: return Reader::error_at(at, "malformed import kind " + hex(kind));
    }
    imp.kind = ExternKind(kind);
    m.imports.push_back(std::move(imp));
    return {};
  });
}

Expected<void> decode_function_section(Reader& r, Module& m) {
  return read_vec(r, "function", m.num_imported_funcs, [&](uint32_t) -> Expected<void> {
    if (m.functions.size() == kMaxDefinedFunctions)
      return Error(ErrorKind::Exhaustion, "at offset " + std::to_string(r.offset()) + ": more than " +
                                              std::to_string(kMaxDefinedFunctions) +
                                              " functions (implementation limit)");
    WNN_TRY(type, r.u32());
    m.functions.push_back(type);
    return {};
  });
}

Expected<void> decode_table_section(Reader& r, Module& m) {
  return read_vec(r, "table", m.num_imported_tables, [&](uint32_t) -> Expected<void> {
    WNN_TRY(table, read_table_type(r));
    m.tables.push_back(table);
    return {};
  });
}

Expected<void> decode_memory_section(Reader& r, Module& m) {
  return read_vec(r, "memory", m.num_imported_memories, [&](uint32_t) -> Expected<void> {
    WNN_TRY(limits, read_limits(r, true));
    m.memories.push_back(MemoryType{limits});
    return {};
  });
}

Expected<void> decode_global_section(Reader& r, Module& m) {
  return read_vec(r, "global", m.num_imported_globals, [&](uint32_t) -> Expected<void> {
    Global g;
    WNN_TRY(type, read_global_type(r));
    g.type = type;
    WNN_TRY(init, read_const_expr(r));
    g.init = std::move(init);
    m.globals.push_back(std::move(g));
    return {};
  });
}

Expected<void> decode_export_section(Reader& r, Module& m) {
  return read_vec(r, "export", 0, [&](uint32_t) -> Expected<void> {
    Export e;
    WNN_TRY(name, read_name(r));
    e.name = std::move(name);
    size_t at = r.offset();
    WNN_TRY(kind, r.u8());
    if (kind > 3) return Reader::error_at(at, "malformed export kind " + hex(kind));
    e.kind = ExternKind(kind);
    WNN_TRY(index, r.u32());
    e.index = index;
    m.exports.push_back(std::move(e));
    return {};
  });
}

Expected<void> decode_start_section(Reader& r, Module& m) {
  WNN_TRY(index, r.u32());
  m.start = index;
  return {};
}

Expected<void> decode_element_section(Reader& r, Module& m) {
  uint64_t items = 0;
  return read_vec(r, "segment", 0, [&](uint32_t) { return decode_elem_segment(r, m, items); });
}

Expected<void> decode_datacount_section(Reader& r, Module& m) {
  WNN_TRY(count, r.u32());
  m.data_count = count;
  return {};
}

Expected<void> decode_code_section(Reader& r, Module& m) {
  size_t at = r.offset();
  WNN_TRY(n, r.u32());
  if (n != m.functions.size())
    return Reader::error_at(at, "function and code section have inconsistent lengths: function section declares " +
                                    std::to_string(m.functions.size()) + " functions, code section has " +
                                    std::to_string(n) + " bodies");
  for (uint32_t i = 0; i < n; ++i) {
    auto done = decode_code_entry(r, m);
    if (!done)
      return in_context(std::move(done).error(), "function " + std::to_string(uint64_t(m.num_imported_funcs) + i));
  }
  return {};
}

Expected<void> decode_data_section(Reader& r, Module& m) {
  return read_vec(r, "segment", 0, [&](uint32_t) { return decode_data_segment(r, m); });
}

}  // namespace wnn::binary::detail
