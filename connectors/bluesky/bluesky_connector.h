#pragma once

#include "connectors/connector.h"

namespace earshot {

// kind "bluesky": posts matching a search (app.bsky.feed.searchPosts, sort=latest), on the public
// AppView or, with an app password, through the account's PDS; read newest first down to the
// newest post seen before, in windows of sort time.
ConnectorDescriptor BlueskyConnectorDescriptor();

}  // namespace earshot
