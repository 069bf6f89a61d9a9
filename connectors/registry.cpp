#include "connectors/appstore/appstore_connector.h"
#include "connectors/bluesky/bluesky_connector.h"
#include "connectors/connector.h"
#include "connectors/discourse/discourse_connector.h"
#include "connectors/feed/rss_connector.h"
#include "connectors/google_business/google_business_connector.h"
#include "connectors/googleplay/googleplay_connector.h"
#include "connectors/hackernews/hackernews_connector.h"
#include "connectors/json/json_connector.h"
#include "connectors/jsonl/jsonl_connector.h"
#include "connectors/mastodon/mastodon_connector.h"
#include "connectors/reddit/reddit_connector.h"
#include "connectors/stackexchange/stackexchange_connector.h"
#include "connectors/trustpilot/trustpilot_connector.h"
#include "connectors/webhook/webhook_connector.h"
#include "connectors/x/x_connector.h"
#include "connectors/yelp/yelp_connector.h"
#include "connectors/youtube/youtube_connector.h"

namespace earshot {

const std::vector<ConnectorDescriptor>& ConnectorRegistry() {
  static const std::vector<ConnectorDescriptor> registry = {
      RssConnectorDescriptor(),           JsonlConnectorDescriptor(),
      HackerNewsConnectorDescriptor(),    MastodonConnectorDescriptor(),
      RedditConnectorDescriptor(),        BlueskyConnectorDescriptor(),
      StackExchangeConnectorDescriptor(), DiscourseConnectorDescriptor(),
      AppStoreConnectorDescriptor(),      XConnectorDescriptor(),
      YouTubeConnectorDescriptor(),       TrustpilotConnectorDescriptor(),
      YelpConnectorDescriptor(),          JsonConnectorDescriptor(),
      GooglePlayConnectorDescriptor(),    GoogleBusinessConnectorDescriptor(),
      WebhookConnectorDescriptor(),
  };
  return registry;
}

const ConnectorDescriptor* FindConnector(std::string_view kind) {
  for (const auto& d : ConnectorRegistry()) {
    if (d.kind == kind) return &d;
  }
  return nullptr;
}

}  // namespace earshot
