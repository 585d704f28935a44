// WASI embedded in this process, which keeps SIGPIPE's default action (kill)
// as an embedder may: the guest writes to a pipe whose reader is gone and must
// get EPIPE, while this process lives on, its signal mask and disposition
// unchanged and no SIGPIPE left pending.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "wnn/runtime.h"
#include "wnn/wasi.h"

namespace {

std::vector<uint8_t> read_guest(const std::string& name) {
  std::ifstream in(std::string(GUEST_DIR) + "/" + name + ".wasm", std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(WasiEmbed, BrokenPipeIsEpipeNotSigpipe) {
  struct sigaction dfl{}, old{};
  dfl.sa_handler = SIG_DFL;
  ASSERT_EQ(sigaction(SIGPIPE, &dfl, &old), 0);
  sigset_t mask_before, mask_after, pending;
  pthread_sigmask(SIG_SETMASK, nullptr, &mask_before);

  int out[2], err[2];
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(err, O_CLOEXEC | O_NONBLOCK), 0);
  close(out[0]);  // no reader: a write raises SIGPIPE unless wnn prevents it

  auto compiled = wnn::compile(read_guest("stdio"));
  ASSERT_TRUE(compiled) << compiled.error().message;
  wnn::WasiConfig cfg;
  cfg.args = {"stdio", "epipe"};
  cfg.stdout_fd = out[1];
  cfg.stderr_fd = err[1];
  auto wasi = wnn::WasiContext::create(cfg);
  ASSERT_TRUE(wasi);
  wnn::Store store;
  auto inst = store.instantiate(*compiled,
                                [&](std::string_view m, std::string_view n) { return (*wasi)->resolve(store, m, n); });
  ASSERT_TRUE(inst) << inst.error().message;
  auto r = store.invoke(store.find_export(*inst, "_start")->func(), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().trap, wnn::TrapKind::Exit);
  EXPECT_EQ(r.error().exit_code, 3);

  char buf[256];
  const ssize_t n = read(err[0], buf, sizeof buf);
  EXPECT_EQ(std::string(buf, n > 0 ? size_t(n) : 0), "write: EPIPE\nwrite again: EPIPE\n");
  pthread_sigmask(SIG_SETMASK, nullptr, &mask_after);
  EXPECT_EQ(sigismember(&mask_after, SIGPIPE), sigismember(&mask_before, SIGPIPE));
  ASSERT_EQ(sigpending(&pending), 0);
  EXPECT_FALSE(sigismember(&pending, SIGPIPE));
  struct sigaction now{};
  sigaction(SIGPIPE, nullptr, &now);
  EXPECT_EQ(now.sa_handler, SIG_DFL);

  close(out[1]);
  close(err[0]);
  close(err[1]);
  sigaction(SIGPIPE, &old, nullptr);
}

}  // namespace
