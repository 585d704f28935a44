/* stb_image (Debian libstb-dev) configured for wasm32 guests: only the PNG
   and JPEG decoders, no SIMD paths, no thread-locals. Include it in exactly one
   source file (it defines the implementation). */
#ifndef WNN_STB_IMAGE_WASM_H
#define WNN_STB_IMAGE_WASM_H
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_SIMD
#define STBI_NO_THREAD_LOCALS
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wunused-function"
#include <stb_image.h>
#pragma clang diagnostic pop
#endif
