#include "support/build_id.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <unistd.h>

#include <cstring>
#include <vector>

namespace wnn {

namespace {

bool read_at(int fd, void* out, size_t size, off_t offset) { return ::pread(fd, out, size, offset) == ssize_t(size); }

// The build id in the notes `notes`, or "".
std::string build_id_note(const std::vector<uint8_t>& notes) {
  size_t at = 0;
  while (at + sizeof(ElfW(Nhdr)) <= notes.size()) {
    ElfW(Nhdr) n;
    std::memcpy(&n, notes.data() + at, sizeof n);
    const size_t desc = at + sizeof n + ((size_t(n.n_namesz) + 3) & ~size_t(3));
    if (desc > notes.size() || n.n_descsz > notes.size() - desc) return "";
    if (n.n_type == NT_GNU_BUILD_ID && n.n_namesz == 4 && std::memcmp(notes.data() + at + sizeof n, "GNU", 4) == 0) {
      static const char hex[] = "0123456789abcdef";
      std::string id;
      for (uint32_t k = 0; k < n.n_descsz; ++k) id += {hex[notes[desc + k] >> 4], hex[notes[desc + k] & 15]};
      return id;
    }
    at = desc + ((size_t(n.n_descsz) + 3) & ~size_t(3));
  }
  return "";
}

}  // namespace

std::string elf_build_id(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  std::string id;
  ElfW(Ehdr) eh;
  if (read_at(fd, &eh, sizeof eh, 0) && std::memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
      eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_phentsize == sizeof(ElfW(Phdr)) && eh.e_phnum < 256) {
    std::vector<ElfW(Phdr)> phdrs(eh.e_phnum);
    if (read_at(fd, phdrs.data(), phdrs.size() * sizeof(ElfW(Phdr)), off_t(eh.e_phoff)))
      for (const ElfW(Phdr) & ph : phdrs) {
        if (ph.p_type != PT_NOTE || ph.p_filesz > (1u << 16)) continue;
        std::vector<uint8_t> notes(ph.p_filesz);
        if (read_at(fd, notes.data(), notes.size(), off_t(ph.p_offset))) id = build_id_note(notes);
        if (!id.empty()) break;
      }
  }
  ::close(fd);
  return id;
}

}  // namespace wnn
