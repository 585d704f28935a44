// The cost of crossing the host/wasm boundary, in nanoseconds per call:
//   host -> wasm: Store::invoke of an exported (i32) -> i32 function;
//   wasm -> host: a wasm loop calling an imported (i32) -> i32 host function;
//   wasm -> wasm: the same loop calling a wasm function, for comparison.
// Each is printed next to a plain C++ std::function call as the baseline.
//   call_cost [iterations]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "wnn/runtime.h"

namespace {

using clock_type = std::chrono::steady_clock;

// (module
//   (import "env" "h" (func $h (param i32) (result i32)))
//   (func $id (export "id") (param i32) (result i32) local.get 0)
//   (func $loop (param $n i32) (param $use_host i32) (result i32) (local $acc i32)
//     loop: acc += (use_host ? h(n) : id(n)); n--; br_if n)
//   (export "loop" (func $loop)))
std::vector<uint8_t> module_bytes() {
  return {
      0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
      // types: 0 = (i32)->i32, 1 = (i32 i32)->i32
      0x01, 0x0C, 0x02, 0x60, 0x01, 0x7F, 0x01, 0x7F, 0x60, 0x02, 0x7F, 0x7F, 0x01, 0x7F,
      // import env.h : type 0
      0x02, 0x09, 0x01, 0x03, 'e', 'n', 'v', 0x01, 'h', 0x00, 0x00,
      // functions: id (type 0), loop (type 1)
      0x03, 0x03, 0x02, 0x00, 0x01,
      // exports: "id" func 1, "loop" func 2
      0x07, 0x0D, 0x02, 0x02, 'i', 'd', 0x00, 0x01, 0x04, 'l', 'o', 'o', 'p', 0x00, 0x02,
      // code
      0x0A, 0x2C, 0x02,
      // id: local.get 0 end
      0x04, 0x00, 0x20, 0x00, 0x0B,
      // loop body (37 bytes): 1 local i32
      0x25, 0x01, 0x01, 0x7F, 0x03, 0x40,                                      // loop
      0x20, 0x02,                                      //   local.get acc
      0x20, 0x01,                                      //   local.get use_host
      0x04, 0x7F,                                      //   if (result i32)
      0x20, 0x00, 0x10, 0x00,                          //     call h(n)
      0x05, 0x20, 0x00, 0x10, 0x01,                    //   else call id(n)
      0x0B,                                            //   end
      0x6A, 0x21, 0x02,                                //   acc += ...
      0x20, 0x00, 0x41, 0x01, 0x6B, 0x22, 0x00,        //   n = n - 1 (tee)
      0x0D, 0x00,                                      //   br_if loop
      0x0B,                                            // end
      0x20, 0x02, 0x0B,                                // acc
  };
}

template <typename F> double ns_per(uint64_t n, F&& f) {
  auto t0 = clock_type::now();
  f();
  return std::chrono::duration<double, std::nano>(clock_type::now() - t0).count() / double(n);
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
  auto compiled = wnn::compile(module_bytes());
  if (!compiled) {
    std::fprintf(stderr, "compile: %s\n", compiled.error().message.c_str());
    return 1;
  }
  wnn::Store store;
  wnn::FuncInst* h = store.create_host_function(
      wnn::FuncType{{wnn::ValType::I32}, {wnn::ValType::I32}},
      [](wnn::HostContext&, uint64_t* slots) -> wnn::Expected<void> {
        slots[0] = uint32_t(slots[0]) & 1;
        return {};
      },
      "h");
  auto inst = store.instantiate(*compiled, [&](std::string_view, std::string_view) {
    return std::optional<wnn::Extern>(wnn::Extern{wnn::ExternKind::Func, h});
  });
  if (!inst) {
    std::fprintf(stderr, "instantiate: %s\n", inst.error().message.c_str());
    return 1;
  }
  wnn::FuncInst* id = store.find_export(*inst, "id")->func();
  wnn::FuncInst* loop = store.find_export(*inst, "loop")->func();

  // Baseline: the same work through a std::function, as a host would call a callback.
  std::function<uint32_t(uint32_t)> native = [](uint32_t x) { return x & 1; };
  volatile uint32_t sink = 0;
  double base = ns_per(n, [&] {
    for (uint64_t i = 0; i < n; ++i) sink = sink + native(uint32_t(i));
  });

  uint64_t m = n / 10;  // host -> wasm is slower: fewer iterations
  wnn::Value arg = wnn::Value::i32(1);
  double host_to_wasm = ns_per(m, [&] {
    for (uint64_t i = 0; i < m; ++i) {
      auto r = store.invoke(id, {&arg, 1});
      if (!r) std::abort();
    }
  });
  wnn::Value args_host[2] = {wnn::Value::i32(uint32_t(n)), wnn::Value::i32(1)};
  wnn::Value args_wasm[2] = {wnn::Value::i32(uint32_t(n)), wnn::Value::i32(0)};
  double wasm_to_host = ns_per(n, [&] { (void)store.invoke(loop, args_host); });
  double wasm_to_wasm = ns_per(n, [&] { (void)store.invoke(loop, args_wasm); });

  std::printf("std::function call (baseline): %6.1f ns\n", base);
  std::printf("host -> wasm (Store::invoke):   %6.1f ns  (%.1fx baseline)\n", host_to_wasm, host_to_wasm / base);
  std::printf("wasm -> host (call import):     %6.1f ns  (%.1fx baseline; includes the loop)\n", wasm_to_host,
              wasm_to_host / base);
  std::printf("wasm -> wasm (call):            %6.1f ns  (%.1fx baseline; includes the loop)\n", wasm_to_wasm,
              wasm_to_wasm / base);
  return 0;
}
