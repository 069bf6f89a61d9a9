#pragma once

#include <string>

namespace earshot {

// Where a source left off. Connectors read and advance it; the store persists it in the same
// transaction as the mentions it led to, so a crash never skips or repeats a mention.
struct SourceCursor {
  std::string position;       // connector-specific: since-id, page token, file offset...
  std::string etag;           // for conditional GET
  std::string last_modified;  // for conditional GET

  bool operator==(const SourceCursor&) const = default;
};

}  // namespace earshot
