// Where alerts go: one configured team-chat channel.
#pragma once

#include <string>

namespace earshot {

struct ChannelConfig {
  std::string name;
  std::string kind;      // slack, mattermost, teams, telegram, discord, webhook, email
  std::string url;       // the webhook URL; for telegram the API base (default
                         // https://api.telegram.org); for email smtp://host:port or smtps://
  std::string token;     // telegram bot token
  std::string chat_id;   // telegram
  std::string secret;    // webhook HMAC key; empty: requests are not signed
  std::string from, to;  // email; `to` comma separated
  std::string username, password;  // smtp authentication, optional
};

}  // namespace earshot
