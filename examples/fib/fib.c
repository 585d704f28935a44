// A freestanding guest: no libc, one exported function.
// Built by CMake with clang-19 --target=wasm32 (see examples/CMakeLists.txt).
__attribute__((export_name("fib"))) int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
