#pragma once

#include "connectors/connector.h"

namespace earshot {

// kind "reddit": new posts (or comments) in subreddits, or a search, through Reddit's OAuth API
// with an application-only token, read forward with before=<newest fullname seen>.
ConnectorDescriptor RedditConnectorDescriptor();

}  // namespace earshot
