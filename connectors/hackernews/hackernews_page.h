// One page of the Algolia Hacker News Search API (search or search_by_date) as mentions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot {

struct HackerNewsPage {
  std::vector<Mention> mentions;
  std::vector<std::string> warnings;  // hits skipped, and why
  size_t hits = 0;                    // hits in the body, skipped ones included
  int64_t page = 0;
  int64_t nb_pages = 0;  // pages in the whole result; 0 when the body did not say
  int64_t nb_hits = 0;   // hits in the whole result (Algolia serves only the first 1000)
  int64_t newest = 0;    // largest created_at_i among the hits, 0 when none
  int64_t oldest = 0;    // smallest created_at_i among the hits, 0 when none
};

// Fails (ParseError) on a body that is not JSON or has no "hits" array; a hit without an
// objectID is skipped with a warning. Texts are made valid UTF-8, HTML becomes plain text.
Result<HackerNewsPage> ParseHackerNewsPage(std::string_view body, const std::string& source);

// The "message" of an Algolia error body ({"message":"...","status":400}), valid UTF-8 and at
// most 200 bytes; "" when the body has none.
std::string HackerNewsErrorMessage(std::string_view body);

}  // namespace earshot
