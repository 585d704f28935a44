/* classify: recognise a handwritten digit with wasi-nn. Loads an OpenVINO IR
 * model (model.xml + model.bin) from a preopened directory, decodes a PNG or
 * JPEG with stb_image (compiled into the guest), builds the model's input
 * tensor (f32 [1,1,28,28] in [0,1], white on black, as MNIST), computes, and
 * prints the top-5 classes with their scores.
 *
 *   clang-19 --target=wasm32-wasi -O2 -I examples/classify -I /usr/include/stb -o classify.wasm
 * examples/classify/classify.c wnn run --dir examples/classify/model::/model classify.wasm /model/digit-7.png wnn run
 * --dir imgs --nn-preload net:openvino:cpu:m.xml:m.bin classify.wasm imgs/x.jpg @net
 *
 * usage: classify IMAGE [MODEL_DIR | @NAME]   (default MODEL_DIR: the image's directory)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read_file.h"
#include "wasi_nn.h"

#include "stb_image_wasm.h"

enum { SIDE = 28, CLASSES = 10 };

static void check(nn_errno e, const char* what) {
  if (e == WASI_NN_SUCCESS) return;
  fprintf(stderr, "classify: %s failed with nn_errno %u (the host's log says why)\n", what, (unsigned)e);
  exit(1);
}

/* Grayscale image -> SIDE x SIDE floats in [0,1] by area averaging, inverted
 * when the background is light (a dark digit on paper) so it looks like MNIST. */
static void to_input(const uint8_t* px, int w, int h, float* out) {
  double mean = 0;
  for (int i = 0; i < w * h; ++i) mean += px[i];
  const int invert = mean / (w * h) > 127.5;
  for (int y = 0; y < SIDE; ++y)
    for (int x = 0; x < SIDE; ++x) {
      int y0 = y * h / SIDE, y1 = (y + 1) * h / SIDE, x0 = x * w / SIDE, x1 = (x + 1) * w / SIDE;
      if (y1 <= y0) y1 = y0 + 1;
      if (x1 <= x0) x1 = x0 + 1;
      double sum = 0;
      for (int yy = y0; yy < y1; ++yy)
        for (int xx = x0; xx < x1; ++xx) sum += px[yy * w + xx];
      float v = (float)(sum / ((y1 - y0) * (x1 - x0)) / 255.0);
      out[y * SIDE + x] = invert ? 1.0f - v : v;
    }
}

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: classify IMAGE [MODEL_DIR | @NAME]\n");
    return 2;
  }
  const char* image = argv[1];
  char dir[1024];
  if (argc == 3) {
    snprintf(dir, sizeof dir, "%s", argv[2]);
  } else {
    snprintf(dir, sizeof dir, "%s", image);
    char* slash = strrchr(dir, '/');
    if (slash)
      *slash = 0;
    else
      strcpy(dir, ".");
  }

  int w, h, channels;
  uint8_t* px = stbi_load(image, &w, &h, &channels, 1);
  if (!px) {
    fprintf(stderr, "classify: cannot decode %s: %s\n", image, stbi_failure_reason());
    return 1;
  }
  static float input[SIDE * SIDE];
  to_input(px, w, h, input);
  stbi_image_free(px);

  graph g;
  if (dir[0] == '@') {
    check(wasi_nn_load_by_name(dir + 1, (uint32_t)strlen(dir + 1), &g), "load_by_name");
  } else {
    graph_builder b[2];
    uint32_t n0, n1;
    b[0].buf = read_file_in(dir, "model.xml", &n0);
    b[0].size = n0;
    b[1].buf = read_file_in(dir, "model.bin", &n1);
    b[1].size = n1;
    check(wasi_nn_load(b, 2, WASI_NN_ENCODING_OPENVINO, WASI_NN_TARGET_CPU, &g), "load");
    free((void*)b[0].buf); /* the host copied what it needs */
    free((void*)b[1].buf);
  }
  const uint32_t dims[4] = {1, 1, SIDE, SIDE};
  tensor t = {dims, 4, WASI_NN_TYPE_F32, (const uint8_t*)input, sizeof input};
  graph_execution_context ctx;
  check(wasi_nn_init_execution_context(g, &ctx), "init_execution_context");
  check(wasi_nn_set_input(ctx, 0, &t), "set_input");
  check(wasi_nn_compute(ctx), "compute");
  float probs[CLASSES];
  uint32_t size = 0;
  check(wasi_nn_get_output(ctx, 0, (uint8_t*)probs, sizeof probs, &size), "get_output");
  if (size != sizeof probs) {
    fprintf(stderr, "classify: the model gave %u bytes, expected %u (10 f32 scores)\n", (unsigned)size,
            (unsigned)sizeof probs);
    return 1;
  }

  printf("%s (%dx%d, %d channel%s): top-5\n", image, w, h, channels, channels == 1 ? "" : "s");
  int used[CLASSES] = {0};
  for (int k = 0; k < 5; ++k) {
    int best = -1;
    for (int i = 0; i < CLASSES; ++i)
      if (!used[i] && (best < 0 || probs[i] > probs[best])) best = i;
    used[best] = 1;
    printf("  %d  %.4f\n", best, probs[best]);
  }
  check(wasi_nn_finalize_execution_context(ctx), "finalize_execution_context");
  check(wasi_nn_unload(g), "unload");
  return 0;
}
