// Minimal freestanding runtime for the WASI-free wasm variant of the kernels:
// the memory functions clang may call for struct copies, array zeroing and
// recognised loops. Built with -fno-builtin so these loops stay loops.
#include <stddef.h>
#include <stdint.h>

void* memset(void* dst, int c, size_t n) {
  uint8_t* d = dst;
  uint32_t w = (uint8_t)c * 0x01010101u;
  while (n && ((uintptr_t)d & 3)) {
    *d++ = (uint8_t)c;
    --n;
  }
  for (; n >= 16; n -= 16, d += 16) {
    ((uint32_t*)d)[0] = w;
    ((uint32_t*)d)[1] = w;
    ((uint32_t*)d)[2] = w;
    ((uint32_t*)d)[3] = w;
  }
  for (; n >= 4; n -= 4, d += 4) *(uint32_t*)d = w;
  while (n--) *d++ = (uint8_t)c;
  return dst;
}

static void copy_forward(uint8_t* d, const uint8_t* s, size_t n) {
  if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
    while (n && ((uintptr_t)d & 7)) {
      *d++ = *s++;
      --n;
    }
    for (; n >= 32; n -= 32, d += 32, s += 32) {
      uint64_t a = ((const uint64_t*)s)[0], b = ((const uint64_t*)s)[1];
      uint64_t c = ((const uint64_t*)s)[2], e = ((const uint64_t*)s)[3];
      ((uint64_t*)d)[0] = a;
      ((uint64_t*)d)[1] = b;
      ((uint64_t*)d)[2] = c;
      ((uint64_t*)d)[3] = e;
    }
    for (; n >= 8; n -= 8, d += 8, s += 8) *(uint64_t*)d = *(const uint64_t*)s;
  }
  while (n--) *d++ = *s++;
}

void* memcpy(void* __restrict dst, const void* __restrict src, size_t n) {
  copy_forward(dst, src, n);
  return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
  uint8_t* d = dst;
  const uint8_t* s = src;
  if (d == s || n == 0) return dst;
  if (d < s || d >= s + n) {
    copy_forward(d, s, n);
    return dst;
  }
  d += n;
  s += n;  // overlapping, destination above source: copy backwards
  if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
    while (n && ((uintptr_t)d & 7)) {
      *--d = *--s;
      --n;
    }
    for (; n >= 8; n -= 8) {
      d -= 8;
      s -= 8;
      *(uint64_t*)d = *(const uint64_t*)s;
    }
  }
  while (n--) *--d = *--s;
  return dst;
}

int memcmp(const void* a, const void* b, size_t n) {
  const uint8_t *x = a, *y = b;
  for (; n; --n, ++x, ++y)
    if (*x != *y) return *x - *y;
  return 0;
}
