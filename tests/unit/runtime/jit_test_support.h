// What the compiler tier's tests share: a module compiled for a tier, the
// optimised IR of one of its functions, and the fuel a store has left.
#pragma once
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "exec/jit.h"
#include "valid/compiled_module.h"
#include "wat_module.h"
#include "wnn/runtime.h"

namespace wnn::test {

// exact_fuel: CompileOptions::exact_fuel (code for a Store with fuel).
inline std::shared_ptr<const CompiledModule> compile_tier(const std::vector<uint8_t>& bytes, Tier tier,
                                                          bool exact_fuel = false) {
  CompileOptions o;
  o.tier = tier;
  o.exact_fuel = exact_fuel;
  auto r = compile(bytes, o);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : nullptr;
}

// What optimised_ir prints besides the function: fuel mode, IR or assembly, pipeline.
struct IrDump {
  bool exact_fuel = false;
  bool assembly = false;  // x86-64 assembly instead of IR (dump_code --asm)
  JitLevel level = JitLevel::Full;
};

// The optimised LLVM IR of one of the module's functions (what dump_code prints),
// "" with a test failure when it does not compile.
inline std::string optimised_ir(const Bytes& bytes, uint32_t function = 0, IrDump dump = {}) {
  auto compiled = compile_tier(bytes, Tier::Interp);
  if (!compiled) return "";
  exec::JitOptions options;
  options.dump_function = function;
  options.exact_fuel = dump.exact_fuel;
  options.dump_asm = dump.assembly;
  options.level = dump.level;
  testing::internal::CaptureStderr();
  auto r = exec::jit_compile(const_cast<CompiledModule&>(*compiled), options);
  std::string ir = testing::internal::GetCapturedStderr();
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? ir : "";
}

// Runs "spin" (++mem[0] in a loop) until the fuel left in `store` runs out:
// how many iterations that fuel paid for.
inline uint32_t spins_until_out_of_fuel(Store& store, Instance* inst) {
  auto r = store.invoke(store.find_export(inst, "spin")->func(), {});
  EXPECT_FALSE(r.ok());
  if (!r.ok()) EXPECT_EQ(r.error().trap, TrapKind::OutOfFuel);
  uint32_t spins = 0;
  std::memcpy(&spins, store.memory_data(store.find_export(inst, "memory")->memory()).data(), 4);
  return spins;
}

// One call of export `name` on `tier` with `fuel` (0: none), the memory
// filled by `fill` first: its outcome ("ok", the first result as u32, or the
// trap's message; with fuel, then how far the fuel left would spin, when the
// module has "spin") and the memory after it.
inline void call_on_tier(const Bytes& bytes, const char* name, const std::vector<uint32_t>& args, Tier tier,
                         uint64_t fuel, const std::function<void(std::span<uint8_t>)>& fill, std::string* outcome,
                         std::vector<uint8_t>* memory) {
  Store store(StoreConfig{.fuel = fuel});
  auto inst = store.instantiate(compile_tier(bytes, tier, fuel != 0), nullptr);
  ASSERT_TRUE(inst.ok()) << inst.error().message;
  std::span<uint8_t> mem = store.memory_data(store.find_export(*inst, "memory")->memory());
  fill(mem);
  std::vector<Value> values;
  for (uint32_t a : args) values.push_back(Value::i32(a));
  auto r = store.invoke(store.find_export(*inst, name)->func(), values);
  *outcome = r.ok() ? (r->empty() ? "ok" : std::to_string((*r)[0].as_u32())) : r.error().message;
  memory->assign(mem.begin(), mem.end());
  // The fuel left, also after a fault: code compiled for a Store with fuel
  // stores its budget before an access that may fault once after a charge.
  if (fuel && store.find_export(*inst, "spin"))
    *outcome += ", then " + std::to_string(spins_until_out_of_fuel(store, *inst)) + " spins";
}

}  // namespace wnn::test
