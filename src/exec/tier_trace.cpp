#include "exec/tier_trace.h"

#include <unistd.h>

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace wnn::exec {

namespace {
const auto started = std::chrono::steady_clock::now();
}  // namespace

bool tier_trace_on() {
  static const bool on = [] {
    const char* v = std::getenv("WNN_TIER_TRACE");
    return v && *v && *v != '0';
  }();
  return on;
}

double tier_trace_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
}

double tier_trace_thread_cpu_ms() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

void tier_trace(const char* format, ...) {
  if (!tier_trace_on()) return;
  char line[256];
  int n = std::snprintf(line, sizeof line, "wnn tier %8.2f ms: ", tier_trace_ms());
  va_list args;
  va_start(args, format);
  n += std::vsnprintf(line + n, sizeof line - size_t(n), format, args);
  va_end(args);
  if (n > int(sizeof line) - 2) n = int(sizeof line) - 2;
  line[n++] = '\n';
  // One write: lines from the compile thread and the guest's do not interleave.
  (void)!::write(STDERR_FILENO, line, size_t(n));
}

}  // namespace wnn::exec
