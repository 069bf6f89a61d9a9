// Alerts as plain-text email (RFC 5322), built without sending so it can be tested.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "daemon/notify/alert_message.h"
#include "daemon/notify/channel.h"

namespace earshot {

// The addr-spec of "Name <a@b.c>" or "a@b.c", trimmed; "" when there is none.
std::string MailboxAddress(std::string_view mailbox);
// The addresses of a comma-separated list ("a@x, Bob <b@y>"), empty entries skipped.
std::vector<std::string> MailboxAddresses(std::string_view list);

// "Tue, 01 Jul 2025 10:00:00 +0000".
std::string FormatRfc5322Date(UnixMillis t);
// An unstructured header value as-is when it is printable ASCII, else as RFC 2047 UTF-8 "B"
// encoded words (each under 76 characters, never splitting a character), folded with CRLF SP.
std::string EncodeHeaderText(std::string_view text);

// The whole message with CRLF line ends: Date, From, To, Subject ("[earshot] CRITICAL rule:
// summary"), Message-ID (<delivery id, or its hex when it has other characters, @the from
// domain>, so a resend has the same id), MIME-Version, Content-Type text/plain; charset=utf-8,
// Content-Transfer-Encoding 8bit, then the body (evidence between *asterisks*). Header values are
// cleaned of line breaks.
std::string BuildEmailMessage(const ChannelConfig& channel, const AlertMessage& message,
                              UnixMillis now);

}  // namespace earshot
