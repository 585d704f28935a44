// ML pre-processing: an interleaved u8 RGB image (HWC) to a normalised f32
// tensor in NCHW layout, out[c][y][x] = (in[y][x][c] / 255 - mean[c]) / std[c],
// folded into one multiply-add per element. The de-interleave is what makes
// it interesting for SIMD (shuffles), the conversion u8 -> f32 the rest.
#include "common.h"

#define W 640
#define H 480
PARAM(w, W);
PARAM(h, H);
PARAM(rounds, 600);

static uint8_t img[W * H * 3];
static float out[3 * W * H];

static void to_nchw(const uint8_t* restrict in, float* restrict o, uint32_t n, const float* scale, const float* bias) {
  float* r = o;
  float* g = o + n;
  float* b = o + 2 * n;
  const float sr = scale[0], sg = scale[1], sb = scale[2];
  const float br = bias[0], bg = bias[1], bb = bias[2];
  for (uint32_t i = 0; i < n; ++i) {
    r[i] = (float)in[3 * i + 0] * sr + br;
    g[i] = (float)in[3 * i + 1] * sg + bg;
    b[i] = (float)in[3 * i + 2] * sb + bb;
  }
}

static uint32_t kernel(void) {
  const uint32_t n = GET(w) * GET(h);
  // ImageNet mean/std: scale = 1 / (255 std), bias = -mean / std.
  const float mean[3] = {0.485f, 0.456f, 0.406f}, sd[3] = {0.229f, 0.224f, 0.225f};
  float scale[3], bias[3];
  for (int c = 0; c < 3; ++c) {
    scale[c] = 1.0f / (255.0f * sd[c]);
    bias[c] = -mean[c] / sd[c];
  }
  uint32_t seed = 777, h = 0;
  for (uint32_t i = 0; i < 3 * n; ++i) img[i] = (uint8_t)xorshift(&seed);
  for (uint32_t r = 0; r < GET(rounds); ++r) {
    img[r % (3 * n)] ^= (uint8_t)r;  // rounds differ
    to_nchw(img, out, n, scale, bias);
    for (uint32_t i = 0; i < 3 * n; i += 101) h = mix(h, f32_bits(out[i]));
  }
  return h;
}

SIMD_BENCH_MAIN(kernel)
