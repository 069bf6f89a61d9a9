// Every text that enters earshot is made valid UTF-8 at the edge; later stages rely on it.
#pragma once

#include <cstddef>
#include <cstdint>
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
// A letter or combining mark in any script (Unicode categories L* and M*).
bool IsLetterOrMark(int32_t codepoint);
// Bytes in the UTF-8 sequence that starts with `lead` (1 for ASCII and for stray bytes).
size_t Utf8SequenceLength(unsigned char lead);

// Collapses runs of whitespace to one space and trims both ends.
std::string CollapseWhitespace(std::string_view s);

}  // namespace earshot
