#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace earshot {

// Decodes the character reference starting at text[pos] ('&'): numeric (&#233; &#xE9;) or one
// of the HTML named entities found in real feeds. Returns the UTF-8 text and sets *used to the
// bytes consumed, or returns "" with *used = 0 when there is no reference there.
std::string DecodeEntityAt(std::string_view text, size_t pos, size_t* used);
// The code point of an HTML named entity ("nbsp" -> 0xA0), or 0 when unknown.
uint32_t NamedEntityCodepoint(std::string_view name);
std::string EncodeUtf8(uint32_t codepoint);

}  // namespace earshot
