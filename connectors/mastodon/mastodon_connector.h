#pragma once

#include "connectors/connector.h"

namespace earshot {

// kind "mastodon": public statuses under a hashtag, or matching a search, on one instance,
// read forward from the newest status id seen (min_id paging).
ConnectorDescriptor MastodonConnectorDescriptor();

}  // namespace earshot
