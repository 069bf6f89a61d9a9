// Email alerts over SMTP with libcurl: one attempt, on its own transfer.
#pragma once

#include "core/time.h"
#include "daemon/notify/alert_message.h"
#include "daemon/notify/channel.h"
#include "daemon/notify/delivery_result.h"

namespace earshot {

// Sends BuildEmailMessage to every address of channel.to through channel.url (smtp://host:port
// uses STARTTLS when offered, and requires it when there are credentials; smtps:// is TLS from
// the start). An SMTP 4xx reply or a connection failure is kRetry; a 5xx reply or a refused
// login is kPermanentFailure. http_status stays 0; the error quotes the server's reply code.
DeliveryResult SendEmail(const ChannelConfig& channel, const AlertMessage& message, UnixMillis now);

}  // namespace earshot
