// What every notifier formats the same way: highlighted runs of the excerpt, one-line fields
// cut to size, priority styling, the grouped lines and the links a chat may show.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/label.h"
#include "daemon/notify/alert_message.h"

namespace earshot {

// Bytes of excerpt a notifier shows; a longer one is cut at a character boundary with "…".
inline constexpr size_t kMaxExcerptBytes = 1000;
// Grouped lines shown; the rest are counted in a last "…and N more" line.
inline constexpr size_t kMaxMoreLines = 10;

struct TextRun {
  std::string_view text;
  bool marked = false;
};

// The text as consecutive runs, marked where a span covers it. Spans that are empty, out of
// range or off character boundaries are ignored; overlapping and touching spans merge.
std::vector<TextRun> SplitHighlights(std::string_view text, const std::vector<Span>& spans);

// Each run escaped; marked runs wrapped in open/close, with the whitespace at their edges kept
// outside the markers (Markdown does not bold "* word*").
using Escaper = std::string (*)(std::string_view);
std::string RenderHighlights(std::string_view text, const std::vector<Span>& spans, Escaper escape,
                             std::string_view open, std::string_view close);

// The message's excerpt on one line (line breaks become spaces, offsets unchanged), cut to
// kMaxExcerptBytes, with its spans clipped to what is left.
struct Excerpt {
  std::string text;
  std::vector<Span> spans;
};
Excerpt ShownExcerpt(const AlertMessage& message);

// Whitespace collapsed, cut to max_bytes at a character boundary ("…" when cut).
std::string OneLine(std::string_view s, size_t max_bytes);

// "🚨" critical, "🔴" high, "🟠" medium, "🔵" low, "🔔" anything else.
std::string_view PriorityEmoji(std::string_view priority);
// "CRITICAL", "HIGH"...; "ALERT" when the priority is empty.
std::string PriorityLabel(std::string_view priority);
// "🚨 CRITICAL · rule" (the rule omitted when empty), unescaped.
std::string Headline(const AlertMessage& message);
// "source · platform · author" without the empty parts, unescaped.
std::string Provenance(const AlertMessage& message);

// Up to kMaxMoreLines of more_lines, each on one line, then "…and N more" when some were left
// out; empty when the alert stands for one mention.
std::vector<std::string> ShownMoreLines(const AlertMessage& message);
// "+N more mentions" for an alert standing for several, else "".
std::string MoreHeading(const AlertMessage& message);

// True for an absolute http:// or https:// URL without whitespace or control characters: the only
// links a notifier shows (never javascript: or data:).
bool IsWebUrl(std::string_view url);

// The URL with the characters that end or break a Markdown link - ( ) < > [ ] \ ` and
// spaces - percent-encoded; for an IsWebUrl URL it points to the same place.
std::string MarkdownLinkUrl(std::string_view url);

// A zero-width space after every '@', so "@everyone", "@channel" or "@here" quoted from a
// mention cannot notify a whole team on platforms that parse them from text.
std::string DefuseMentions(std::string_view s);

}  // namespace earshot
