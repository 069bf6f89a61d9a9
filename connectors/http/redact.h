// Secrets stay out of logs and error messages: API keys and tokens often travel in a URL's query.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "core/status.h"

namespace earshot {

// The URL with the values of secret-looking query (and fragment) parameters - key, api_key,
// token, access_token, secret, password, sig, signature, auth, credential, session... - and any
// user:password@ replaced by "REDACTED", fit for logs and errors. Secrets inside the path are
// not recognised.
std::string RedactUrl(std::string_view url);

// `text` with every URL in it (anything like scheme://...) passed through RedactUrl; for
// messages from libraries that quote the URLs they were given or redirected to.
std::string RedactUrlsIn(std::string_view text);

// `text` with every occurrence of each secret (a token, a password, a client id) replaced by
// "REDACTED". Secrets shorter than 6 bytes are left alone: a tiny "secret" would garble the text.
std::string ScrubSecrets(std::string text, std::initializer_list<std::string_view> secrets);
// The same status with ScrubSecrets applied to its message.
Status ScrubSecrets(const Status& status, std::initializer_list<std::string_view> secrets);

}  // namespace earshot
