// Discord webhooks: a short `content` line and one embed; no mention in it can ping anyone.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "connectors/http/http_client.h"
#include "daemon/notify/alert_message.h"
#include "daemon/notify/channel.h"

namespace earshot {

// A backslash before Discord's Markdown characters \ * _ ~ ` | > # - [ ] ( ) < : so quoted
// text shows as written.
std::string DiscordEscape(std::string_view s);
// The embed's colour: red, orange, yellow, blue; grey for an unknown priority.
int32_t DiscordColor(std::string_view priority);

// POST {url}?wait=true (Discord then confirms with the message or says what was wrong) with
// {content, embeds: [{title, description, url, color, fields, footer}],
//  allowed_mentions: {parse: []}}.
HttpRequest BuildDiscordRequest(const ChannelConfig& channel, const AlertMessage& message);

}  // namespace earshot
