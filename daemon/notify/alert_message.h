// One alert as the notifiers see it: already decided, grouped and rendered by the rules; the
// notifiers only format it for a team-chat channel and deliver it.
#pragma once

#include <string>
#include <vector>

#include "core/label.h"

namespace earshot {

struct AlertMessage {
  std::string delivery_id;  // idempotency key, stable across retries
  std::string rule;
  std::string priority;  // critical | high | medium | low
  std::string summary;   // rendered rule output, one line
  std::string source;
  std::string platform;
  std::string author;
  std::string excerpt;                  // plain text, <= ~300 chars
  std::vector<Span> highlights;         // byte spans into excerpt
  std::string url;                      // the original post
  std::string case_url;                 // may be empty
  int group_count = 1;                  // mentions this alert stands for (grouping, digest)
  std::vector<std::string> more_lines;  // the other grouped mentions, one short line each
};

}  // namespace earshot
