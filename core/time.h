// Time as integer milliseconds since the Unix epoch (UTC): it orders, stores and serialises
// without time-zone surprises. Parsing accepts the date formats feeds and APIs really send.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace earshot {

using UnixMillis = int64_t;

UnixMillis NowMillis();

// "2026-11-24T07:44:00.123Z" (milliseconds only when non-zero).
std::string FormatRfc3339(UnixMillis t);

// RFC 3339 / ISO 8601 ("2024-05-01T10:00:00+02:00", "2024-05-01 10:00:00Z", "2024-05-01").
std::optional<UnixMillis> ParseRfc3339(std::string_view s);
// RFC 822 / 1123 / 2822 with the usual breakage: missing weekday, two-digit years, named
// zones (GMT, EST, PDT...), missing seconds or zone, extra whitespace, localized weekday.
std::optional<UnixMillis> ParseRfc822(std::string_view s);
// Tries every format above, then a bare Unix timestamp in seconds or milliseconds.
std::optional<UnixMillis> ParseAnyDate(std::string_view s);

// "30s", "10m", "1h30m", "2d", "500ms" -> milliseconds; nullopt when malformed.
std::optional<int64_t> ParseDurationMillis(std::string_view s);

}  // namespace earshot
