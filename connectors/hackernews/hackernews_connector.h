#pragma once

#include "connectors/connector.h"

namespace earshot {

// kind "hackernews": stories and comments matching a query, from the Algolia Hacker News Search
// API (search_by_date), paged and resumed by creation time.
ConnectorDescriptor HackerNewsConnectorDescriptor();

}  // namespace earshot
