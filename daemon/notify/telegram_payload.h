// Telegram Bot API sendMessage with MarkdownV2.
#pragma once

#include <string>
#include <string_view>

#include "connectors/http/http_client.h"
#include "daemon/notify/alert_message.h"
#include "daemon/notify/channel.h"

namespace earshot {

inline constexpr std::string_view kTelegramApiBase = "https://api.telegram.org";

// A backslash before each of _ * [ ] ( ) ~ ` > # + - = | { } . ! and before a backslash: how
// MarkdownV2 wants plain text.
std::string MarkdownV2Escape(std::string_view s);
// Inside the (...) of an inline link only ) and \ are escaped.
std::string MarkdownV2UrlEscape(std::string_view url);

// POST {base}/bot{token}/sendMessage with {chat_id, text, parse_mode: "MarkdownV2",
// link_preview_options: {is_disabled: true}}; chat_id is sent as a number when it is one.
HttpRequest BuildTelegramRequest(const ChannelConfig& channel, const AlertMessage& message);

}  // namespace earshot
