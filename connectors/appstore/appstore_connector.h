#pragma once

#include "connectors/connector.h"

namespace earshot {

// kind "appstore": an iOS/macOS app's customer reviews in one App Store country, from Apple's
// public reviews feed (most recent first, at most 10 pages of 50), resumed from the newest
// review id seen.
ConnectorDescriptor AppStoreConnectorDescriptor();

}  // namespace earshot
