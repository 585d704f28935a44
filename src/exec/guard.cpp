#include "exec/guard.h"

#include <signal.h>

#include <mutex>

#include "exec/thread.h"

namespace wnn::exec {

thread_local GuardFrame* t_guard = nullptr;

namespace {

struct sigaction g_previous;

void on_fault(int sig, siginfo_t* info, void* context) {
  if (GuardFrame* g = t_guard) {
    const Instance* inst = g->thread->inst;
    if (inst && !inst->memories.empty()) {
      const MemoryInst* m = inst->memories[0];
      const uint8_t* addr = static_cast<const uint8_t*>(info->si_addr);
      if (addr >= m->base && addr < m->base + m->reserved) siglongjmp(g->jump, int(TrapKind::MemoryOutOfBounds));
    }
  }
  // Not a guest memory access: behave as if we were not installed.
  if (g_previous.sa_flags & SA_SIGINFO) {
    g_previous.sa_sigaction(sig, info, context);
  } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
    g_previous.sa_handler(sig);
  } else {
    signal(sig, SIG_DFL);  // returning re-executes the access, which now kills the process
  }
}

}  // namespace

void install_guard_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa{};
    sa.sa_sigaction = on_fault;
    sigemptyset(&sa.sa_mask);
    // SA_NODEFER: the handler leaves by siglongjmp without restoring the
    // signal mask, so SIGSEGV must not stay blocked.
    sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, &g_previous);
  });
}

}  // namespace wnn::exec
