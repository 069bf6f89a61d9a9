#pragma once

#include <string>
#include <string_view>

namespace earshot {

// HTML fragment to readable plain text: tags dropped, entities decoded, block elements and <br>
// become line breaks, scripts and styles removed, whitespace collapsed. Never fails: text that
// is not HTML comes back with only entities decoded.
std::string HtmlToText(std::string_view html);

}  // namespace earshot
