#include "core/content_hash.h"

#include <cctype>
#include <cstdint>
#include <cstdio>

#include "core/utf8.h"

namespace earshot {
namespace {

bool IsAsciiNoise(unsigned char c) {
  return c < 0x80 && !std::isalnum(c);
}

// Drops a retweet/repost prefix ("RT @someone: ") and links, which differ between cross-posts.
std::string StripRepostNoise(std::string_view s) {
  std::string out;
  size_t i = 0;
  if (s.substr(0, 3) == "rt ") {
    i = 3;
    if (i < s.size() && s[i] == '@') {
      while (i < s.size() && s[i] != ' ' && s[i] != ':')
        ++i;
      while (i < s.size() && (s[i] == ':' || s[i] == ' '))
        ++i;
    }
  }
  while (i < s.size()) {
    if (s.compare(i, 7, "http://") == 0 || s.compare(i, 8, "https://") == 0) {
      while (i < s.size() && s[i] != ' ')
        ++i;
      continue;
    }
    out += s[i++];
  }
  return out;
}

}  // namespace

std::string ContentHash(std::string_view text) {
  std::string folded = StripRepostNoise(CollapseWhitespace(FoldCase(text)));
  // FNV-1a over the letters and digits only, twice with different seeds for 128 bits.
  uint64_t h1 = 1469598103934665603ULL, h2 = 0x9E3779B97F4A7C15ULL;
  for (unsigned char c : folded) {
    if (IsAsciiNoise(c)) continue;
    h1 = (h1 ^ c) * 1099511628211ULL;
    h2 = (h2 ^ c) * 0x100000001B3ULL + 0x7F4A7C15ULL;
  }
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h1),
                static_cast<unsigned long long>(h2));
  return buf;
}

}  // namespace earshot
