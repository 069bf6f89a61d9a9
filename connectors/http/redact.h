#pragma once

#include <string>
#include <string_view>

namespace earshot {

// The URL with the values of secret-looking query parameters (key, token, secret, password,
// signature...) and any user:password replaced by "REDACTED", fit for logs and errors.
std::string RedactUrl(std::string_view url);

}  // namespace earshot
