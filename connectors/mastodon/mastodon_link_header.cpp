#include "connectors/mastodon/mastodon_link_header.h"

#include <cctype>

namespace earshot {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Does the parameter list `;rel="next";title=x` have a rel naming `rel`?
bool HasRel(std::string_view params, std::string_view rel) {
  size_t pos = 0;
  while (pos < params.size()) {
    size_t semi = params.find(';', pos);
    std::string_view param = Trim(
        params.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos));
    pos = semi == std::string_view::npos ? params.size() : semi + 1;
    size_t eq = param.find('=');
    if (eq == std::string_view::npos || !EqualsIgnoreCase(Trim(param.substr(0, eq)), "rel")) {
      continue;
    }
    std::string_view value = Trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    // rel may hold several space-separated relation types.
    size_t start = 0;
    while (start <= value.size()) {
      size_t space = value.find(' ', start);
      std::string_view type = value.substr(
          start, space == std::string_view::npos ? std::string_view::npos : space - start);
      if (EqualsIgnoreCase(type, rel)) return true;
      if (space == std::string_view::npos) break;
      start = space + 1;
    }
  }
  return false;
}

}  // namespace

std::string LinkWithRel(std::string_view header, std::string_view rel) {
  size_t pos = 0;
  while (true) {
    size_t open = header.find('<', pos);
    if (open == std::string_view::npos) return "";
    size_t close = header.find('>', open);
    if (close == std::string_view::npos) return "";
    // The link's parameters run to the next link (a comma outside the <...>) or the end.
    size_t next = header.find(',', close);
    std::string_view params = header.substr(
        close + 1, next == std::string_view::npos ? std::string_view::npos : next - close - 1);
    if (HasRel(params, rel)) return std::string(Trim(header.substr(open + 1, close - open - 1)));
    if (next == std::string_view::npos) return "";
    pos = next + 1;
  }
}

}  // namespace earshot
