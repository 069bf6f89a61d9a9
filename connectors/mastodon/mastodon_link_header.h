// RFC 8288 Link headers, as Mastodon pages its timelines:
// <https://h/api/v1/timelines/tag/x?max_id=10>; rel="next", <https://h/...?min_id=20>; rel="prev"
#pragma once

#include <string>
#include <string_view>

namespace earshot {

// The URL of the first link whose rel includes `rel` ("next", "prev"), or "".
std::string LinkWithRel(std::string_view header, std::string_view rel);

// The (percent-decoded) value of query parameter `name` in `url`, or "".
std::string QueryParameter(std::string_view url, std::string_view name);

}  // namespace earshot
