#pragma once

#include <string>
#include <string_view>

namespace earshot {

// Hex digest of text after case folding and whitespace/punctuation collapsing, so the same
// complaint cross-posted or retweeted ("RT @x: ...") hashes alike. Not for security.
std::string ContentHash(std::string_view text);

}  // namespace earshot
