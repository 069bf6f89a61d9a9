// RFC 8288 Link headers, as Mastodon pages its timelines:
// <https://h/api/v1/timelines/tag/x?max_id=10>; rel="next", <https://h/...?min_id=20>; rel="prev"
#pragma once

#include <string>
#include <string_view>

#include "connectors/url_query.h"  // QueryParameter, to read the links' min_id

namespace earshot {

// The URL of the first link whose rel includes `rel` ("next", "prev"), or "".
std::string LinkWithRel(std::string_view header, std::string_view rel);

}  // namespace earshot
