#include "connectors/http/redact.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace earshot {
namespace {

bool IsSecretName(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static constexpr std::array<std::string_view, 9> kHints = {
      "key", "token", "secret", "password", "passwd", "sig", "auth", "credential", "session"};
  return std::any_of(kHints.begin(), kHints.end(),
                     [&](std::string_view h) { return lower.find(h) != std::string::npos; });
}

}  // namespace

std::string RedactUrl(std::string_view url) {
  std::string out(url);
  // user:password@host
  if (auto scheme = out.find("://"); scheme != std::string::npos) {
    size_t host_start = scheme + 3;
    size_t path_start = out.find_first_of("/?#", host_start);
    size_t at = out.rfind('@', path_start == std::string::npos ? out.size() : path_start);
    if (at != std::string::npos && at > host_start)
      out.replace(host_start, at - host_start, "REDACTED");
  }
  size_t query = out.find('?');
  if (query == std::string::npos) return out;
  std::string result = out.substr(0, query + 1);
  size_t pos = query + 1;
  while (pos <= out.size()) {
    size_t amp = out.find_first_of("&#", pos);
    if (amp == std::string::npos) amp = out.size();
    std::string_view pair(out.data() + pos, amp - pos);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && IsSecretName(pair.substr(0, eq))) {
      result.append(pair.substr(0, eq + 1));
      result += "REDACTED";
    } else {
      result.append(pair);
    }
    if (amp >= out.size()) break;
    if (out[amp] == '#') {
      result.append(out, amp, std::string::npos);
      break;
    }
    result += '&';
    pos = amp + 1;
  }
  return result;
}

}  // namespace earshot
