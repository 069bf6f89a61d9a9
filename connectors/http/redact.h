// Secrets stay out of logs and error messages: API keys and tokens often travel in a URL's query.
#pragma once

#include <string>
#include <string_view>

namespace earshot {

// The URL with the values of secret-looking query (and fragment) parameters - key, api_key,
// token, access_token, secret, password, sig, signature, auth, credential, session... - and any
// user:password@ replaced by "REDACTED", fit for logs and errors. Secrets inside the path are
// not recognised.
std::string RedactUrl(std::string_view url);

// `text` with every URL in it (anything like scheme://...) passed through RedactUrl; for
// messages from libraries that quote the URLs they were given or redirected to.
std::string RedactUrlsIn(std::string_view text);

}  // namespace earshot
