#include "daemon/notify/notifier.h"

#include <cctype>
#include <string>
#include <string_view>

#include "core/time.h"
#include "daemon/notify/discord_payload.h"
#include "daemon/notify/email_message.h"
#include "daemon/notify/http_outcome.h"
#include "daemon/notify/slack_payload.h"
#include "daemon/notify/smtp_sender.h"
#include "daemon/notify/teams_payload.h"
#include "daemon/notify/telegram_payload.h"
#include "daemon/notify/text_format.h"
#include "daemon/notify/webhook_payload.h"

namespace earshot {
namespace {

bool HasControlOrSpace(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) return true;
  }
  return false;
}

bool HasLineBreak(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

bool StartsWithLower(std::string_view s, std::string_view prefix) {
  if (s.size() <= prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

Status Invalid(const ChannelConfig& channel, const std::string& why) {
  return Status::InvalidArgument("channel \"" + channel.name + "\" (" + channel.kind + "): " + why);
}

HttpRequest BuildRequest(const ChannelConfig& channel, const AlertMessage& message) {
  if (channel.kind == "slack") return BuildSlackRequest(channel, message);
  if (channel.kind == "mattermost") return BuildMattermostRequest(channel, message);
  if (channel.kind == "teams") return BuildTeamsRequest(channel, message);
  if (channel.kind == "telegram") return BuildTelegramRequest(channel, message);
  if (channel.kind == "discord") return BuildDiscordRequest(channel, message);
  return BuildWebhookRequest(channel, message, NowMillis() / 1000);
}

}  // namespace

const char* OutcomeName(DeliveryOutcome outcome) {
  switch (outcome) {
    case DeliveryOutcome::kDelivered:
      return "delivered";
    case DeliveryOutcome::kRetry:
      return "retry";
    case DeliveryOutcome::kPermanentFailure:
      return "permanent_failure";
  }
  return "unknown";
}

Status ValidateChannel(const ChannelConfig& channel) {
  const std::string& kind = channel.kind;
  if (kind == "slack" || kind == "mattermost" || kind == "teams" || kind == "discord" ||
      kind == "webhook") {
    if (channel.url.empty()) return Invalid(channel, "needs the webhook url");
    if (!IsWebUrl(channel.url)) return Invalid(channel, "url must be an http:// or https:// URL");
    return Status::Ok();
  }
  if (kind == "telegram") {
    if (channel.token.empty()) return Invalid(channel, "needs the bot token");
    if (HasControlOrSpace(channel.token) ||
        channel.token.find_first_of("/?#%") != std::string::npos) {
      return Invalid(channel, "the bot token has characters a token never has");
    }
    if (channel.chat_id.empty()) return Invalid(channel, "needs a chat_id");
    if (HasControlOrSpace(channel.chat_id)) return Invalid(channel, "chat_id has spaces");
    if (!channel.url.empty() && !IsWebUrl(channel.url)) {
      return Invalid(channel, "url (the Bot API base) must be an http:// or https:// URL");
    }
    return Status::Ok();
  }
  if (kind == "email") {
    if (!StartsWithLower(channel.url, "smtp://") && !StartsWithLower(channel.url, "smtps://")) {
      return Invalid(channel, "url must be smtp://host:port or smtps://host:port");
    }
    if (HasControlOrSpace(channel.url)) return Invalid(channel, "url has spaces");
    if (HasLineBreak(channel.from) || HasLineBreak(channel.to)) {
      return Invalid(channel, "from and to must be on one line");
    }
    const std::string from = MailboxAddress(channel.from);
    if (from.find('@') == std::string::npos) return Invalid(channel, "needs a from address");
    const auto to = MailboxAddresses(channel.to);
    if (to.empty()) return Invalid(channel, "needs at least one to address");
    for (const std::string& address : to) {
      if (address.find('@') == std::string::npos || HasControlOrSpace(address)) {
        return Invalid(channel, "\"" + address + "\" in to is not an email address");
      }
    }
    if (channel.username.empty() && !channel.password.empty()) {
      return Invalid(channel, "a password needs a username");
    }
    return Status::Ok();
  }
  if (kind.empty()) return Invalid(channel, "needs a kind");
  return Invalid(
      channel, "unknown kind; one of slack, mattermost, teams, telegram, discord, webhook, email");
}

DeliveryResult Deliver(const HttpClient& http, const ChannelConfig& channel,
                       const AlertMessage& message) {
  if (Status valid = ValidateChannel(channel); !valid.ok()) {
    DeliveryResult out;
    out.outcome = DeliveryOutcome::kPermanentFailure;
    out.error = valid.message();
    return out;
  }
  if (channel.kind == "email") return SendEmail(channel, message, NowMillis());
  HttpRequest request = BuildRequest(channel, message);
  request.max_redirects = 0;  // a redirected POST would go elsewhere, or lose its body
  request.connect_timeout_ms = 10'000;
  request.timeout_ms = 30'000;
  request.max_body_bytes = 1 << 20;
  const Result<HttpResponse> result = http.Send(request);
  return ClassifyHttpResult(channel, request, result, NowMillis());
}

}  // namespace earshot
