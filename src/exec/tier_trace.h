// WNN_TIER_TRACE=1 (docs/compiler.md, "Tiering"): one line on stderr per
// tiering event — a batch queued, the compiler tier loaded, a batch compiled,
// linked and published, an activation switched at a loop — with the
// milliseconds since wnn started, so a user sees how long a program ran on
// the interpreter and where the time to compiled code went.
#pragma once

namespace wnn::exec {

// Whether WNN_TIER_TRACE is set (read once).
bool tier_trace_on();
// Milliseconds since this process's static initialisation (about its start).
double tier_trace_ms();
// CPU time of the calling thread, in milliseconds.
double tier_trace_thread_cpu_ms();
// "wnn tier <ms>: <printf text>\n" on stderr, when tracing; one write.
[[gnu::format(printf, 1, 2)]] void tier_trace(const char* format, ...);

}  // namespace wnn::exec
