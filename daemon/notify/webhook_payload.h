// Generic webhooks: every field of the alert as JSON, signed when the channel has a secret.
#pragma once

#include <cstdint>
#include <string>

#include "connectors/http/http_client.h"
#include "daemon/notify/alert_message.h"
#include "daemon/notify/channel.h"

namespace earshot {

// The alert as one JSON object: delivery_id, rule, priority, summary, source, platform, author,
// excerpt, highlights ([{begin, end, text}], byte offsets into excerpt), url, case_url,
// group_count, more_lines.
std::string AlertToJson(const AlertMessage& message);

// POST of AlertToJson with X-Earshot-Delivery, X-Earshot-Timestamp (unix_seconds) and, when the
// channel has a secret, X-Earshot-Signature: sha256=<hex HMAC-SHA256(secret, "<ts>.<body>")>.
// A receiver should reject timestamps far from its clock, so a captured request cannot be
// replayed later, and deduplicate on the delivery id.
HttpRequest BuildWebhookRequest(const ChannelConfig& channel, const AlertMessage& message,
                                int64_t unix_seconds);

}  // namespace earshot
