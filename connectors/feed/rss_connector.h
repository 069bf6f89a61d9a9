#pragma once

#include "connectors/connector.h"

namespace earshot {

// kind "rss": one feed URL polled with conditional GET.
ConnectorDescriptor RssConnectorDescriptor();

}  // namespace earshot
