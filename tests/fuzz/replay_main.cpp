// main() for the fuzz targets outside libFuzzer: runs LLVMFuzzerTestOneInput
// once over every file named on the command line or found (recursively) in
// a directory named there, in sorted order. Any crash is a test failure; the
// file being run is printed first when WNN_FUZZ_VERBOSE is set.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    fs::path p = argv[i];
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (const auto& e : fs::recursive_directory_iterator(p, ec))
        if (e.is_regular_file()) files.push_back(e.path());
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      std::fprintf(stderr, "replay: skipping %s (not a file or directory)\n", argv[i]);
    }
  }
  std::sort(files.begin(), files.end());
  const bool verbose = std::getenv("WNN_FUZZ_VERBOSE") != nullptr;
  for (const fs::path& f : files) {
    if (verbose) std::fprintf(stderr, "replay: %s\n", f.c_str());
    std::ifstream in(f, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  }
  std::printf("replay: %zu inputs, no crash\n", files.size());
  return 0;
}
