#pragma once

#include "connectors/connector.h"

namespace earshot {

// kind "yelp": a business's reviews from Yelp Fusion (sort_by=newest), read down to the newest
// time_created seen before; Yelp's zone-less times are read in the `timezone` offset (UTC).
ConnectorDescriptor YelpConnectorDescriptor();

}  // namespace earshot
