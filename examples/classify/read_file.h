/* read_file: a whole file into a malloc'd buffer, for wasm32-wasi guests
 * (the classify example, the wasi-nn test guests, bench/nn). Exits with a
 * message naming the path when it cannot; a guest only sees files under the
 * directories it was given with --dir. */
#ifndef WNN_GUEST_READ_FILE_H
#define WNN_GUEST_READ_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static inline uint8_t* read_file(const char* path, uint32_t* len) {
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s (is its directory given with --dir?)\n", path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t* b = (uint8_t*)malloc(n > 0 ? (size_t)n : 1);
  if (n < 0 || !b || fread(b, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(1);
  }
  fclose(f);
  *len = (uint32_t)n;
  return b;
}

/* read_file of DIR/NAME. */
static inline uint8_t* read_file_in(const char* dir, const char* name, uint32_t* len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return read_file(path, len);
}

#endif
