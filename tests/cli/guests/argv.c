// Prints its argc and each argv element in brackets, bytes outside printable
// ASCII (and the brackets and backslash) as \xNN, so the test can compare
// what the guest received byte for byte.
#include <stdio.h>

int main(int argc, char** argv) {
  printf("%d\n", argc);
  for (int i = 0; i < argc; ++i) {
    putchar('[');
    for (const unsigned char* p = (const unsigned char*)argv[i]; *p; ++p) {
      if (*p < 0x20 || *p >= 0x7f || *p == '[' || *p == ']' || *p == '\\')
        printf("\\x%02x", *p);
      else
        putchar(*p);
    }
    putchar(']');
  }
  putchar('\n');
  return 0;
}
