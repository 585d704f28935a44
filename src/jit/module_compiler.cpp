// libwnn_jit.so's compiler: some functions of a validated module -> one LLVM
// module -> optimised (O2, or a short pipeline for JitLevel::Quick; host CPU) -> one relocatable object
// (object_linker.cpp links it). See docs/compiler.md.
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Transforms/InstCombine/InstCombine.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/IndVarSimplify.h>
#include <llvm/Transforms/Scalar/LICM.h>
#include <llvm/Transforms/Scalar/LoopPassManager.h>
#include <llvm/Transforms/Scalar/LoopRotation.h>
#include <llvm/Transforms/Scalar/SROA.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>
#include <llvm/Transforms/Utils/Cloning.h>

#include <algorithm>
#include <ctime>
#include <span>

#include "jit/charged_loops.h"
#include "jit/float_loops.h"
#include "jit/function_compiler.h"
#include "jit/host_target.h"
#include "jit/lane_inductions.h"
#include "jit/vector_loops.h"

namespace wnn::jit {

namespace {

double thread_cpu_ms() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

uint32_t slots_of(ValType t) { return t == ValType::V128 ? 2 : 1; }

// void entry(Thread*, mem, Slot* fp): arguments from fp,
// results back to fp (the interpreter's convention).
void emit_entry(llvm::Module& mod, llvm::Function* f, const FuncType& ft, const std::string& name) {
  llvm::LLVMContext& ctx = mod.getContext();
  llvm::Type* ptr = llvm::PointerType::get(ctx, 0);
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr, ptr, ptr}, false);
  auto* e = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, mod);
  e->addFnAttr(llvm::Attribute::StrictFP);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", e));
  b.setIsFPConstrained(true);
  llvm::Value* fp = e->getArg(2);
  std::vector<llvm::Value*> args;
  uint32_t s = 0;
  for (ValType t : ft.params) {
    llvm::Value* p = b.CreateConstGEP1_64(b.getInt64Ty(), fp, s);
    llvm::Value* v;
    if (t == ValType::I32 || t == ValType::F32) {
      v = b.CreateTrunc(b.CreateLoad(b.getInt64Ty(), p), b.getInt32Ty());
      if (t == ValType::F32) v = b.CreateBitCast(v, b.getFloatTy());
    } else {
      v = b.CreateAlignedLoad(llvm_type(ctx, t), p, llvm::Align(8));
    }
    args.push_back(v);
    s += slots_of(t);
  }
  std::vector<llvm::Value*> rs = call_from_entry(b, f, e->getArg(0), e->getArg(1), args, ft.results.size());
  s = 0;
  for (size_t i = 0; i < ft.results.size(); ++i) {
    const ValType t = ft.results[i];
    llvm::Value* v = rs[i];
    if (t == ValType::F32) v = b.CreateBitCast(v, b.getInt32Ty());
    if (t == ValType::I32 || t == ValType::F32) v = b.CreateZExt(v, b.getInt64Ty());
    b.CreateAlignedStore(v, b.CreateConstGEP1_64(b.getInt64Ty(), fp, s), llvm::Align(8));
    s += slots_of(t);
  }
  b.CreateRetVoid();
}

// The assembly of one function (tools/dump_code --tier=jit --asm): code
// generation of a copy of the optimised module, cut to that function.
void print_asm(const llvm::Module& mod, llvm::TargetMachine& tm, const std::string& name) {
  std::unique_ptr<llvm::Module> copy = llvm::CloneModule(mod);
  llvm::SmallString<0> text;
  llvm::raw_svector_ostream os(text);
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::AssemblyFile)) {
    llvm::errs() << "(this target cannot print assembly)\n";
    return;
  }
  pm.run(*copy);
  const std::string s(text.str());
  const size_t begin = s.find("\n" + name + ":");
  if (begin == std::string::npos) {
    llvm::errs() << "(no code for " << name << ")\n";
    return;
  }
  const size_t end = s.find(".Lfunc_end", begin);
  llvm::errs() << s.substr(begin + 1, end == std::string::npos ? std::string::npos : end - begin - 1);
}

// Quick, Tier::Auto's first compile: a short function pipeline instead of
// O1, whose loop unroller, induction-variable rewriting after it and repeated
// InstCombine / SimplifyCFG runs were half the compile time for no faster
// code (docs/performance.md, "A first compile of its own"). Locals become SSA
// values, repeated loads of instance fields go, loops are rotated with their
// invariants hoisted (the memory base, bounds) and canonical induction
// variables (the trip counts VersionChargedLoops charges up front); then the
// counted-loop copies (without plain accesses: nothing here vectorises, and
// their checks cost 5-10% of a compile) and one clean-up. No inlining and no
// unrolling: Full code replaces what stays hot.
llvm::FunctionPassManager quick_pipeline() {
  llvm::FunctionPassManager fpm;
  fpm.addPass(llvm::SROAPass(llvm::SROAOptions::ModifyCFG));
  fpm.addPass(llvm::EarlyCSEPass(/*UseMemorySSA=*/true));
  fpm.addPass(llvm::SimplifyCFGPass());
  fpm.addPass(llvm::InstCombinePass());
  {
    llvm::LoopPassManager lpm;
    lpm.addPass(llvm::LoopRotatePass());
    lpm.addPass(llvm::LICMPass(llvm::LICMOptions()));
    fpm.addPass(llvm::createFunctionToLoopPassAdaptor(std::move(lpm), /*UseMemorySSA=*/true));
  }
  fpm.addPass(llvm::createFunctionToLoopPassAdaptor(llvm::IndVarSimplifyPass()));
  fpm.addPass(VersionChargedLoopsPass(/*plain_accesses=*/false));
  fpm.addPass(llvm::createFunctionToLoopPassAdaptor(llvm::LoopRotatePass()));
  fpm.addPass(llvm::InstCombinePass());
  fpm.addPass(llvm::SimplifyCFGPass());
  return fpm;
}

void optimize(llvm::Module& mod, llvm::TargetMachine& tm, JitLevel level) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  // LLVM's default tuning leaves the SLP vectoriser out (clang turns it on at
  // O2): straight-line groups of like operations on adjacent memory (musl's
  // word-merging memcpy, unrolled copies) become vector operations.
  llvm::PipelineTuningOptions tuning;
  tuning.SLPVectorization = true;
  llvm::PassBuilder pb(&tm, tuning);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  if (level == JitLevel::Quick) {
    llvm::ModulePassManager mpm;
    mpm.addPass(llvm::createModuleToFunctionPassAdaptor(quick_pipeline()));
    mpm.run(mod, mam);
    return;
  }
  // Right before the vectoriser and the unroller, whose loops must be free of
  // calls and exit at their latch: the charge-free copies are rotated again
  // (their back-edge path held the charge, so the pipeline's rotation left them).
  pb.registerVectorizerStartEPCallback([](llvm::FunctionPassManager& fpm, llvm::OptimizationLevel) {
    fpm.addPass(ScalariseLaneInductionsPass());
    fpm.addPass(VersionChargedLoopsPass(/*plain_accesses=*/true));
    fpm.addPass(llvm::createFunctionToLoopPassAdaptor(llvm::LoopRotatePass()));
    fpm.addPass(UnrollVectorLoopsPass());  // before any loop the vectoriser makes
    fpm.addPass(VectoriseFloatLoopsPass());
  });
  llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
  mpm.run(mod, mam);
}

// kStubTable (referenced as a declaration while functions are compiled) and
// kObjectInfo, now that the stubs are known.
void emit_object_info(llvm::Module& mod, const ModuleState& ms, const std::vector<uint32_t>& set,
                      const std::vector<std::pair<uint32_t, std::vector<uint32_t>>>& loop_entries) {
  llvm::LLVMContext& ctx = mod.getContext();
  llvm::Type* ptr = llvm::PointerType::get(ctx, 0);
  auto* table_type = llvm::ArrayType::get(ptr, std::max<uint32_t>(ms.stubs.count, 1));
  auto* table = new llvm::GlobalVariable(mod, table_type, false, llvm::GlobalValue::ExternalLinkage,
                                         llvm::Constant::getNullValue(table_type), "");
  table->setDSOLocal(true);
  if (llvm::GlobalVariable* decl = mod.getNamedGlobal(kStubTable)) {
    decl->replaceAllUsesWith(table);
    table->takeName(decl);
    decl->eraseFromParent();
  } else {
    table->setName(kStubTable);
  }
  std::vector<uint64_t> info{kObjectFormat, ms.cm.module.functions.size(), set.size()};
  info.insert(info.end(), set.begin(), set.end());
  info.push_back(loop_entries.size());
  for (const auto& [index, loops] : loop_entries) {
    info.insert(info.end(), {index, loops.size()});
    info.insert(info.end(), loops.begin(), loops.end());
  }
  info.push_back(ms.stubs.count);
  info.insert(info.end(), ms.stubs.desc.begin(), ms.stubs.desc.end());
  llvm::Constant* data = llvm::ConstantDataArray::get(ctx, info);
  auto* g = new llvm::GlobalVariable(mod, data->getType(), true, llvm::GlobalValue::ExternalLinkage, data, kObjectInfo);
  g->setDSOLocal(true);
}

Expected<std::vector<uint8_t>> emit_object(llvm::Module& mod, llvm::TargetMachine& tm) {
  llvm::SmallVector<char, 0> out;
  llvm::raw_svector_ostream os(out);
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::ObjectFile))
    return Error(ErrorKind::Usage, "compiler tier: this target cannot emit object files");
  pm.run(mod);
  return std::vector<uint8_t>(out.begin(), out.end());
}

Expected<std::vector<uint8_t>> compile_object(const CompiledModule& cm, std::span<const uint32_t> defined,
                                              const exec::JitRuntime& rt, const exec::JitOptions& options) {
  const Module& m = cm.module;
  std::vector<uint32_t> set(defined.begin(), defined.end());
  if (set.empty() && options.loop_entries.empty())
    for (uint32_t i = 0; i < m.functions.size(); ++i) set.push_back(i);
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
  if (!set.empty() && set.back() >= m.functions.size())
    return Error(ErrorKind::Usage, "compiler tier: defined function " + std::to_string(set.back()) +
                                       " asked for, the module defines " + std::to_string(m.functions.size()));
  const double t0 = thread_cpu_ms();
  WNN_TRY(tm, host_target_machine(options.level));

  auto ctx = std::make_unique<llvm::LLVMContext>();
  auto mod = std::make_unique<llvm::Module>("wasm", *ctx);
  mod->setDataLayout(tm->createDataLayout());
  mod->setTargetTriple(tm->getTargetTriple().str());

  ModuleState ms{cm, rt, *ctx, *mod, std::vector<llvm::Function*>(m.functions.size()), {}, options.exact_fuel};
  ms.level = options.level;
  for (uint32_t i : set) {
    const FuncType& ft = m.types[m.functions[i]];
    auto* f = llvm::Function::Create(internal_type(*ctx, ft), llvm::Function::InternalLinkage,
                                     "f" + std::to_string(m.num_imported_funcs + i), *mod);
    use_internal_convention(*f);
    f->addFnAttr(llvm::Attribute::StrictFP);
    f->addFnAttr(llvm::Attribute::NoUnwind);
    ms.funcs[i] = f;
  }
  auto stopped = [&] { return options.compile_options && rt.stop_requested(*options.compile_options); };
  for (uint32_t i : set) {
    if (stopped())
      return rt.interrupted_compile("function " + std::to_string(m.num_imported_funcs + i) + " of " +
                                    std::to_string(m.total_funcs()) + " (native code)");
    FunctionCompiler fc(ms, i);
    WNN_TRY_VOID(fc.compile());
    emit_entry(*mod, ms.funcs[i], m.types[m.functions[i]], "e" + std::to_string(i));
  }
  std::vector<std::pair<uint32_t, std::vector<uint32_t>>> loop_entries;  // function, the loops it enters
  for (size_t k = 0; k < options.loop_entries.size(); ++k) {
    const uint32_t i = options.loop_entries[k];
    if (i >= m.functions.size() ||
        std::any_of(loop_entries.begin(), loop_entries.end(), [i](const auto& e) { return e.first == i; }))
      continue;
    if (stopped())
      return rt.interrupted_compile("the loop entry of function " + std::to_string(m.num_imported_funcs + i));
    const uint32_t switch_loop = k < options.switch_loops.size() ? options.switch_loops[k] : 0;
    WNN_TRY(loops, compile_loop_entry(ms, i, switch_loop));
    if (!loops.empty()) loop_entries.push_back({i, std::move(loops)});
  }
  if (ms.stubs.unknown_handler)
    return Error(ErrorKind::Invalid,
                 "compiler tier: a stub starts with a handler the object format has no number for (a wnn bug)");
  emit_object_info(*mod, ms, set, loop_entries);
  const uint32_t dump = options.dump_function;
  const bool dumping = dump >= m.num_imported_funcs && dump - m.num_imported_funcs < m.functions.size() &&
                       ms.funcs[dump - m.num_imported_funcs];
  // The loop entry instead of the function (dump_code --loop-entry).
  llvm::Function* dumped_entry =
      dumping && options.dump_loop_entry ? mod->getFunction(loop_entry_name(dump - m.num_imported_funcs)) : nullptr;
  if (dumping && options.dump_before_opt)
    (dumped_entry ? dumped_entry : ms.funcs[dump - m.num_imported_funcs])->print(llvm::errs());
  {
    std::string msg;
    llvm::raw_string_ostream os(msg);
    if (llvm::verifyModule(*mod, &os))
      return Error(ErrorKind::Invalid,
                   "compiler tier: generated code does not verify (a wnn bug): " + msg.substr(0, 2000));
  }
  if (stopped()) return rt.interrupted_compile("the optimisation of the native code");
  const double t1 = thread_cpu_ms();
  optimize(*mod, *tm, options.level);
  const double t2 = thread_cpu_ms();
  if (stopped()) return rt.interrupted_compile("the code generation of the native code");
  if (dumping && !options.dump_before_opt) {
    // Called only from its entry wrapper, a function is inlined into it.
    std::string name = "f" + std::to_string(dump);
    if (!mod->getFunction(name)) name = "e" + std::to_string(dump - m.num_imported_funcs);
    if (options.dump_loop_entry) name = loop_entry_name(dump - m.num_imported_funcs);
    if (options.dump_asm)
      print_asm(*mod, *tm, name);
    else if (llvm::Function* f = mod->getFunction(name))
      f->print(llvm::errs());
  }
  Expected<std::vector<uint8_t>> object = emit_object(*mod, *tm);
  if (options.times) *options.times = {.ir = t1 - t0, .optimise = t2 - t1, .codegen = thread_cpu_ms() - t2};
  return object;
}

}  // namespace

}  // namespace wnn::jit

#pragma clang diagnostic ignored "-Wreturn-type-c-linkage"  // both sides are this C++ build
extern "C" __attribute__((visibility("default"))) wnn::Expected<std::vector<uint8_t>> wnn_jit_compile_object(
    const wnn::CompiledModule& m, std::span<const uint32_t> defined, const wnn::exec::JitRuntime& rt,
    const wnn::exec::JitOptions& options) {
  try {
    return wnn::jit::compile_object(m, defined, rt, options);
  } catch (const std::bad_alloc&) {
    return wnn::Error(wnn::ErrorKind::Exhaustion, "out of host memory while compiling the module to native code");
  }
}
