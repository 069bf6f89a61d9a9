#pragma once

#include "connectors/connector.h"

namespace earshot {

// kind "googleplay": an Android app's reviews from the Google Play Developer API (reviews.list,
// the last week's, most recently modified first), with a service account's OAuth2 token, read
// down to the newest lastModified seen before.
ConnectorDescriptor GooglePlayConnectorDescriptor();

}  // namespace earshot
