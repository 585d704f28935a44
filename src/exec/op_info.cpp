#include "exec/op_info.h"

#include <unordered_map>

namespace wnn::exec {

namespace {

template <typename L> size_t words_of([[maybe_unused]] const Word* ip) {
  if constexpr (L::kTable)
    return L::kWords + size_t(L::read(ip).n) + 1;
  else
    return L::kWords;
}

}  // namespace

const OpInfo* op_info(Handler h) {
  static const auto table = [] {
    std::unordered_map<Handler, OpInfo> t;
#define WNN_OP(name, L) t[&op_##name] = {#name, #L, layout::L::kOperands, layout::L::kWords, &words_of<layout::L>};
#include "exec/ops.def"
#undef WNN_OP
    return t;
  }();
  auto it = table.find(h);
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace wnn::exec
