// The common shape every connector produces and every later stage consumes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/time.h"

namespace earshot {

struct Author {
  std::string id;
  std::string handle;
  std::string name;
  std::optional<int64_t> followers;
  std::string profile_url;
};

struct Engagement {
  int64_t likes = 0;
  int64_t replies = 0;
  int64_t shares = 0;
};

struct Mention {
  std::string source;       // the configured source's name
  std::string platform;     // connector kind: "rss", "jsonl", "reddit"...
  std::string external_id;  // unique within the source
  std::string url;
  Author author;
  std::string title;
  std::string text;              // plain, decoded, valid UTF-8
  std::string lang;              // given by the source or detected; empty when unknown
  std::optional<double> rating;  // normalised to 1-5 when the platform has ratings
  UnixMillis created_at = 0;     // 0 when the platform did not say
  UnixMillis fetched_at = 0;
  UnixMillis edited_at = 0;  // the platform's last edit; 0 when never edited or not told
  bool deleted = false;      // the platform says the item was deleted or removed
  std::string thread_id;
  std::string parent_id;
  Engagement engagement;
  std::string raw;  // original payload, kept only when the source is configured to
};

}  // namespace earshot
