#pragma once

#include "connectors/connector.h"

namespace earshot {

// kind "youtube": top-level comments on some videos (video_ids) or on everything of a channel
// (channel_id), from the YouTube Data API v3 commentThreads (order=time), read down to the newest
// publishedAt seen before; a spent daily quota holds requests until midnight Pacific time.
ConnectorDescriptor YouTubeConnectorDescriptor();

}  // namespace earshot
