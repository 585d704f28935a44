// llm_native: the reference for wasi-nn's GGML backend — the same llama.cpp
// (the build's, from scripts/setup) called natively with the settings a guest
// gives in its JSON config, tokens sampled by the same chain as
// src/nn/ggml. Prints the continuation of PROMPT as it is generated; the
// chat example's test (tests/nn/chat_test.sh) compares it with what the guests
// stream, bench/nn/run times it against the bench guest (bench/nn/llm_guest.c).
//
//   llm_native MODEL PROMPT [--n-predict N] [--ctx-size N] [--batch-size N]
//              [--temp T] [--top-p P] [--repeat-penalty R] [--seed S]
//              [--top-k K] [--min-p P] [--last-n-penalty N] [--threads N]
//              [--ignore-eos] [--bench RUNS]
//
// --bench RUNS: generates RUNS times (KV cache and sampler reset in between)
// and prints, per run, one line `run I pp_tokens N pp_us T tg_tokens M tg_us U`:
// pp = tokenising and decoding the prompt, then the first step (sample a
// token, render it, decode it): what the guest's first compute_single does;
// tg = the further steps (its later compute_single calls); also the CPU time
// of this thread for each (pp_cpu_us, tg_cpu_us).
#include <llama.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace {

// The defaults, context and sampling chain of src/nn/ggml (docs/wasi-nn.md).
struct Settings {
  int n_predict = -1;  // until end of generation or a full context
  int ctx_size = 4096;
  int batch_size = 512;
  int threads = 0;  // 0: the CPUs this process may run on
  double temp = 0.8, top_p = 0.95, min_p = 0.05, repeat_penalty = 1.0;
  int top_k = 40, last_n_penalty = 64;
  uint32_t seed = LLAMA_DEFAULT_SEED;
  bool ignore_eos = false;
  int bench_runs = 0;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "llm_native: %s\nusage: llm_native MODEL PROMPT [--n-predict N] [--ctx-size N] [--batch-size N] "
               "[--temp T] [--top-p P] [--top-k K] [--min-p P] [--repeat-penalty R] [--last-n-penalty N] [--seed S] "
               "[--threads N] [--ignore-eos] [--bench RUNS]\n",
               why);
  std::exit(2);
}

double number(const char* opt, const char* text) {
  char* end = nullptr;
  double v = std::strtod(text, &end);
  if (end == text || *end != '\0' || !std::isfinite(v)) usage((std::string(opt) + " needs a number").c_str());
  return v;
}

Settings parse(int argc, char** argv) {
  Settings s;
  for (int i = 3; i < argc; i += 2) {
    std::string_view opt = argv[i];
    if (opt == "--ignore-eos") {
      s.ignore_eos = true;
      --i;
      continue;
    }
    if (i + 1 >= argc) usage((std::string(opt) + " needs a value").c_str());
    double v = number(argv[i], argv[i + 1]);
    if (opt == "--n-predict")
      s.n_predict = static_cast<int>(v);
    else if (opt == "--ctx-size")
      s.ctx_size = static_cast<int>(v);
    else if (opt == "--batch-size")
      s.batch_size = static_cast<int>(v);
    else if (opt == "--temp")
      s.temp = v;
    else if (opt == "--top-p")
      s.top_p = v;
    else if (opt == "--top-k")
      s.top_k = static_cast<int>(v);
    else if (opt == "--min-p")
      s.min_p = v;
    else if (opt == "--repeat-penalty")
      s.repeat_penalty = v;
    else if (opt == "--last-n-penalty")
      s.last_n_penalty = static_cast<int>(v);
    else if (opt == "--seed")
      s.seed = static_cast<uint32_t>(v);
    else if (opt == "--threads")
      s.threads = static_cast<int>(v);
    else if (opt == "--bench")
      s.bench_runs = static_cast<int>(v);
    else
      usage(("unknown option " + std::string(opt)).c_str());
  }
  return s;
}

llama_sampler* make_sampler(const llama_vocab* vocab, const Settings& s) {
  llama_sampler_chain_params params = llama_sampler_chain_default_params();
  params.no_perf = true;
  llama_sampler* chain = llama_sampler_chain_init(params);
  if (s.repeat_penalty != 1.0 && s.last_n_penalty != 0)
    llama_sampler_chain_add(chain, llama_sampler_init_penalties(llama_vocab_n_tokens(vocab), s.last_n_penalty,
                                                                static_cast<float>(s.repeat_penalty), 0.0f, 0.0f));
  if (s.temp <= 0) {
    llama_sampler_chain_add(chain, llama_sampler_init_greedy());
    return chain;
  }
  if (s.top_k > 0) llama_sampler_chain_add(chain, llama_sampler_init_top_k(s.top_k));
  llama_sampler_chain_add(chain, llama_sampler_init_top_p(static_cast<float>(s.top_p), 1));
  llama_sampler_chain_add(chain, llama_sampler_init_min_p(static_cast<float>(s.min_p), 1));
  llama_sampler_chain_add(chain, llama_sampler_init_temp(static_cast<float>(s.temp)));
  llama_sampler_chain_add(chain, llama_sampler_init_dist(s.seed));
  return chain;
}

std::vector<llama_token> tokenize(const llama_vocab* vocab, const std::string& text) {
  int n = -llama_tokenize(vocab, text.data(), static_cast<int32_t>(text.size()), nullptr, 0, true, true);
  std::vector<llama_token> tokens(static_cast<size_t>(n));
  if (llama_tokenize(vocab, text.data(), static_cast<int32_t>(text.size()), tokens.data(), n, true, true) != n) {
    std::fprintf(stderr, "llm_native: cannot tokenize the prompt\n");
    std::exit(1);
  }
  return tokens;
}

std::string piece(const llama_vocab* vocab, llama_token t) {
  char buf[256];
  int n = llama_token_to_piece(vocab, t, buf, sizeof buf, 0, true);
  if (n < 0) {
    std::fprintf(stderr, "llm_native: token %d has a piece of more than %zu bytes\n", t, sizeof buf);
    std::exit(1);
  }
  return std::string(buf, static_cast<size_t>(n));
}

double now_us() {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// CPU time of this thread: with one llama.cpp thread, all of the compute.
double cpu_us() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

struct Timing {
  size_t pp_tokens = 0, tg_tokens = 0;
  double pp_us = 0, tg_us = 0, pp_cpu_us = 0, tg_cpu_us = 0;
};

// One generation; prints the pieces when `print`.
Timing generate(llama_context* ctx, const llama_vocab* vocab, llama_sampler* smpl, const std::string& prompt,
                const Settings& s, bool print) {
  Timing t;
  const size_t n_ctx = static_cast<size_t>(s.ctx_size);  // as asked: llama.cpp pads its own to 256
  double t0 = now_us(), c0 = cpu_us();
  std::vector<llama_token> tokens = tokenize(vocab, prompt);
  t.pp_tokens = tokens.size();
  if (tokens.size() + 4 > n_ctx) {  // the backend's (and WasmEdge's) prompt_too_long rule
    std::fprintf(stderr, "llm_native: the prompt's %zu tokens do not fit the context of %zu\n", tokens.size(), n_ctx);
    std::exit(1);
  }
  const size_t n_batch = llama_n_batch(ctx);
  for (size_t at = 0; at < tokens.size(); at += n_batch) {
    size_t n = std::min(tokens.size() - at, n_batch);
    if (llama_decode(ctx, llama_batch_get_one(tokens.data() + at, static_cast<int32_t>(n))) != 0) {
      std::fprintf(stderr, "llm_native: llama_decode of the prompt failed\n");
      std::exit(1);
    }
  }
  size_t pos = tokens.size();
  // As the backend: each step samples a token, renders it and decodes it at once.
  for (int i = 0; s.n_predict < 0 || i < s.n_predict; ++i) {
    llama_token tok = llama_sampler_sample(smpl, ctx, -1);
    if (!s.ignore_eos && llama_vocab_is_eog(vocab, tok)) break;
    std::string p = piece(vocab, tok);
    if (print) {
      std::fwrite(p.data(), 1, p.size(), stdout);
      std::fflush(stdout);
    }
    if (pos + 1 > n_ctx) break;  // context full
    if (llama_decode(ctx, llama_batch_get_one(&tok, 1)) != 0) {
      std::fprintf(stderr, "llm_native: llama_decode failed at position %zu\n", pos);
      std::exit(1);
    }
    ++pos;
    if (i == 0) {
      t.pp_us = now_us() - t0;
      t.pp_cpu_us = cpu_us() - c0;
    } else {
      ++t.tg_tokens;
    }
  }
  t.tg_us = now_us() - t0 - t.pp_us;
  t.tg_cpu_us = cpu_us() - c0 - t.pp_cpu_us;
  return t;
}

int available_cpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  return std::clamp(CPU_COUNT(&set), 1, 64);
}

void quiet(ggml_log_level level, const char* text, void*) {
  if (level == GGML_LOG_LEVEL_ERROR) std::fputs(text, stderr);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) usage("needs MODEL and PROMPT");
  Settings s = parse(argc, argv);
  llama_log_set(quiet, nullptr);
  llama_backend_init();
  llama_model_params mp = llama_model_default_params();
  mp.n_gpu_layers = 0;
  mp.load_mode = LLAMA_LOAD_MODE_NONE;  // read, not mapped, as the backend does
  mp.check_tensors = true;
  llama_model* model = llama_model_load_from_file(argv[1], mp);
  if (!model) {
    std::fprintf(stderr, "llm_native: cannot load %s\n", argv[1]);
    return 1;
  }
  const llama_vocab* vocab = llama_model_get_vocab(model);
  llama_context_params cp = llama_context_default_params();
  const int n_train = llama_model_n_ctx_train(model);
  cp.n_ctx = static_cast<uint32_t>(s.ctx_size <= 0 || s.ctx_size > n_train ? n_train : s.ctx_size);
  s.ctx_size = static_cast<int>(cp.n_ctx);
  cp.n_batch = std::min(static_cast<uint32_t>(s.batch_size), cp.n_ctx);
  cp.n_ubatch = std::min(cp.n_batch, 512u);
  cp.n_seq_max = 1;
  cp.n_threads = cp.n_threads_batch = s.threads > 0 ? s.threads : available_cpus();
  cp.no_perf = true;
  llama_context* ctx = llama_init_from_model(model, cp);
  if (!ctx) {
    std::fprintf(stderr, "llm_native: cannot create a context of %u tokens\n", cp.n_ctx);
    return 1;
  }
  llama_sampler* smpl = make_sampler(vocab, s);
  if (s.bench_runs <= 0) {
    generate(ctx, vocab, smpl, argv[2], s, true);
  } else {
    for (int r = 0; r < s.bench_runs; ++r) {
      llama_memory_clear(llama_get_memory(ctx), true);
      llama_sampler_reset(smpl);
      Timing t = generate(ctx, vocab, smpl, argv[2], s, false);
      std::printf("run %d pp_tokens %zu pp_us %.1f tg_tokens %zu tg_us %.1f pp_cpu_us %.1f tg_cpu_us %.1f\n", r,
                  t.pp_tokens, t.pp_us, t.tg_tokens, t.tg_us, t.pp_cpu_us, t.tg_cpu_us);
    }
  }
  llama_sampler_free(smpl);
  llama_free(ctx);
  llama_model_free(model);
  llama_backend_free();
  return 0;
}
