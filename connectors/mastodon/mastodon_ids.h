// Mastodon status ids are strings of digits (snowflakes) that only grow; compared as numbers.
#pragma once

#include <string_view>

namespace earshot {

// <0, 0, >0 as a is older than, the same as or newer than b: by length, then byte by byte, so
// "999" < "1000". Also orders the fixed-length sortable ids of Pleroma-family servers.
int CompareStatusIds(std::string_view a, std::string_view b);

// Non-empty, at most 64 bytes of ASCII letters and digits: safe to put in a query.
bool IsPlausibleStatusId(std::string_view id);

}  // namespace earshot
