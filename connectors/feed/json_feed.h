#pragma once

#include <string>
#include <string_view>

#include "connectors/feed/feed_parser.h"

namespace earshot {

// JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/).
Result<ParsedFeed> ParseJsonFeed(std::string_view body, const std::string& source);

}  // namespace earshot
