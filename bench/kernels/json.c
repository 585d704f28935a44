// json: generates a JSON document (nested objects and arrays, escaped
// strings, integers, decimals with exponents, literals) and parses it many
// times with a recursive-descent parser — byte-at-a-time scanning,
// character-class switches, recursion.
#include "bench.h"

#define DOC_MAX (1u << 20)
BENCH_PARAM(rounds, 18);

static char doc[DOC_MAX];
static uint32_t doc_len;
static uint32_t seed = 0x15A4E;

// ---- generator ----
static void put(char c) {
  if (doc_len < DOC_MAX - 1) doc[doc_len++] = c;
}
static void put_str(const char* s) {
  while (*s) put(*s++);
}
static void put_uint(uint32_t v) {
  char tmp[12];
  int n = 0;
  do tmp[n++] = (char)('0' + v % 10);
  while ((v /= 10) != 0);
  while (n) put(tmp[--n]);
}
static void gen_string(void) {
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
  uint32_t len = 1 + bench_rand(&seed) % 14;
  put('"');
  for (uint32_t i = 0; i < len; ++i) {
    uint32_t r = bench_rand(&seed);
    if (r % 23 == 0) {
      static const char esc[] = "nt\"\\/";
      put('\\');
      put(esc[(r >> 8) % 5]);
    } else if (r % 41 == 0) {
      put_str("\\u00");
      put("0123456789abcdef"[(r >> 8) & 7 ? 4 + ((r >> 8) & 3) : 2]);
      put("0123456789abcdef"[(r >> 12) & 15]);
    } else {
      put(alphabet[(r >> 8) % (sizeof alphabet - 1)]);
    }
  }
  put('"');
}
static void gen_value(int depth) {
  uint32_t r = bench_rand(&seed);
  uint32_t kind = depth > 5 ? 2 + r % 6 : r % 8;
  switch (kind) {
    case 0:
    case 1: {  // object or array
      uint32_t n = 1 + (r >> 8) % 7;
      put(kind ? '[' : '{');
      for (uint32_t i = 0; i < n; ++i) {
        if (i) put(',');
        if (!kind) {
          gen_string();
          put(':');
        }
        if ((r >> 16) & 1) put(' ');
        gen_value(depth + 1);
      }
      put(kind ? ']' : '}');
      break;
    }
    case 2:
    case 3: gen_string(); break;
    case 4:
      if (r & 256) put('-');
      put_uint((r >> 9) % 100000);
      break;
    case 5:
      put_uint((r >> 9) % 1000);
      put('.');
      put_uint(1 + (r >> 20) % 999);
      if (r & 256) {
        put_str("e-");
        put_uint(r % 7);
      }
      break;
    case 6: put_str(r & 256 ? "true" : "false"); break;
    default: put_str("null"); break;
  }
}
static void generate(void) {
  doc_len = 0;
  put('[');
  for (int i = 0; doc_len < DOC_MAX - 4096; ++i) {
    if (i) put_str(",\n");
    gen_value(0);
  }
  put(']');
  doc[doc_len] = 0;
}

// ---- parser ----
typedef struct {
  const char* p;
  uint32_t objects, arrays, strings, numbers, literals, string_hash, number_sum, max_depth;
  int error;
} Parser;

static void skip_ws(Parser* ps) {
  for (;;) {
    switch (*ps->p) {
      case ' ':
      case '\t':
      case '\n':
      case '\r': ++ps->p; break;
      default: return;
    }
  }
}
static int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
static void parse_string(Parser* ps) {
  uint32_t h = 2166136261u;
  ++ps->p;  // opening quote
  for (;;) {
    char c = *ps->p++;
    uint32_t ch;
    switch (c) {
      case '"':
        ps->strings++;
        ps->string_hash = bench_mix(ps->string_hash, h);
        return;
      case 0:
        ps->error = 1;
        --ps->p;
        return;
      case '\\':
        switch (*ps->p++) {
          case 'n': ch = '\n'; break;
          case 't': ch = '\t'; break;
          case 'r': ch = '\r'; break;
          case 'b': ch = '\b'; break;
          case 'f': ch = '\f'; break;
          case '"': ch = '"'; break;
          case '\\': ch = '\\'; break;
          case '/': ch = '/'; break;
          case 'u': {
            int a = hex(ps->p[0]), b = hex(ps->p[1]), d = hex(ps->p[2]), e = hex(ps->p[3]);
            if ((a | b | d | e) < 0) {
              ps->error = 1;
              return;
            }
            ch = (uint32_t)(a << 12 | b << 8 | d << 4 | e);
            ps->p += 4;
            break;
          }
          default: ps->error = 1; return;
        }
        break;
      default: ch = (uint8_t)c; break;
    }
    h = (h ^ ch) * 16777619u;
  }
}
static void parse_number(Parser* ps) {
  int neg = 0;
  uint32_t ip = 0, frac = 0, ex = 0;
  if (*ps->p == '-') {
    neg = 1;
    ++ps->p;
  }
  if (*ps->p < '0' || *ps->p > '9') {
    ps->error = 1;
    return;
  }
  while (*ps->p >= '0' && *ps->p <= '9') ip = ip * 10 + (uint32_t)(*ps->p++ - '0');
  if (*ps->p == '.') {
    ++ps->p;
    while (*ps->p >= '0' && *ps->p <= '9') frac = frac * 10 + (uint32_t)(*ps->p++ - '0');
  }
  if (*ps->p == 'e' || *ps->p == 'E') {
    ++ps->p;
    if (*ps->p == '-' || *ps->p == '+') ++ps->p;
    while (*ps->p >= '0' && *ps->p <= '9') ex = ex * 10 + (uint32_t)(*ps->p++ - '0');
  }
  ps->numbers++;
  ps->number_sum += (neg ? 0u - ip : ip) * 31 + frac * 7 + ex;
}
static int match(Parser* ps, const char* word) {
  const char* q = ps->p;
  while (*word)
    if (*q++ != *word++) return 0;
  ps->p = q;
  return 1;
}
static void parse_value(Parser* ps, uint32_t depth) {
  if (depth > ps->max_depth) ps->max_depth = depth;
  skip_ws(ps);
  switch (*ps->p) {
    case '{':
      ++ps->p;
      ps->objects++;
      skip_ws(ps);
      if (*ps->p == '}') {
        ++ps->p;
        return;
      }
      for (;;) {
        skip_ws(ps);
        if (*ps->p != '"') {
          ps->error = 1;
          return;
        }
        parse_string(ps);
        skip_ws(ps);
        if (*ps->p++ != ':') {
          ps->error = 1;
          return;
        }
        parse_value(ps, depth + 1);
        if (ps->error) return;
        skip_ws(ps);
        if (*ps->p == ',') {
          ++ps->p;
          continue;
        }
        if (*ps->p == '}') {
          ++ps->p;
          return;
        }
        ps->error = 1;
        return;
      }
    case '[':
      ++ps->p;
      ps->arrays++;
      skip_ws(ps);
      if (*ps->p == ']') {
        ++ps->p;
        return;
      }
      for (;;) {
        parse_value(ps, depth + 1);
        if (ps->error) return;
        skip_ws(ps);
        if (*ps->p == ',') {
          ++ps->p;
          continue;
        }
        if (*ps->p == ']') {
          ++ps->p;
          return;
        }
        ps->error = 1;
        return;
      }
    case '"': parse_string(ps); return;
    case 't':
      if (!match(ps, "true")) ps->error = 1;
      ps->literals++;
      return;
    case 'f':
      if (!match(ps, "false")) ps->error = 1;
      ps->literals++;
      return;
    case 'n':
      if (!match(ps, "null")) ps->error = 1;
      ps->literals++;
      return;
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': parse_number(ps); return;
    default: ps->error = 1; return;
  }
}

static uint32_t kernel(void) {
  generate();
  uint32_t h = 0, rounds = BENCH_GET(rounds);
  for (uint32_t r = 0; r < rounds; ++r) {
    Parser ps = {0};
    ps.p = doc;
    parse_value(&ps, 0);
    skip_ws(&ps);
    if (ps.error || *ps.p) return 0;
    h = bench_mix(h, ps.objects);
    h = bench_mix(h, ps.arrays);
    h = bench_mix(h, ps.strings);
    h = bench_mix(h, ps.numbers);
    h = bench_mix(h, ps.literals);
    h = bench_mix(h, ps.string_hash);
    h = bench_mix(h, ps.number_sum);
    h = bench_mix(h, ps.max_depth);
  }
  return h;
}

BENCH_MAIN(kernel, 2769028183u)
