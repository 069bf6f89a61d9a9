// Slack incoming webhooks (Block Kit) and Mattermost incoming webhooks (Slack-compatible, sent
// as one Markdown `text`).
#pragma once

#include <string>
#include <string_view>

#include "connectors/http/http_client.h"
#include "daemon/notify/alert_message.h"
#include "daemon/notify/channel.h"

namespace earshot {

// &, < and > as &amp; &lt; &gt;: all Slack needs, and what keeps "<!channel>" out of a message.
std::string SlackEscape(std::string_view s);
// Backslash before Markdown punctuation, and '@' defused (see DefuseMentions).
std::string MattermostEscape(std::string_view s);

// POST {"text": fallback, "blocks": [header, section, context, actions]}.
HttpRequest BuildSlackRequest(const ChannelConfig& channel, const AlertMessage& message);
// POST {"text": Markdown}.
HttpRequest BuildMattermostRequest(const ChannelConfig& channel, const AlertMessage& message);

}  // namespace earshot
