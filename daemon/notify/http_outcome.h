// Reads a chat receiver's HTTP answer as a DeliveryResult.
#pragma once

#include "connectors/http/http_client.h"
#include "core/status.h"
#include "core/time.h"
#include "daemon/notify/channel.h"
#include "daemon/notify/delivery_result.h"

namespace earshot {

// `result` is what HttpClient::Send returned for `request`, sent to `channel`. See Deliver for
// the classification; errors name the channel and its endpoint (scheme and host only).
DeliveryResult ClassifyHttpResult(const ChannelConfig& channel, const HttpRequest& request,
                                  const Result<HttpResponse>& result, UnixMillis now);

}  // namespace earshot
