#include "daemon/notify/smtp_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "connectors/http/curl_handle.h"
#include "daemon/notify/email_message.h"
#include "daemon/notify/error_text.h"

namespace earshot {
namespace {

struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t ReadMessage(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

}  // namespace

DeliveryResult SendEmail(const ChannelConfig& channel, const AlertMessage& message,
                         UnixMillis now) {
  DeliveryResult out;
  const std::string where =
      "email channel \"" + channel.name + "\" (" + SafeEndpoint(channel.url) + ")";
  auto fail = [&](DeliveryOutcome outcome, const std::string& why) {
    out.outcome = outcome;
    out.error = ScrubSecrets(where + ": " + why, channel);
    return out;
  };
  const std::string from = MailboxAddress(channel.from);
  const std::vector<std::string> to = MailboxAddresses(channel.to);
  if (from.empty() || to.empty()) {
    return fail(DeliveryOutcome::kPermanentFailure, "needs a from and a to address");
  }

  curl::GlobalInit();
  curl::Easy easy(curl_easy_init());
  if (!easy) return fail(DeliveryOutcome::kRetry, "cannot create a transfer");
  CURL* c = easy.get();
  const std::string text = BuildEmailMessage(channel, message, now);
  Upload upload{text};
  char error[CURL_ERROR_SIZE] = {0};
  curl::HeaderList recipients;
  for (const std::string& address : to) {
    if (!recipients.Append("<" + address + ">"))
      return fail(DeliveryOutcome::kRetry, "out of memory");
  }
  const std::string mail_from = "<" + from + ">";

  curl_easy_setopt(c, CURLOPT_URL, channel.url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
  curl_easy_setopt(c, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10'000L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 60'000L);
  const bool credentials = !channel.username.empty();
  if (StartsWith(channel.url, "smtp://")) {
    // Never send a password in the clear; without one, encrypt when the server offers it.
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     static_cast<long>(credentials ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  }
  if (credentials) {
    curl_easy_setopt(c, CURLOPT_USERNAME, channel.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, channel.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadMessage);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(text.size()));

  const CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) {
    out.outcome = DeliveryOutcome::kDelivered;
    return out;
  }
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  std::string why = error[0] ? error : curl_easy_strerror(rc);
  if (reply > 0) why += " (SMTP " + std::to_string(reply) + ")";
  const bool permanent = rc == CURLE_LOGIN_DENIED || rc == CURLE_URL_MALFORMAT ||
                         rc == CURLE_UNSUPPORTED_PROTOCOL || (reply >= 500 && reply < 600);
  return fail(permanent ? DeliveryOutcome::kPermanentFailure : DeliveryOutcome::kRetry, why);
}

}  // namespace earshot
