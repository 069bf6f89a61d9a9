#pragma once

#include "connectors/connector.h"

namespace earshot {

// kind "google_business": one location's Google reviews from the Business Profile API (v4
// reviews list, by updateTime, newest first), with a service account's OAuth2 token or a given
// access token; whether the business replied is kept as engagement.replies.
ConnectorDescriptor GoogleBusinessConnectorDescriptor();

}  // namespace earshot
