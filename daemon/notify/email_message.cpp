#include "daemon/notify/email_message.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <utility>

#include "core/utf8.h"
#include "daemon/notify/text_format.h"

namespace earshot {
namespace {

constexpr std::string_view kCrlf = "\r\n";
// Bytes of UTF-8 per encoded word: 45 bytes are 60 base64 characters, 72 with "=?UTF-8?B?...?=".
constexpr size_t kEncodedWordBytes = 45;
// RFC 5322 allows 998 bytes a line; longer body lines are broken before that.
constexpr size_t kBodyLineBytes = 900;

std::string Base64(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const uint32_t n = static_cast<unsigned char>(data[i]) << 16 |
                       static_cast<unsigned char>(data[i + 1]) << 8 |
                       static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < data.size()) {
    uint32_t n = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) n |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// A header value on one line: line breaks (which would start a forged header) become spaces.
std::string HeaderValue(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\r' || c == '\n' || c == '\0') c = ' ';
  }
  return out;
}

bool IsIdChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
}

std::string MessageId(const AlertMessage& message, std::string_view from) {
  std::string id = message.delivery_id;
  const bool plain = !id.empty() && id.size() <= 200 && id.front() != '.' && id.back() != '.' &&
                     id.find("..") == std::string::npos &&
                     std::all_of(id.begin(), id.end(), IsIdChar);
  if (!plain) {
    static constexpr char kHex[] = "0123456789abcdef";
    id = "x";
    for (char c : message.delivery_id.substr(0, 100)) {
      id += kHex[static_cast<unsigned char>(c) >> 4];
      id += kHex[static_cast<unsigned char>(c) & 0xF];
    }
  }
  std::string domain = MailboxAddress(from);
  const size_t at = domain.rfind('@');
  domain = at == std::string::npos ? "" : domain.substr(at + 1);
  const bool domain_ok = !domain.empty() && std::all_of(domain.begin(), domain.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  });
  return "<" + id + "@" + (domain_ok ? domain : "earshot.invalid") + ">";
}

// Lines over kBodyLineBytes broken at the last space before the limit (or a character boundary).
void AppendWrapped(std::string& body, std::string_view line) {
  while (line.size() > kBodyLineBytes) {
    std::string_view head = TruncateUtf8(line, kBodyLineBytes);
    const size_t space = head.rfind(' ');
    if (space != std::string_view::npos && space > kBodyLineBytes / 2) head = head.substr(0, space);
    body += head;
    body += kCrlf;
    line.remove_prefix(head.size());
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  }
  body += line;
  body += kCrlf;
}

std::string Escapeless(std::string_view s) {
  return std::string(s);
}

std::string Body(const AlertMessage& message) {
  std::string body;
  AppendWrapped(body, Headline(message));
  if (const std::string summary = OneLine(message.summary, 500); !summary.empty()) {
    AppendWrapped(body, summary);
  }
  const Excerpt excerpt = ShownExcerpt(message);
  if (!excerpt.text.empty()) {
    body += kCrlf;
    AppendWrapped(
        body, "\"" + RenderHighlights(excerpt.text, excerpt.spans, Escapeless, "*", "*") + "\"");
  }
  if (const std::string heading = MoreHeading(message); !heading.empty()) {
    body += kCrlf;
    AppendWrapped(body, heading + ":");
    for (const std::string& line : ShownMoreLines(message))
      AppendWrapped(body, "- " + line);
  }
  body += kCrlf;
  const std::pair<const char*, std::string> facts[] = {
      {"Source", OneLine(message.source, 200)}, {"Platform", OneLine(message.platform, 200)},
      {"Author", OneLine(message.author, 200)}, {"Post", OneLine(message.url, 800)},
      {"Case", OneLine(message.case_url, 800)},
  };
  for (const auto& [name, value] : facts) {
    if (!value.empty()) AppendWrapped(body, std::string(name) + ": " + value);
  }
  body += kCrlf;
  body += "-- ";
  body += kCrlf;
  AppendWrapped(body, "Sent by earshot, delivery " + OneLine(message.delivery_id, 200));
  return body;
}

}  // namespace

std::string MailboxAddress(std::string_view mailbox) {
  const size_t open = mailbox.rfind('<');
  if (open != std::string_view::npos) {
    const size_t close = mailbox.find('>', open);
    mailbox = mailbox.substr(open + 1, close == std::string_view::npos ? close : close - open - 1);
  }
  return CollapseWhitespace(mailbox);
}

std::vector<std::string> MailboxAddresses(std::string_view list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    std::string address = MailboxAddress(list.substr(start, comma - start));
    if (!address.empty()) out.push_back(std::move(address));
    start = comma + 1;
  }
  return out;
}

std::string FormatRfc5322Date(UnixMillis t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t seconds = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buffer;
}

std::string EncodeHeaderText(std::string_view text) {
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F;
  });
  if (ascii && text.find("=?") == std::string_view::npos) return std::string(text);
  const std::string valid = SanitizeUtf8(text);
  std::string_view rest = valid;
  std::string out;
  while (!rest.empty()) {
    std::string_view chunk = TruncateUtf8(rest, kEncodedWordBytes);
    if (chunk.empty()) chunk = rest.substr(0, Utf8SequenceLength(rest.front()));
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(chunk) + "?=";
    rest.remove_prefix(chunk.size());
  }
  return out;
}

std::string BuildEmailMessage(const ChannelConfig& channel, const AlertMessage& message,
                              UnixMillis now) {
  std::string subject = "[earshot] " + PriorityLabel(message.priority);
  if (const std::string rule = OneLine(message.rule, 100); !rule.empty()) subject += " " + rule;
  if (const std::string summary = OneLine(message.summary, 150); !summary.empty()) {
    subject += ": " + summary;
  }
  std::string out;
  auto header = [&](std::string_view name, const std::string& value) {
    out += name;
    out += ": ";
    out += value;
    out += kCrlf;
  };
  header("Date", FormatRfc5322Date(now));
  header("From", HeaderValue(channel.from));
  header("To", HeaderValue(channel.to));
  header("Subject", EncodeHeaderText(HeaderValue(subject)));
  header("Message-ID", MessageId(message, channel.from));
  header("MIME-Version", "1.0");
  header("Content-Type", "text/plain; charset=utf-8");
  header("Content-Transfer-Encoding", "8bit");
  header("X-Earshot-Delivery", HeaderValue(OneLine(message.delivery_id, 200)));
  out += kCrlf;
  out += Body(message);
  return out;
}

}  // namespace earshot
