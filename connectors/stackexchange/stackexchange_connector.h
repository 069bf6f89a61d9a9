#pragma once

#include "connectors/connector.h"

namespace earshot {

// kind "stackexchange": questions and answers matching a search on one Stack Exchange site
// (/2.3/search/excerpts, newest first), read down to the newest creation date seen before, with
// the API's backoff and throttle answers honoured.
ConnectorDescriptor StackExchangeConnectorDescriptor();

}  // namespace earshot
