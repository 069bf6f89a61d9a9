#include "daemon/cli/table_format.h"

#include <cstdlib>

#include "core/utf8.h"

namespace earshot::cli {

std::string Cell(std::string_view text, size_t width) {
  std::string flat = CollapseWhitespace(text);
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < flat.size() && chars < width;) {
    size_t len = Utf8SequenceLength(static_cast<unsigned char>(flat[i]));
    if (len == 0) len = 1;
    if (chars == width - 1 && i + len < flat.size()) {
      out += "…";
      ++chars;
      break;
    }
    out.append(flat, i, len);
    i += len;
    ++chars;
  }
  out.append(width > chars ? width - chars : 0, ' ');
  return out;
}

std::string ShortTime(UnixMillis t) {
  std::string s = FormatRfc3339(t).substr(0, 16);
  s[10] = ' ';
  return s;
}

std::string Countdown(UnixMillis deadline, UnixMillis now) {
  int64_t minutes = std::llabs(deadline - now) / 60'000;
  std::string span = minutes >= 60
                         ? std::to_string(minutes / 60) + "h " + std::to_string(minutes % 60) + "m"
                         : std::to_string(minutes) + "m";
  return deadline >= now ? "in " + span : span + " overdue";
}

}  // namespace earshot::cli
