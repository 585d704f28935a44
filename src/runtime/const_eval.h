// Evaluation of constant expressions (global initialisers, segment offsets
// and element items) during instantiation.
#pragma once
#include "binary/module.h"
#include "runtime/objects.h"
#include "wnn/value.h"

namespace wnn {

// `e` has been validated: its global.get refers to a global already in
// `inst.globals` and its ref.func to a function in `inst.funcs`.
Value eval_const(const ConstExpr& e, const Instance& inst);

}  // namespace wnn
