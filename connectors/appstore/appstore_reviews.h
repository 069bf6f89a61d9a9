// One page of Apple's customer-reviews RSS feed in JSON
// (https://itunes.apple.com/{country}/rss/customerreviews/page={n}/id={app}/sortby=mostrecent/json)
// as mentions: {"feed": {"entry": [{"id": {"label": ...}, "im:rating": {"label": "4"}, ...}]}}.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot {

struct AppStorePage {
  std::vector<Mention> mentions;      // reviews, newest first
  std::vector<std::string> warnings;  // entries skipped, and why
  size_t entries = 0;                 // entries in the body, the app's own entry included
};

// `fallback_url` is every review's URL when the entry links to none. The app's own entry (no
// im:rating) is left out; a feed without "entry" is a page without reviews. Fails (ParseError)
// on a body that is not JSON or has no "feed" object. Ratings are kept as 1-5.
Result<AppStorePage> ParseAppStoreReviews(std::string_view body, const std::string& source,
                                          const std::string& fallback_url = "");

// Review ids are decimal numbers that grow: <0, 0, >0 as a is older than, the same as or newer
// than b.
int CompareReviewIds(std::string_view a, std::string_view b);

}  // namespace earshot
