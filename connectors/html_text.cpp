#include "connectors/html_text.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

#include "connectors/html_entities.h"

namespace earshot {
namespace {

bool IsBlockTag(std::string_view name) {
  static constexpr std::string_view kBlocks[] = {
      "p",          "div",     "br",      "li",     "ul",     "ol", "tr", "table",
      "blockquote", "pre",     "h1",      "h2",     "h3",     "h4", "h5", "h6",
      "hr",         "section", "article", "header", "footer", "dd", "dt"};
  return std::find(std::begin(kBlocks), std::end(kBlocks), name) != std::end(kBlocks);
}

std::string LowerTagName(std::string_view tag) {
  size_t i = 0;
  if (i < tag.size() && tag[i] == '/') ++i;
  std::string name;
  while (i < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[i])))) {
    name += static_cast<char>(std::tolower(static_cast<unsigned char>(tag[i++])));
  }
  return name;
}

// Collapses spaces inside lines and keeps at most one empty line between paragraphs.
std::string Tidy(const std::string& raw) {
  std::string out;
  out.reserve(raw.size());
  int newlines = 0;
  bool space = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\xC2' && i + 1 < raw.size() && raw[i + 1] == '\xA0') {  // no-break space
      ++i;
      c = ' ';
    }
    if (c == '\n') {
      ++newlines;
      space = false;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      space = true;
      continue;
    }
    if (!out.empty()) {
      if (newlines) {
        out.append(std::min(newlines, 2), '\n');
      } else if (space) {
        out += ' ';
      }
    }
    newlines = 0;
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::string HtmlToText(std::string_view html) {
  std::string raw;
  raw.reserve(html.size());
  size_t i = 0;
  while (i < html.size()) {
    char c = html[i];
    if (c == '<') {
      if (html.compare(i, 4, "<!--") == 0) {
        size_t end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      size_t close = html.find('>', i + 1);
      const bool looks_like_tag =
          i + 1 < html.size() && (std::isalpha(static_cast<unsigned char>(html[i + 1])) ||
                                  html[i + 1] == '/' || html[i + 1] == '!' || html[i + 1] == '?');
      if (close == std::string_view::npos || !looks_like_tag) {
        raw += c;  // a lone '<' in text, as in "a < b"
        ++i;
        continue;
      }
      std::string name = LowerTagName(html.substr(i + 1, close - i - 1));
      if ((name == "script" || name == "style") && html[i + 1] != '/') {
        std::string end_tag = "</" + name;
        size_t end = i;
        // Case-insensitive search for the end tag.
        for (end = close; end < html.size(); ++end) {
          if (html[end] == '<' && end + end_tag.size() <= html.size() &&
              std::equal(end_tag.begin(), end_tag.end(), html.begin() + end, [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
              })) {
            break;
          }
        }
        size_t after = html.find('>', end);
        i = after == std::string_view::npos ? html.size() : after + 1;
        continue;
      }
      const bool closing = html[i + 1] == '/';
      // A list item or row ends where the next begins; paragraphs end with a blank line.
      const bool ends_nothing = name == "li" || name == "tr" || name == "dd" || name == "dt";
      if (IsBlockTag(name) && !(closing && ends_nothing)) raw += '\n';
      if (name == "td" || name == "th") raw += ' ';
      i = close + 1;
      continue;
    }
    if (c == '&') {
      size_t used = 0;
      std::string decoded = DecodeEntityAt(html, i, &used);
      if (used) {
        raw += decoded;
        i += used;
        continue;
      }
    }
    raw += c;
    ++i;
  }
  return Tidy(raw);
}

}  // namespace earshot
