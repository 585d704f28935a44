// image: ML-style preprocessing — an 8-bit interleaved RGB frame is
// converted to normalised float32 planes (NCHW: (x/255 - mean) / std per
// channel), and bilinearly resized (half-pixel centres, clamped edges) to a
// square network input, normalised the same way. Byte loads, int<->float
// conversions, float multiply-add, strided stores.
#include "bench.h"

#define SRC_W 1280
#define SRC_H 720
#define DST 448
BENCH_PARAM(rounds, 16);

static uint8_t src[SRC_H * SRC_W * 3];
static float planes[3 * SRC_H * SRC_W];  // full-size NCHW
static float resized[3 * DST * DST];     // DST x DST NCHW

static const float mean[3] = {0.485f, 0.456f, 0.406f};
static const float inv_std[3] = {1.0f / 0.229f, 1.0f / 0.224f, 1.0f / 0.225f};

static void to_nchw(void) {
  for (uint32_t y = 0; y < SRC_H; ++y) {
    const uint8_t* row = src + y * SRC_W * 3;
    for (uint32_t x = 0; x < SRC_W; ++x)
      for (uint32_t c = 0; c < 3; ++c)
        planes[(c * SRC_H + y) * SRC_W + x] = ((float)row[x * 3 + c] / 255.0f - mean[c]) * inv_std[c];
  }
}

static void resize_bilinear(void) {
  const float sx = (float)SRC_W / DST, sy = (float)SRC_H / DST;
  for (uint32_t oy = 0; oy < DST; ++oy) {
    float fy = ((float)oy + 0.5f) * sy - 0.5f;
    if (fy < 0) fy = 0;
    uint32_t y0 = (uint32_t)fy;  // floor: fy >= 0
    if (y0 > SRC_H - 2) y0 = SRC_H - 2;
    float wy = fy - (float)y0;
    if (wy > 1) wy = 1;
    for (uint32_t ox = 0; ox < DST; ++ox) {
      float fx = ((float)ox + 0.5f) * sx - 0.5f;
      if (fx < 0) fx = 0;
      uint32_t x0 = (uint32_t)fx;
      if (x0 > SRC_W - 2) x0 = SRC_W - 2;
      float wx = fx - (float)x0;
      if (wx > 1) wx = 1;
      const uint8_t* p00 = src + (y0 * SRC_W + x0) * 3;
      const uint8_t* p10 = p00 + SRC_W * 3;
      for (uint32_t c = 0; c < 3; ++c) {
        float top = (float)p00[c] + ((float)p00[c + 3] - (float)p00[c]) * wx;
        float bottom = (float)p10[c] + ((float)p10[c + 3] - (float)p10[c]) * wx;
        float v = top + (bottom - top) * wy;
        resized[(c * DST + oy) * DST + ox] = (v / 255.0f - mean[c]) * inv_std[c];
      }
    }
  }
}

static uint32_t kernel(void) {
  uint32_t seed = 0xBADC0DE, h = 0, rounds = BENCH_GET(rounds);
  // A smooth gradient plus noise, so neighbouring pixels are correlated.
  for (uint32_t y = 0; y < SRC_H; ++y)
    for (uint32_t x = 0; x < SRC_W; ++x)
      for (uint32_t c = 0; c < 3; ++c)
        src[(y * SRC_W + x) * 3 + c] = (uint8_t)((x * (c + 1) + y * (3 - c)) / 8 + (bench_rand(&seed) & 15));
  for (uint32_t r = 0; r < rounds; ++r) {
    to_nchw();
    resize_bilinear();
    for (uint32_t i = 0; i < 3 * SRC_H * SRC_W; i += 97) h = bench_mix(h, bench_f32_bits(planes[i]));
    for (uint32_t i = 0; i < 3 * DST * DST; i += 13) h = bench_mix(h, bench_f32_bits(resized[i]));
    for (uint32_t i = r; i < sizeof src; i += 61) src[i] = (uint8_t)(src[i] + 17);  // next frame
  }
  return h;
}

BENCH_MAIN(kernel, 3918152182u)
