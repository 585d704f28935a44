// libwnn_jit.so's entry point: a validated module -> one LLVM module ->
// optimised (O2, host CPU) -> native code in an ORC LLJIT, whose lifetime is
// the CompiledModule's. See docs/compiler.md.
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Transforms/Utils/Cloning.h>

#include <algorithm>
#include <mutex>

#include "jit/function_compiler.h"

namespace wnn::jit {

namespace {

// What CompiledModule::native owns.
struct NativeCode {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::vector<std::unique_ptr<exec::Word[]>> stubs;
};

std::string llvm_message(llvm::Error e) { return llvm::toString(std::move(e)); }

uint32_t slots_of(ValType t) { return t == ValType::V128 ? 2 : 1; }

// void entry(Thread*, const JitView*, mem, Slot* fp): arguments from fp,
// results back to fp (the interpreter's convention).
void emit_entry(llvm::Module& mod, llvm::Function* f, const FuncType& ft, const std::string& name) {
  llvm::LLVMContext& ctx = mod.getContext();
  llvm::Type* ptr = llvm::PointerType::get(ctx, 0);
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr, ptr, ptr, ptr}, false);
  auto* e = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, mod);
  e->addFnAttr(llvm::Attribute::StrictFP);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", e));
  b.setIsFPConstrained(true);
  llvm::Value* fp = e->getArg(3);
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
  std::vector<llvm::Value*> rs = call_from_entry(b, f, e->getArg(0), e->getArg(1), e->getArg(2), args, ft.results.size());
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

void optimize(llvm::Module& mod, llvm::TargetMachine& tm) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
  mpm.run(mod, mam);
}

Expected<std::shared_ptr<void>> compile_module(CompiledModule& cm, const exec::JitRuntime& rt,
                                               const exec::JitOptions& options) {
  static std::once_flag init;
  std::call_once(init, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) return Error(ErrorKind::Usage, "compiler tier: " + llvm_message(jtmb.takeError()));
  jtmb->setCodeGenOptLevel(llvm::CodeGenOptLevel::Default);
  // Calls between functions of the module as direct rel32 calls, not
  // through a register loaded with the callee's 64-bit address.
  jtmb->setCodeModel(llvm::CodeModel::Small);
  auto tm = jtmb->createTargetMachine();
  if (!tm) return Error(ErrorKind::Usage, "compiler tier: " + llvm_message(tm.takeError()));

  auto native = std::make_shared<NativeCode>();
  auto ctx = std::make_unique<llvm::LLVMContext>();
  auto mod = std::make_unique<llvm::Module>("wasm", *ctx);
  mod->setDataLayout((*tm)->createDataLayout());
  mod->setTargetTriple((*tm)->getTargetTriple().str());

  const Module& m = cm.module;
  ModuleState ms{cm, rt, *ctx, *mod, {}, native->stubs};
  for (uint32_t i = 0; i < m.functions.size(); ++i) {
    const FuncType& ft = m.types[m.functions[i]];
    auto* f = llvm::Function::Create(internal_type(*ctx, ft), llvm::Function::InternalLinkage,
                                     "f" + std::to_string(m.num_imported_funcs + i), *mod);
    f->setCallingConv(llvm::CallingConv::Fast);
    f->addFnAttr(llvm::Attribute::StrictFP);
    f->addFnAttr(llvm::Attribute::NoUnwind);
    ms.funcs.push_back(f);
  }
  auto stopped = [&] { return options.compile_options && rt.stop_requested(*options.compile_options); };
  for (uint32_t i = 0; i < m.functions.size(); ++i) {
    if (stopped())
      return rt.interrupted_compile("function " + std::to_string(m.num_imported_funcs + i) + " of " +
                                    std::to_string(m.total_funcs()) + " (native code)");
    FunctionCompiler fc(ms, i);
    WNN_TRY_VOID(fc.compile());
    emit_entry(*mod, ms.funcs[i], m.types[m.functions[i]], "e" + std::to_string(i));
  }
  const uint32_t dump = options.dump_function;
  const bool dumping = dump >= m.num_imported_funcs && dump - m.num_imported_funcs < m.functions.size();
  if (dumping && options.dump_before_opt) ms.funcs[dump - m.num_imported_funcs]->print(llvm::errs());
  {
    std::string msg;
    llvm::raw_string_ostream os(msg);
    if (llvm::verifyModule(*mod, &os))
      return Error(ErrorKind::Invalid, "compiler tier: generated code does not verify (a wnn bug): " + msg.substr(0, 2000));
  }
  if (stopped()) return rt.interrupted_compile("the optimisation of the native code");
  optimize(*mod, **tm);
  if (stopped()) return rt.interrupted_compile("the code generation of the native code");
  if (dumping && !options.dump_before_opt) {
    // Called only from its entry wrapper, a function is inlined into it.
    std::string name = "f" + std::to_string(dump);
    if (!mod->getFunction(name)) name = "e" + std::to_string(dump - m.num_imported_funcs);
    if (options.dump_asm) print_asm(*mod, **tm, name);
    else if (llvm::Function* f = mod->getFunction(name)) f->print(llvm::errs());
  }

  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*jtmb)).create();
  if (!jit) return Error(ErrorKind::Usage, "compiler tier: " + llvm_message(jit.takeError()));
  native->jit = std::move(*jit);
  if (llvm::Error e = native->jit->addIRModule(llvm::orc::ThreadSafeModule(std::move(mod), std::move(ctx))))
    return Error(ErrorKind::Usage, "compiler tier: " + llvm_message(std::move(e)));
  std::vector<exec::FunctionCode> code(m.functions.size());
  for (uint32_t i = 0; i < m.functions.size(); ++i) {
    auto sym = native->jit->lookup("e" + std::to_string(i));
    if (!sym) return Error(ErrorKind::Usage, "compiler tier: " + llvm_message(sym.takeError()));
    const FuncType& ft = m.types[m.functions[i]];
    exec::FunctionCode& fc = code[i];
    for (ValType t : ft.params) fc.param_slots += slots_of(t);
    for (ValType t : ft.results) fc.result_slots += slots_of(t);
    fc.local_slots = fc.param_slots;
    fc.frame_slots = std::max(fc.param_slots, fc.result_slots);
    exec::Word w0{.h = rt.enter};
    exec::Word w1{.u64 = sym->getValue()};
    fc.code = {w0, w1};
  }
  cm.code = std::move(code);
  return std::shared_ptr<void>(std::move(native));
}

}  // namespace

}  // namespace wnn::jit

#pragma clang diagnostic ignored "-Wreturn-type-c-linkage"  // both sides are this C++ build
extern "C" __attribute__((visibility("default"))) wnn::Expected<std::shared_ptr<void>> wnn_jit_compile(
    wnn::CompiledModule& m, const wnn::exec::JitRuntime& rt, const wnn::exec::JitOptions& options) {
  try {
    return wnn::jit::compile_module(m, rt, options);
  } catch (const std::bad_alloc&) {
    return wnn::Error(wnn::ErrorKind::Exhaustion, "out of host memory while compiling the module to native code");
  }
}
