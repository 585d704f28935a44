// The floor under the wasi-nn worker's round trip: two processes
// ping-ponging one 1300-byte request and an 800-byte reply over a
// SOCK_SEQPACKET socketpair, 20,000 times; with SPIN > 0 each side first
// polls up to SPIN times with MSG_DONTWAIT before it blocks.
//   clang++-19 -O2 -o socket_rtt bench/nn/socket_rtt.cpp && ./socket_rtt 0 && ./socket_rtt 2000
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>
int main(int argc, char** argv) {
  int spin = argc > 1 ? atoi(argv[1]) : 0;
  int sv[2];
  socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
  char buf[1400] = {};
  if (fork() == 0) {
    close(sv[0]);
    for (;;) {
      ssize_t n = -1;
      for (int i = 0; i < spin && n < 0; ++i) n = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
      if (n < 0) n = recv(sv[1], buf, sizeof buf, 0);
      if (n <= 0) _exit(0);
      send(sv[1], buf, 800, 0);
    }
  }
  close(sv[1]);
  std::vector<double> t;
  for (int i = 0; i < 20000; ++i) {
    auto a = std::chrono::steady_clock::now();
    send(sv[0], buf, 1300, 0);
    ssize_t n = -1;
    for (int k = 0; k < spin && n < 0; ++k) n = recv(sv[0], buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0) recv(sv[0], buf, sizeof buf, 0);
    t.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - a).count());
  }
  std::sort(t.begin(), t.end());
  printf("spin %d: median %.1f us p10 %.1f p90 %.1f\n", spin, t[t.size() / 2], t[t.size() / 10], t[t.size() * 9 / 10]);
  close(sv[0]);
  wait(nullptr);
}
