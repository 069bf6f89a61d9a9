// A word of up to 16 bytes read as two overlapping loads, of its first and of its last bytes:
// with its length they determine it, so it is hashed and compared in a few steps instead of byte
// by byte. Every word of every text is looked up, and most words are this short.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace earshot {

struct ShortKey {
  uint64_t head = 0;
  uint64_t tail = 0;
  uint8_t length = 0;
};

constexpr size_t kShortKeyMax = 16;

inline uint64_t LoadBytes64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline uint64_t LoadBytes32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// `s` holds 1 to kShortKeyMax bytes; every load stays inside it.
inline ShortKey ShortKeyOf(std::string_view s) {
  const char* p = s.data();
  const size_t n = s.size();
  ShortKey key;
  key.length = static_cast<uint8_t>(n);
  if (n >= 8) {
    key.head = LoadBytes64(p);
    key.tail = LoadBytes64(p + n - 8);
  } else if (n >= 4) {
    key.head = LoadBytes32(p);
    key.tail = LoadBytes32(p + n - 4);
  } else {
    key.head = static_cast<unsigned char>(p[0]);
    key.tail =
        uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 | static_cast<unsigned char>(p[n - 1]);
  }
  return key;
}

}  // namespace earshot
