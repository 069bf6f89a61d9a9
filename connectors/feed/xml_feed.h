#pragma once

#include <string>
#include <string_view>

#include "connectors/feed/feed_parser.h"

namespace earshot {

// RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 0.3/1.0. `encoding_hint` (from HTTP) is used only when
// the document itself declares nothing. Network access and entity declarations are refused.
Result<ParsedFeed> ParseXmlFeed(std::string_view body, const std::string& source,
                                const std::string& encoding_hint);

}  // namespace earshot
