// Query strings for the connectors' API requests.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace earshot {

// Percent-encodes everything but RFC 3986's unreserved characters (letters, digits, - _ . ~),
// so the result is safe as a query value or a path segment; a space becomes %20.
std::string PercentEncode(std::string_view s);
// Undoes percent-encoding; '+' reads as a space (form encoding), malformed escapes are kept.
std::string PercentDecode(std::string_view s);

using QueryParams = std::vector<std::pair<std::string, std::string>>;
// "a=1&b=x%20y": names and values percent-encoded, in order; empty values are kept ("a=").
std::string BuildQuery(const QueryParams& params);
// `url` with the parameters appended after '?' (or '&' when it has a query already).
std::string WithQuery(const std::string& url, const QueryParams& params);

// The (percent-decoded) value of query parameter `name` in `url`, or "".
std::string QueryParameter(std::string_view url, std::string_view name);

}  // namespace earshot
