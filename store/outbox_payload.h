// The JSON an outbox row carries: everything a notifier needs to tell a team about one mention
// without reading the store again, written in the same transaction as the mention.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/label.h"
#include "store/store.h"

namespace earshot {

struct AlertPayload {
  std::string rule;
  std::string priority;
  std::string summary;
  std::string source;
  std::string platform;
  std::string author;
  std::string excerpt;
  std::vector<Span> highlights;  // into excerpt
  std::string url;
  int64_t mention_id = 0;
  int64_t case_id = 0;  // 0: none
  std::string group_key;
  int64_t group_wait_ms = 0;
  int64_t group_interval_ms = 0;
  int64_t repeat_interval_ms = 0;
  int64_t digest_ms = 0;
};

AlertPayload MakeAlertPayload(const AnnotatedMention& annotated, const AlertRequest& alert,
                              int64_t mention_id, int64_t case_id);
std::string AlertPayloadToJson(const AlertPayload& payload);
std::optional<AlertPayload> AlertPayloadFromJson(const std::string& json);

}  // namespace earshot
