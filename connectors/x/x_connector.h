#pragma once

#include "connectors/connector.h"

namespace earshot {

// kind "x": posts matching a query in X's recent search (API v2, the last 7 days), resumed from
// the newest post id seen (since_id), paged with next_token, rate limits honoured.
ConnectorDescriptor XConnectorDescriptor();

}  // namespace earshot
