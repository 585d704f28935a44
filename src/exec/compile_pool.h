// The background compile pool of Tier::Auto (tiering.h): threads that run
// TierState::run_batch, and process exit that never waits for them. See
// docs/compiler.md, "Tiering".
#pragma once
#include <memory>

namespace wnn::exec {

class TierState;

// Queues a job: TierState::run_batch(job) on a pool thread (the pool starts
// on first use).
void submit_compile(std::weak_ptr<TierState> job);
// Registers the exit handler that ends the process at once while a job runs
// again, so that it runs before the handlers of what was loaded since
// (exit runs them newest first): after libwnn_jit.so's load, before LLVM's.
void exit_without_waiting_from_now();

}  // namespace wnn::exec
