// C guest for the WASI tests: one scenario per argv[1], exercising wasi-libc.
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "common.h"

static int cmp(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static int write_file(const char* path, const char* text) {
  FILE* f = fopen(path, "w");
  if (!f) return -1;
  fputs(text, f);
  return fclose(f);
}

static int scenario_files(const char* dir) {
  char p[256];
  snprintf(p, sizeof p, "%s/out.txt", dir);
  if (write_file(p, "line one\nline two\n") != 0) {
    perror("write");
    return 1;
  }
  FILE* f = fopen(p, "a");
  fputs("line three\n", f);
  fclose(f);
  f = fopen(p, "r");
  char buf[64];
  while (fgets(buf, sizeof buf, f)) printf("read: %s", buf);
  fclose(f);
  snprintf(p, sizeof p, "%s/in.txt", dir);
  f = fopen(p, "r");
  if (!f) {
    perror("in.txt");
    return 1;
  }
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = 0;
  fclose(f);
  printf("in.txt: %s", buf);
  return 0;
}

static int scenario_dirs(const char* dir) {
  char p[256], q[256];
  snprintf(p, sizeof p, "%s/d", dir);
  TRY("mkdir d", mkdir(p, 0755));
  TRY("mkdir d again", mkdir(p, 0755));
  for (int i = 0; i < 40; ++i) {  // enough entries to need several fd_readdir calls
    snprintf(q, sizeof q, "%s/d/file%02d", dir, i);
    write_file(q, "x");
  }
  snprintf(q, sizeof q, "%s/d/sub", dir);
  TRY("mkdir d/sub", mkdir(q, 0755));
  DIR* d = opendir(p);
  if (!d) {
    perror("opendir");
    return 1;
  }
  char* names[64];
  int n = 0, dirs = 0;
  struct dirent* e;
  while ((e = readdir(d)) && n < 64) {
    if (e->d_type == DT_DIR) ++dirs;
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp);
  printf("entries: %d (dirs incl. . and ..: %d)\n", n, dirs);
  printf("first: %s %s %s last: %s\n", names[0], names[1], names[2], names[n - 1]);
  TRY("rmdir d (not empty)", rmdir(p));
  TRY("unlink d/sub (a dir)", unlink(q));
  TRY("rmdir d/sub", rmdir(q));
  for (int i = 0; i < 40; ++i) {
    snprintf(q, sizeof q, "%s/d/file%02d", dir, i);
    if (i % 2 == 0) unlink(q);
  }
  snprintf(q, sizeof q, "%s/d/file01", dir);
  snprintf(p, sizeof p, "%s/d/renamed", dir);
  TRY("rename file01", rename(q, p));
  TRY("stat old name", access(q, F_OK));
  return 0;
}

static int scenario_stat(const char* dir) {
  char p[256];
  snprintf(p, sizeof p, "%s/in.txt", dir);
  struct stat st;
  TRY("stat", stat(p, &st));
  printf("size=%lld reg=%d dir=%d nlink=%llu\n", (long long)st.st_size, S_ISREG(st.st_mode), S_ISDIR(st.st_mode),
         (unsigned long long)st.st_nlink);
  struct timespec ts[2] = {{1000000000, 123456789}, {1234567890, 987654321}};
  TRY("utimensat", utimensat(AT_FDCWD, p, ts, 0));
  stat(p, &st);
  printf("atime=%lld.%09ld mtime=%lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  int fd = open(p, O_RDWR);
  struct timespec ts2[2] = {{0, UTIME_OMIT}, {2000000000, 5}};
  TRY("futimens", futimens(fd, ts2));
  fstat(fd, &st);
  printf("fstat mtime=%lld.%09ld atime unchanged=%d\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
         st.st_atim.tv_sec == 1000000000);
  TRY("ftruncate 3", ftruncate(fd, 3));
  fstat(fd, &st);
  printf("size after truncate=%lld\n", (long long)st.st_size);
  close(fd);
  snprintf(p, sizeof p, "%s", dir);
  TRY("stat dir", stat(p, &st));
  printf("dir=%d\n", S_ISDIR(st.st_mode));
  snprintf(p, sizeof p, "%s/link", dir);
  TRY("symlink", symlink("in.txt", p));
  TRY("lstat link", lstat(p, &st));
  printf("lnk=%d\n", S_ISLNK(st.st_mode));
  TRY("stat link", stat(p, &st));
  printf("reg=%d size=%lld\n", S_ISREG(st.st_mode), (long long)st.st_size);
  char buf[64];
  ssize_t n = readlink(p, buf, sizeof buf);
  printf("readlink: %.*s\n", (int)n, buf);
  return 0;
}

static int scenario_seek(const char* dir) {
  char p[256];
  snprintf(p, sizeof p, "%s/seek.bin", dir);
  int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
  write(fd, "0123456789", 10);
  printf("tell=%lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("seek set 3=%lld\n", (long long)lseek(fd, 3, SEEK_SET));
  char b[8] = {0};
  read(fd, b, 4);
  printf("read=%s\n", b);
  printf("seek cur -2=%lld\n", (long long)lseek(fd, -2, SEEK_CUR));
  printf("seek end -1=%lld\n", (long long)lseek(fd, -1, SEEK_END));
  TRY("seek negative", lseek(fd, -100, SEEK_SET));
  memset(b, 0, sizeof b);
  pread(fd, b, 3, 7);
  printf("pread@7=%s\n", b);
  pwrite(fd, "AB", 2, 1);
  printf("tell after pread/pwrite=%lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("seek past end=%lld\n", (long long)lseek(fd, 20, SEEK_SET));
  write(fd, "Z", 1);
  close(fd);
  return 0;
}

static int scenario_args(int argc, char** argv) {
  printf("argc=%d\n", argc);
  for (int i = 1; i < argc; ++i) printf("argv[%d]=%s\n", i, argv[i]);
  extern char** environ;
  int n = 0;
  for (char** e = environ; *e; ++e) ++n;
  printf("environ count=%d\n", n);
  const char* v = getenv("GREETING");
  printf("GREETING=%s\n", v ? v : "(unset)");
  v = getenv("HOME");
  printf("HOME=%s\n", v ? v : "(unset)");
  return 0;
}

static int scenario_clock(void) {
  struct timespec r, m1, m2, res, cpu;
  clock_gettime(CLOCK_REALTIME, &r);
  clock_gettime(CLOCK_MONOTONIC, &m1);
  struct timespec sl = {0, 20 * 1000 * 1000};
  nanosleep(&sl, NULL);  // poll_oneoff with a clock subscription
  clock_gettime(CLOCK_MONOTONIC, &m2);
  long long dt = (m2.tv_sec - m1.tv_sec) * 1000000000LL + (m2.tv_nsec - m1.tv_nsec);
  printf("realtime after 2020: %d\n", r.tv_sec > 1577836800);
  printf("slept >= 20ms: %d\n", dt >= 20 * 1000 * 1000);
  printf("slept < 2s: %d\n", dt < 2000LL * 1000 * 1000);
  clock_getres(CLOCK_MONOTONIC, &res);
  printf("monotonic res <= 1ms: %d\n", res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000);
  TRY("process cputime", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu));
  TRY("thread cputime", clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu));
  printf("time(): %d\n", time(NULL) > 1577836800);
  return 0;
}

static int scenario_random(void) {
  unsigned char a[32], b[32];
  TRY("getentropy a", getentropy(a, sizeof a));
  TRY("getentropy b", getentropy(b, sizeof b));
  printf("differ: %d\n", memcmp(a, b, sizeof a) != 0);
  int zeros = 0;
  for (int i = 0; i < 32; ++i) zeros += a[i] == 0;
  printf("not all zero: %d\n", zeros < 32);
  printf("arc4random differs: %d\n", arc4random() != arc4random() || arc4random() != arc4random());
  return 0;
}

static int scenario_errors(const char* dir) {
  char p[256], q[256];
  snprintf(p, sizeof p, "%s/nonexistent", dir);
  TRY("open missing", open(p, O_RDONLY));
  snprintf(p, sizeof p, "%s/in.txt", dir);
  TRY("open excl existing", open(p, O_RDWR | O_CREAT | O_EXCL, 0644));
  TRY("opendir on file", open(p, O_RDONLY | O_DIRECTORY));
  snprintf(q, sizeof q, "%s/in.txt/x", dir);
  TRY("path through file", open(q, O_RDONLY));
  snprintf(p, sizeof p, "%s", dir);
  TRY("open dir for write", open(p, O_WRONLY));
  snprintf(p, sizeof p, "%s/in.txt/", dir);
  TRY("unlink file/", unlink(p));
  TRY("read bad fd", read(77, q, 1));
  TRY("close bad fd", close(77));
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  TRY("read a directory", read(fd, q, 1));
  close(fd);
  snprintf(p, sizeof p, "%s/in.txt", dir);
  fd = open(p, O_RDONLY);
  TRY("write read-only fd", write(fd, "x", 1));
  close(fd);
  TRY("seek on pipe/tty stdin", lseek(0, 0, SEEK_END) < 0 && errno == ESPIPE ? -1 : 0);
  return 0;
}

// Named so that the trap's backtrace shows it.
__attribute__((noinline)) void crash_here(int x) {
  if (x > 0) __builtin_trap();
}

static int scenario_stdin(void) {
  char buf[256];
  size_t n, total = 0;
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
    for (size_t i = 0; i < n; ++i)
      if (buf[i] >= 'a' && buf[i] <= 'z') buf[i] -= 32;
    fwrite(buf, 1, n, stdout);
    total += n;
  }
  fprintf(stderr, "%zu bytes\n", total);
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    puts("hello from C");
    return 0;
  }
  const char* s = argv[1];
  const char* dir = argc > 2 ? argv[2] : "/sandbox";
  if (!strcmp(s, "files")) return scenario_files(dir);
  if (!strcmp(s, "dirs")) return scenario_dirs(dir);
  if (!strcmp(s, "stat")) return scenario_stat(dir);
  if (!strcmp(s, "seek")) return scenario_seek(dir);
  if (!strcmp(s, "args")) return scenario_args(argc, argv);
  if (!strcmp(s, "clock")) return scenario_clock();
  if (!strcmp(s, "random")) return scenario_random();
  if (!strcmp(s, "errors")) return scenario_errors(dir);
  if (!strcmp(s, "stdin")) return scenario_stdin();
  if (!strcmp(s, "sleep")) {  // argv[2] milliseconds, in poll_oneoff
    puts("sleeping");
    fflush(stdout);
    usleep((useconds_t)atoi(argv[2]) * 1000u);
    puts("woke");
    return 0;
  }
  if (!strcmp(s, "exit")) {
    printf("exiting with %s\n", argv[2]);
    fflush(stdout);
    fprintf(stderr, "bye\n");
    exit(atoi(argv[2]));
  }
  if (!strcmp(s, "trap")) {
    puts("about to trap");
    fflush(stdout);
    crash_here(argc);
  }
  fprintf(stderr, "unknown scenario %s\n", s);
  return 2;
}
