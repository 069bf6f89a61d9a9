#pragma once

#include "connectors/connector.h"

namespace earshot {

// kind "discourse": posts on a Discourse forum matching a search (/search.json, order:latest),
// or every new post (/posts.json, before= paging) when no query is set; resumed from the highest
// post id seen.
ConnectorDescriptor DiscourseConnectorDescriptor();

}  // namespace earshot
