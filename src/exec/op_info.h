// Facts about each internal instruction, by handler: its name and layout
// (from ops.def and layouts.def), for code that walks translated code
// (tools/dump_code, tiering's callee scan, tests) and for the translator's
// check that it emits each op with its own layout.
#pragma once
#include <cstddef>
#include <string>

#include "exec/operands.h"

namespace wnn::exec {

struct OpInfo {
  const char* name;                  // the op's name in ops.def (its handler is op_<name>)
  const char* layout;                // its layout's name in layouts.def
  layout::LayoutId layout_id;        // the same, as a number
  const OperandInfo* operands;       // ends with an entry whose name is null
  unsigned fixed_words;              // handler and operands (br_table's targets follow)
  size_t (*words)(const Word* ip);   // the instruction's size in Words, br_table targets included
};

// The op whose handler is `h`, or nullptr for a word that is no handler. A
// few loads from a small hash table: cheap enough for every emit.
const OpInfo* op_info(Handler h);

// Whether `h` is an op of layout `id` (L).
bool has_layout(Handler h, layout::LayoutId id);
template <typename L> bool has_layout(Handler h) { return has_layout(h, L::kId); }

// Why `h` may not be emitted with the operands of layout `emitted`: "op_x
// has layout Y, not Z" (or "... is no handler").
std::string layout_mismatch(Handler h, const char* emitted);

// The operands of the instruction at code[at] as tools/dump_code prints
// them, each " name=value": slots as s<N>, branch offsets as @<the word they
// reach>, u64 in hex, then a br_table's targets=[@.. @..]. An instruction cut
// short by the end of `code` prints as far as it goes; "" for a word that is
// no handler.
std::string format_operands(const Word* code, size_t size, size_t at);

}  // namespace wnn::exec
