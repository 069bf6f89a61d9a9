// Feeds to mentions: RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 0.3/1.0 and JSON Feed 1.x, in any
// declared encoding. A pure function of the body, so `earshot parse` and tests need no network.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot {

struct ParsedFeed {
  std::string format;  // "rss2.0", "rss1.0", "rss0.91", "atom1.0", "atom0.3", "jsonfeed1.1"
  std::string title;
  std::string link;
  std::vector<Mention> items;  // platform "rss", source set, text is plain UTF-8
};

// content_type is the HTTP Content-Type when known (its charset is a hint, the XML
// declaration or BOM wins as the XML specs say).
Result<ParsedFeed> ParseFeed(std::string_view body, const std::string& source,
                             std::string_view content_type = "");

}  // namespace earshot
