// Microsoft Teams workflow webhooks ("Post to a channel when a webhook request is received"):
// one Adaptive Card 1.4 in a message attachment.
#pragma once

#include "connectors/http/http_client.h"
#include "daemon/notify/alert_message.h"
#include "daemon/notify/channel.h"

namespace earshot {

// The card's body: a TextBlock headline, the summary and the excerpt as RichTextBlocks (their
// TextRuns are never read as Markdown; evidence is a bold, highlighted run), the grouped lines,
// a FactSet of source, platform, author and count; Action.OpenUrl to the post and the case.
HttpRequest BuildTeamsRequest(const ChannelConfig& channel, const AlertMessage& message);

}  // namespace earshot
