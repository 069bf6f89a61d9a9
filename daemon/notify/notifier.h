// Team-chat notifiers: one delivery attempt of one alert to one channel. Retrying, backoff and
// remembering what was delivered are the caller's; the delivery id lets receivers deduplicate.
#pragma once

#include "connectors/http/http_client.h"
#include "core/status.h"
#include "daemon/notify/alert_message.h"
#include "daemon/notify/channel.h"
#include "daemon/notify/delivery_result.h"

namespace earshot {

// InvalidArgument naming the channel and what is wrong: an unknown kind; a missing or non-http(s)
// url (slack, mattermost, teams, discord, webhook); a missing or malformed token or chat_id
// (telegram; its url, the API base, is optional); a missing smtp:// or smtps:// url, from or to
// (email), or a password without a username. The message never quotes a secret.
Status ValidateChannel(const ChannelConfig& channel);

// Formats the alert for the channel's kind and makes one attempt to deliver it. 2xx is delivered
// (Telegram must also answer "ok": true); 408, 429, 5xx and network errors are kRetry; other
// statuses (redirects are not followed) and invalid channels are kPermanentFailure, with the
// receiver's error text. Email: SMTP 4xx and connection failures retry, 5xx and refused logins
// are permanent.
DeliveryResult Deliver(const HttpClient& http, const ChannelConfig& channel,
                       const AlertMessage& message);

}  // namespace earshot
