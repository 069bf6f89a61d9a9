// Every text that enters earshot is made valid UTF-8 at the edge; later stages rely on it.
#pragma once

#include <string>
#include <string_view>

namespace earshot {

bool IsValidUtf8(std::string_view s);
// Replaces each invalid sequence with U+FFFD; valid input comes back unchanged.
std::string SanitizeUtf8(std::string_view s);
// Cuts at most max_bytes without splitting a character.
std::string_view TruncateUtf8(std::string_view s, size_t max_bytes);
// Lowercases with Unicode case folding and NFKC (utf8proc), for matching and hashing.
std::string FoldCase(std::string_view s);
// Collapses runs of whitespace to one space and trims both ends.
std::string CollapseWhitespace(std::string_view s);

}  // namespace earshot
