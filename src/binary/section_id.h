// The binary format's section ids (spec 5.5.2), for the decoder and the
// tests' module writer.
#pragma once
#include <cstdint>

namespace wnn::binary {

enum SectionId : uint8_t {
  kCustom = 0,
  kType,
  kImport,
  kFunction,
  kTable,
  kMemory,
  kGlobal,
  kExport,
  kStart,
  kElement,
  kCode,
  kData,
  kDataCount,
};

}  // namespace wnn::binary
