// Error messages that are safe to log: chat webhooks keep their secret in the URL's path (Slack,
// Discord, Teams) and Telegram puts the bot token there, where RedactUrl cannot see it.
#pragma once

#include <string>
#include <string_view>

#include "daemon/notify/channel.h"

namespace earshot {

// "https://hooks.slack.com/…": the scheme and host (with port) only.
std::string SafeEndpoint(std::string_view url);

// `text` with the channel's token, secret and password, its URL, and every long path segment or
// query of its URL replaced by REDACTED, and any other URL passed through RedactUrl.
std::string ScrubSecrets(std::string_view text, const ChannelConfig& channel);

// What a receiver's error body says, on one line and at most 300 bytes: "description" (Telegram),
// "message" (Discord, Teams), "error" (a string or an object with "message"), else the text.
std::string ReceiverErrorText(std::string_view body);

}  // namespace earshot
