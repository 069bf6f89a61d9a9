// Small helpers shared by the XML and JSON feed readers.
#pragma once

#include <string>
#include <string_view>

#include "core/mention.h"

namespace earshot {

// "en-US" -> "en"; "" when it is not a language tag.
std::string NormaliseLanguage(std::string_view tag);
// Identity for an item with neither guid nor link: stable across polls of the same item.
std::string FallbackItemId(const Mention& m, std::string_view date_text);

}  // namespace earshot
