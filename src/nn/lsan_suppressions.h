// Include in exactly one source file of each program that runs OpenVINO in
// process under LeakSanitizer (the wnn binary, tests, fuzz targets).
// OpenVINO keeps per-thread state (its stream executors', TBB's observers)
// that it never frees before exit; LeakSanitizer would fail every such run.
// Leaks whose allocation stack does not pass through those libraries (wnn's
// own objects) are still reported.
#pragma once

#if defined(__SANITIZE_ADDRESS__) || (defined(__has_feature) && __has_feature(address_sanitizer))
extern "C" const char* __lsan_default_suppressions() { return "leak:libopenvino.so\nleak:libtbb.so\n"; }
#endif
