/* detect: runs a third-party detector (BlazeFace ONNX / IR, MediaPipe face
 * detection TFLite, SSD MobileNet TFLite) through wasi-nn on one image and
 * prints what nn_test checks: the load/compute codes, every output's size and
 * sum (to compare encodings of one model), and the best detection score.
 *
 *   detect ENCODING SIZE TYPE IMAGE SCORES MODEL [WEIGHTS]
 *     ENCODING  witx graph_encoding number (0 openvino, 1 onnx, 4 tensorflowlite)
 *     SIZE      the square input side; the image is stretched to it (NHWC, RGB)
 *     TYPE      f32 (pixels mapped to [-1,1]) or u8 (raw pixels)
 *     IMAGE     a PNG/JPEG path, or "blank" (a uniform gray image)
 *     SCORES    comma-separated output indices holding per-anchor logits: the
 *               printed score is sigmoid(max logit) over them; or "ssd": the
 *               outputs are TFLite_Detection_PostProcess's (boxes, classes,
 *               scores, count), and every detection scoring >= 0.5 is printed
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read_file.h"
#include "wasi_nn.h"

#include "stb_image_wasm.h"

/* RGB pixels stretched to side x side by area averaging (every source pixel counts once). */
static uint8_t* resize(const uint8_t* px, int w, int h, int side) {
  uint8_t* out = malloc((size_t)side * side * 3);
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) {
      int y0 = y * h / side, y1 = (y + 1) * h / side, x0 = x * w / side, x1 = (x + 1) * w / side;
      if (y1 <= y0) y1 = y0 + 1;
      if (x1 <= x0) x1 = x0 + 1;
      for (int c = 0; c < 3; ++c) {
        unsigned sum = 0;
        for (int yy = y0; yy < y1; ++yy)
          for (int xx = x0; xx < x1; ++xx) sum += px[(yy * w + xx) * 3 + c];
        out[(y * side + x) * 3 + c] =
            (uint8_t)((sum + (unsigned)((y1 - y0) * (x1 - x0)) / 2) / (unsigned)((y1 - y0) * (x1 - x0)));
      }
    }
  return out;
}

int main(int argc, char** argv) {
  if (argc < 7 || argc > 8) {
    fprintf(stderr, "usage: detect ENCODING SIZE TYPE IMAGE SCORES MODEL [WEIGHTS]\n");
    return 2;
  }
  const uint32_t encoding = (uint32_t)atoi(argv[1]);
  const int side = atoi(argv[2]);
  const int is_f32 = strcmp(argv[3], "f32") == 0;
  const char* image = argv[4];

  uint8_t* rgb;
  if (strcmp(image, "blank") == 0) {
    rgb = malloc((size_t)side * side * 3);
    memset(rgb, 128, (size_t)side * side * 3);
  } else {
    int w, h, c;
    uint8_t* px = stbi_load(image, &w, &h, &c, 3);
    if (!px) {
      fprintf(stderr, "detect: cannot decode %s: %s\n", image, stbi_failure_reason());
      return 1;
    }
    rgb = resize(px, w, h, side);
    stbi_image_free(px);
  }

  graph_builder b[2];
  uint32_t n = 0;
  b[0].buf = read_file(argv[6], &n);
  b[0].size = n;
  if (argc == 8) {
    b[1].buf = read_file(argv[7], &n);
    b[1].size = n;
  }
  graph g;
  nn_errno e = wasi_nn_load(b, argc == 8 ? 2 : 1, encoding, WASI_NN_TARGET_CPU, &g);
  printf("load=%u\n", (unsigned)e);
  if (e) return 0;

  const uint32_t count = (uint32_t)side * side * 3;
  const uint32_t dims[4] = {1, (uint32_t)side, (uint32_t)side, 3};
  tensor t = {dims, 4, is_f32 ? WASI_NN_TYPE_F32 : WASI_NN_TYPE_U8, rgb, count};
  float* f = NULL;
  if (is_f32) {
    f = malloc(count * sizeof(float));
    for (uint32_t i = 0; i < count; ++i) f[i] = rgb[i] / 127.5f - 1.0f;
    t.data = (const uint8_t*)f;
    t.data_len = count * (uint32_t)sizeof(float);
  }
  graph_execution_context ctx;
  if ((e = wasi_nn_init_execution_context(g, &ctx)) || (e = wasi_nn_set_input(ctx, 0, &t)) ||
      (e = wasi_nn_compute(ctx))) {
    printf("compute=%u\n", (unsigned)e);
    return 0;
  }

  if (strcmp(argv[5], "ssd") == 0) {
    float boxes[400], classes[100], scores[100], count = 0;
    uint32_t w;
    if (wasi_nn_get_output(ctx, 0, (uint8_t*)boxes, sizeof boxes, &w) ||
        wasi_nn_get_output(ctx, 1, (uint8_t*)classes, sizeof classes, &w) ||
        wasi_nn_get_output(ctx, 2, (uint8_t*)scores, sizeof scores, &w) ||
        wasi_nn_get_output(ctx, 3, (uint8_t*)&count, sizeof count, &w))
      return 1;
    printf("detections: %d\n", (int)count);
    for (int i = 0; i < (int)count && i < 100; ++i)
      if (scores[i] >= 0.5f)
        printf("class %d score %.2f box %.2f %.2f %.2f %.2f\n", (int)classes[i], scores[i], boxes[4 * i],
               boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]);
    return 0;
  }
  float best = -INFINITY;
  for (uint32_t i = 0;; ++i) {
    uint32_t size = 0;
    e = wasi_nn_get_output(ctx, i, NULL, 0, &size);
    if (e == WASI_NN_INVALID_ARGUMENT) break; /* past the last output */
    float* out = malloc(size ? size : 1);
    if (wasi_nn_get_output(ctx, i, (uint8_t*)out, size, &size)) return 1;
    double sum = 0;
    for (uint32_t k = 0; k < size / 4; ++k) sum += out[k];
    printf("output %u: %u floats, sum %.5g\n", (unsigned)i, (unsigned)(size / 4), sum);
    char want[16];
    snprintf(want, sizeof want, "%u", (unsigned)i);
    for (char* s = strtok(strdup(argv[5]), ","); s; s = strtok(NULL, ","))
      if (strcmp(s, want) == 0)
        for (uint32_t k = 0; k < size / 4; ++k)
          if (out[k] > best) best = out[k];
    free(out);
  }
  printf("max score: %.4f\n", 1.0 / (1.0 + exp(-(double)best)));
  return 0;
}
