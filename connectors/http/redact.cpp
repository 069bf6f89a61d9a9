#include "connectors/http/redact.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace earshot {
namespace {

constexpr std::string_view kRedacted = "REDACTED";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// "X-Amz-Security-Token" -> {x, amz, security, token}; "apiKey" -> {api, key}.
std::vector<std::string> NameWords(std::string_view name) {
  std::vector<std::string> words(1);
  char previous = 0;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u)) {
      if (!words.back().empty()) words.emplace_back();
    } else {
      if (std::isupper(u) && std::islower(static_cast<unsigned char>(previous)) &&
          !words.back().empty()) {
        words.emplace_back();
      }
      words.back() += static_cast<char>(std::tolower(u));
    }
    previous = c;
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsSecretName(std::string_view raw_name) {
  static constexpr std::array<std::string_view, 20> kWords = {
      "key",       "apikey",    "token",         "secret",     "password",
      "passwd",    "pwd",       "pass",          "passphrase", "sig",
      "signature", "auth",      "authorization", "credential", "credentials",
      "session",   "sessionid", "sid",           "jwt",        "bearer"};
  // Run together, words like "clientsecret" or "authtoken" still end in a secret word.
  static constexpr std::array<std::string_view, 6> kSuffixes = {"token",  "secret",    "password",
                                                                "apikey", "signature", "passwd"};
  const auto words = NameWords(PercentDecode(raw_name));
  std::string joined;
  for (const auto& w : words) {
    if (std::find(kWords.begin(), kWords.end(), w) != kWords.end()) return true;
    joined += w;
  }
  return std::any_of(kSuffixes.begin(), kSuffixes.end(),
                     [&](std::string_view s) { return EndsWith(joined, s); });
}

// Redacts secret values in "a=1&token=2" (a query or a fragment).
std::string RedactParameters(std::string_view params) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t amp = params.find_first_of("&;", pos);
    std::string_view pair = params.substr(pos, amp == std::string_view::npos ? amp : amp - pos);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && IsSecretName(pair.substr(0, eq))) {
      out.append(pair.substr(0, eq + 1));
      out.append(kRedacted);
    } else {
      out.append(pair);
    }
    if (amp == std::string_view::npos) break;
    out += params[amp];
    pos = amp + 1;
  }
  return out;
}

}  // namespace

std::string RedactUrl(std::string_view url) {
  std::string out;
  size_t rest = 0;
  // user:password@host
  if (size_t scheme = url.find("://"); scheme != std::string_view::npos) {
    size_t host_start = scheme + 3;
    size_t authority_end = url.find_first_of("/?#", host_start);
    if (authority_end == std::string_view::npos) authority_end = url.size();
    size_t at = url.substr(0, authority_end).rfind('@');
    out.append(url.substr(0, host_start));
    if (at != std::string_view::npos && at >= host_start) {
      out.append(kRedacted);
      rest = at;
    } else {
      rest = host_start;
    }
  }
  size_t query = url.find('?', rest);
  size_t fragment = url.find('#', rest);
  if (query != std::string_view::npos && fragment != std::string_view::npos && query > fragment) {
    query = std::string_view::npos;  // a '?' inside the fragment
  }
  size_t path_end = std::min(query, fragment);
  out.append(url.substr(rest, path_end == std::string_view::npos ? path_end : path_end - rest));
  if (query != std::string_view::npos) {
    size_t end = fragment == std::string_view::npos ? url.size() : fragment;
    out += '?';
    out.append(RedactParameters(url.substr(query + 1, end - query - 1)));
  }
  if (fragment != std::string_view::npos) {
    out += '#';
    out.append(RedactParameters(url.substr(fragment + 1)));
  }
  return out;
}

std::string RedactUrlsIn(std::string_view text) {
  auto is_scheme_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  };
  auto ends_url = [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '<' ||
           c == '>' || c == '`';
  };
  std::string out;
  size_t copied = 0;
  size_t search = 0;
  while (true) {
    size_t sep = text.find("://", search);
    if (sep == std::string_view::npos) break;
    size_t begin = sep;
    while (begin > copied && is_scheme_char(text[begin - 1]))
      --begin;
    size_t end = sep + 3;
    while (end < text.size() && !ends_url(text[end]))
      ++end;
    out.append(text.substr(copied, begin - copied));
    out.append(RedactUrl(text.substr(begin, end - begin)));
    copied = search = end;
  }
  out.append(text.substr(copied));
  return out;
}

std::string ScrubSecrets(std::string text, std::initializer_list<std::string_view> secrets) {
  for (std::string_view secret : secrets) {
    if (secret.size() < 6) continue;
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
      text.replace(at, secret.size(), kRedacted);
      at += kRedacted.size();
    }
  }
  return text;
}

Status ScrubSecrets(const Status& status, std::initializer_list<std::string_view> secrets) {
  if (status.ok()) return status;
  return Status(status.code(), ScrubSecrets(status.message(), secrets));
}

}  // namespace earshot
