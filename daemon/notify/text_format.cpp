#include "daemon/notify/text_format.h"

#include <algorithm>
#include <cctype>

#include "core/utf8.h"

namespace earshot {
namespace {

bool OnBoundary(std::string_view text, size_t at) {
  return at == text.size() || (static_cast<unsigned char>(text[at]) & 0xC0) != 0x80;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

std::string Cut(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  constexpr std::string_view kEllipsis = "…";
  const size_t room = max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  return std::string(TruncateUtf8(s, room)) + std::string(kEllipsis);
}

}  // namespace

std::vector<TextRun> SplitHighlights(std::string_view text, const std::vector<Span>& spans) {
  std::vector<Span> valid;
  for (const Span& s : spans) {
    if (s.begin < s.end && s.end <= text.size() && OnBoundary(text, s.begin) &&
        OnBoundary(text, s.end)) {
      valid.push_back(s);
    }
  }
  std::sort(valid.begin(), valid.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::vector<Span> merged;
  for (const Span& s : valid) {
    if (!merged.empty() && s.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, s.end);
    } else {
      merged.push_back(s);
    }
  }
  std::vector<TextRun> runs;
  size_t at = 0;
  for (const Span& s : merged) {
    if (s.begin > at) runs.push_back({text.substr(at, s.begin - at), false});
    runs.push_back({text.substr(s.begin, s.end - s.begin), true});
    at = s.end;
  }
  if (at < text.size()) runs.push_back({text.substr(at), false});
  return runs;
}

std::string RenderHighlights(std::string_view text, const std::vector<Span>& spans, Escaper escape,
                             std::string_view open, std::string_view close) {
  std::string out;
  for (const TextRun& run : SplitHighlights(text, spans)) {
    if (!run.marked) {
      out += escape(run.text);
      continue;
    }
    std::string_view inner = run.text;
    size_t lead = 0;
    while (lead < inner.size() && IsSpace(inner[lead]))
      ++lead;
    size_t trail = inner.size();
    while (trail > lead && IsSpace(inner[trail - 1]))
      --trail;
    out += inner.substr(0, lead);
    if (trail > lead) {
      out += open;
      out += escape(inner.substr(lead, trail - lead));
      out += close;
    }
    out += inner.substr(trail);
  }
  return out;
}

Excerpt ShownExcerpt(const AlertMessage& message) {
  Excerpt e;
  e.text = message.excerpt;
  for (char& c : e.text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') c = ' ';
  }
  size_t kept = e.text.size();  // bytes of the original excerpt still shown
  if (e.text.size() > kMaxExcerptBytes) {
    e.text = Cut(e.text, kMaxExcerptBytes);
    kept = e.text.size() - std::string_view("…").size();
  }
  for (const Span& s : message.highlights) {
    if (s.begin >= kept || s.end > message.excerpt.size()) continue;
    e.spans.push_back({s.begin, std::min(s.end, kept)});  // the cut is on a boundary
  }
  return e;
}

std::string OneLine(std::string_view s, size_t max_bytes) {
  return Cut(CollapseWhitespace(s), max_bytes);
}

std::string_view PriorityEmoji(std::string_view priority) {
  if (priority == "critical") return "🚨";
  if (priority == "high") return "🔴";
  if (priority == "medium") return "🟠";
  if (priority == "low") return "🔵";
  return "🔔";
}

std::string PriorityLabel(std::string_view priority) {
  if (priority.empty()) return "ALERT";
  std::string out;
  for (char c : OneLine(priority, 40)) {
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string Headline(const AlertMessage& message) {
  std::string out =
      std::string(PriorityEmoji(message.priority)) + " " + PriorityLabel(message.priority);
  const std::string rule = OneLine(message.rule, 100);
  if (!rule.empty()) out += " · " + rule;
  return out;
}

std::string Provenance(const AlertMessage& message) {
  std::string out;
  for (const std::string* part : {&message.source, &message.platform, &message.author}) {
    const std::string line = OneLine(*part, 100);
    if (line.empty()) continue;
    if (!out.empty()) out += " · ";
    out += line;
  }
  return out;
}

std::vector<std::string> ShownMoreLines(const AlertMessage& message) {
  std::vector<std::string> lines;
  for (const std::string& line : message.more_lines) {
    if (lines.size() == kMaxMoreLines) break;
    lines.push_back(OneLine(line, 200));
  }
  if (message.more_lines.size() > kMaxMoreLines) {
    lines.push_back("…and " + std::to_string(message.more_lines.size() - kMaxMoreLines) + " more");
  }
  return lines;
}

std::string MoreHeading(const AlertMessage& message) {
  if (message.group_count <= 1) return "";
  return "+" + std::to_string(message.group_count - 1) + " more mention" +
         (message.group_count == 2 ? "" : "s");
}

bool IsWebUrl(std::string_view url) {
  auto starts = [&](std::string_view prefix) {
    if (url.size() <= prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(url[i])) != prefix[i]) return false;
    }
    return true;
  };
  if (!starts("http://") && !starts("https://")) return false;
  return std::none_of(url.begin(), url.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F; });
}

std::string MarkdownLinkUrl(std::string_view url) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : url) {
    if (std::string_view("()<>[]\\` ").find(c) != std::string_view::npos) {
      out += '%';
      out += kHex[static_cast<unsigned char>(c) >> 4];
      out += kHex[static_cast<unsigned char>(c) & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

std::string DefuseMentions(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    out += c;
    if (c == '@') out += "\u200B";
  }
  return out;
}

}  // namespace earshot
