// Facts about each internal instruction, by handler: its name and layout
// (from ops.def and layouts.def), for code that walks translated code
// (tools/dump_code, tiering's callee scan, tests).
#pragma once
#include <cstddef>

#include "exec/operands.h"

namespace wnn::exec {

struct OpInfo {
  const char* name;                  // the op's name in ops.def (its handler is op_<name>)
  const char* layout;                // its layout's name in layouts.def
  const OperandInfo* operands;       // ends with an entry whose name is null
  unsigned fixed_words;              // handler and operands (br_table's targets follow)
  size_t (*words)(const Word* ip);   // the instruction's size in Words, br_table targets included
};

// The op whose handler is `h`, or nullptr for a word that is no handler.
const OpInfo* op_info(Handler h);

}  // namespace wnn::exec
