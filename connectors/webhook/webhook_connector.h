// kind "webhook": mentions pushed to the daemon (POST /ingest/<source>) instead of polled. The
// body is one mention in earshot's common JSON shape (a jsonl line) or an array of them. The
// connector itself never fetches anything: its Poll returns nothing, and the scheduler does not
// poll push sources at all. The daemon's web server verifies each request and hands the parsed
// mentions to the source's runner.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/connector.h"

namespace earshot {

inline constexpr std::string_view kWebhookKind = "webhook";
inline constexpr size_t kWebhookMaxMentions = 1000;
inline constexpr int64_t kWebhookDefaultMaxBodyBytes = 1 << 20;
inline constexpr int64_t kWebhookMaxBodyBytesCap = 16 << 20;  // no source may allow more

// Sources of this kind are fed by requests, not polled on an interval.
bool IsPushKind(std::string_view kind);

ConnectorDescriptor WebhookConnectorDescriptor();

// Why a body was refused: a message naming the place, and the place itself when known.
struct WebhookBodyError {
  std::string message;
  size_t line = 0;        // 1-based; 0 when not about one place
  size_t column = 0;      // 1-based, in bytes
  int item = -1;          // the array index of the mention at fault (0-based); -1 for a single one
  std::string field;      // the field at fault, when one is
  bool too_many = false;  // more than kWebhookMaxMentions: a size limit rather than bad input
};

// Parses a pushed body: a JSON object, or an array of at most kWebhookMaxMentions objects, each
// needing a non-empty string "text". The body must be valid UTF-8. Mentions get `spec`'s name as
// their source, "webhook" as platform unless they name one, `spec.lang` unless they carry a
// language, and, without an "id", an id derived from their content (so a replay is recognised).
// On failure returns ParseError and fills `error` when given.
Result<std::vector<Mention>> ParseWebhookBody(std::string_view body, const SourceSpec& spec,
                                              WebhookBodyError* error = nullptr);

}  // namespace earshot
