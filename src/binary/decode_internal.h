// Pieces of the module decoder shared by its .cpp files (not a public API).
#pragma once
#include <cstdint>
#include <string>

#include "binary/module.h"
#include "binary/reader.h"

namespace wnn::binary::detail {

// Prefix an error's message with where it happened: in_context(e, "import 2")
// turns "at offset 40: ..." into "import 2, at offset 40: ...".
Error in_context(Error e, const std::string& where);

// A vector length. Every vector element takes at least one byte, so a count
// larger than what is left is rejected here, before anyone allocates for it.
Expected<uint32_t> read_count(Reader& r, const char* what);

// A reader over the next `size` bytes of `r` (which skips them).
Expected<Reader> sub_reader(Reader& r, uint32_t size, const char* what);

// Strict UTF-8 (no overlong forms, surrogates or code points > U+10FFFF).
// Returns the length of the valid prefix: == n when all of it is valid.
size_t utf8_valid_prefix(const uint8_t* p, size_t n);
// name ::= vec(byte), which must be valid UTF-8.
Expected<std::string> read_name(Reader& r);

Expected<ValType> read_val_type(Reader& r);
Expected<ValType> read_ref_type(Reader& r);
Expected<Limits> read_limits(Reader& r, bool memory);
Expected<TableType> read_table_type(Reader& r);
Expected<GlobalType> read_global_type(Reader& r);

// A constant expression up to and including its `end` (see module.h ConstInstr).
Expected<ConstExpr> read_const_expr(Reader& r);

// Section bodies; `r` covers exactly the section's content.
Expected<void> decode_type_section(Reader& r, Module& m);
Expected<void> decode_import_section(Reader& r, Module& m);
Expected<void> decode_function_section(Reader& r, Module& m);
Expected<void> decode_table_section(Reader& r, Module& m);
Expected<void> decode_memory_section(Reader& r, Module& m);
Expected<void> decode_global_section(Reader& r, Module& m);
Expected<void> decode_export_section(Reader& r, Module& m);
Expected<void> decode_start_section(Reader& r, Module& m);
Expected<void> decode_element_section(Reader& r, Module& m);
Expected<void> decode_datacount_section(Reader& r, Module& m);
Expected<void> decode_code_section(Reader& r, Module& m);
Expected<void> decode_data_section(Reader& r, Module& m);

// The custom "name" section's content (after its name). Fills module_name and
// function_names only if the whole section is well-formed; never fails.
void parse_name_section(Reader r, Module& m);

}  // namespace wnn::binary::detail
