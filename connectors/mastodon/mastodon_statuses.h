// Mastodon statuses as mentions: a timeline (a JSON array of statuses), a v2 search result
// ({"accounts":[],"statuses":[...],"hashtags":[]}) or one status object.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot {

struct MastodonPage {
  std::vector<Mention> mentions;      // boosts as the status boosted, each status once
  std::vector<std::string> warnings;  // statuses skipped, and why
  size_t statuses = 0;                // statuses in the body, skipped ones included
  std::string newest_id;              // highest top-level status id, "" when none
};

// Fails (ParseError) on a body that is not JSON or not one of the shapes above. Direct and
// followers-only statuses are left out; texts become valid UTF-8 plain text.
Result<MastodonPage> ParseMastodonStatuses(std::string_view body, const std::string& source);

// The "error" (and "error_description") of a Mastodon error body, valid UTF-8 and at most 200
// bytes; "" when the body has none.
std::string MastodonErrorMessage(std::string_view body);

}  // namespace earshot
