#include "daemon/web/html.h"

#include <algorithm>

namespace earshot {
namespace {

bool OnBoundary(std::string_view s, size_t i) {
  return i == s.size() || (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80);
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HighlightEvidence(std::string_view text, const std::vector<Label>& labels,
                              std::string_view field) {
  std::vector<Span> spans;
  for (const auto& label : labels) {
    for (const auto& e : label.evidence) {
      if (e.field != field || e.span.begin >= e.span.end || e.span.end > text.size()) continue;
      if (!OnBoundary(text, e.span.begin) || !OnBoundary(text, e.span.end)) continue;
      spans.push_back(e.span);
    }
  }
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::string out;
  size_t pos = 0;
  for (size_t i = 0; i < spans.size();) {
    Span merged = spans[i++];
    while (i < spans.size() && spans[i].begin <= merged.end) {
      merged.end = std::max(merged.end, spans[i++].end);
    }
    if (merged.begin < pos) continue;
    out += HtmlEscape(text.substr(pos, merged.begin - pos));
    out += "<mark>" + HtmlEscape(text.substr(merged.begin, merged.end - merged.begin)) + "</mark>";
    pos = merged.end;
  }
  out += HtmlEscape(text.substr(pos));
  return out;
}

}  // namespace earshot
