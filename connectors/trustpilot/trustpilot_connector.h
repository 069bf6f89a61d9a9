#pragma once

#include "connectors/connector.h"

namespace earshot {

// kind "trustpilot": a business unit's reviews from the Trustpilot API, newest first, paged by
// number and read down to the newest createdAt seen before.
ConnectorDescriptor TrustpilotConnectorDescriptor();

}  // namespace earshot
