// The wasi-nn worker's confinement, applied by the worker to itself after
// the backend has loaded its libraries, plugins and frontends and before it
// reads a single guest byte.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace wnn::nn::worker {

// RLIMIT_DATA (private writable memory: heap, anonymous maps, thread
// stacks; not the shared arena): more fails the allocation. 0: none.
std::optional<std::string> cap_memory(uint64_t bytes);

// PR_SET_NO_NEW_PRIVS and Landlock: read-only the directories of the
// libraries mapped now (the backend module and OpenVINO, whose plugins and
// frontends sit beside it), /proc/self and the CPU topology in /sys;
// read-write `cache_dir` and `tmp_dir`; nothing else; no TCP. Landlock binds
// the calling thread and the threads it creates later: call it while the
// process has one thread (before the backend starts its thread pool).
std::optional<std::string> restrict_files(const std::string& cache_dir, const std::string& tmp_dir);
// The seccomp allowlist (sandbox.cpp), on every thread (TSYNC).
std::optional<std::string> restrict_syscalls();

}  // namespace wnn::nn::worker
