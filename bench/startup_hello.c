// The hello-world WASI command whose startup bench/startup measures.
#include <stdio.h>

int main(void) {
  puts("hello, world");
  return 0;
}
