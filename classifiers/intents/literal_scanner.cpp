#include "classifiers/intents/literal_scanner.h"

#include <utf8proc.h>

#include <algorithm>
#include <deque>
#include <limits>

namespace earshot {
namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
constexpr int32_t kTableSize = 0x800;  // every one- and two-byte character

int32_t Representative(int32_t cp) {
  return utf8proc_tolower(utf8proc_toupper(cp));
}

// One representative for each set of letters that RE2 takes for one another when ignoring case:
// "S", "s" and "ſ" all give "s", "K" and the Kelvin sign give "k". Lower case of upper case
// joins every such set, and at worst a few more letters (Turkish "İ" joins "i").
int32_t Fold(int32_t cp) {
  static const auto* const table = [] {
    auto* t = new std::array<int32_t, kTableSize>;
    for (int32_t c = 0; c < kTableSize; ++c)
      (*t)[static_cast<size_t>(c)] = Representative(c);
    return t;
  }();
  return cp < kTableSize ? (*table)[static_cast<size_t>(cp)] : Representative(cp);
}

size_t Encode(int32_t cp, unsigned char* out) {
  return static_cast<size_t>(utf8proc_encode_char(cp, out));
}

std::string FoldText(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    utf8proc_int32_t cp = -1;
    auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                              static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) {
      out.push_back(s[i++]);
      continue;
    }
    unsigned char buf[4];
    out.append(reinterpret_cast<const char*>(buf), Encode(Fold(cp), buf));
    i += static_cast<size_t>(n);
  }
  return out;
}

}  // namespace

LiteralScanner::LiteralScanner(const std::vector<std::string>& literals, size_t located) {
  std::vector<std::string> folded;
  for (const auto& literal : literals)
    folded.push_back(FoldText(literal));
  for (const auto& f : folded) {
    for (unsigned char b : f) {
      if (class_of_[b] == 0) class_of_[b] = static_cast<uint8_t>(classes_++);
    }
  }
  // The trie first, its missing edges kNone; by state * classes_ + class, the next state.
  std::vector<uint32_t> delta(classes_, kNone);
  std::vector<std::vector<int>> ends(1);
  for (size_t k = 0; k < folded.size(); ++k) {
    uint32_t state = 0;
    for (unsigned char b : folded[k]) {
      uint32_t& next = delta[state * classes_ + class_of_[b]];
      if (next == kNone) {
        next = static_cast<uint32_t>(ends.size());
        ends.emplace_back();
        delta.resize(delta.size() + classes_, kNone);
      }
      state = delta[state * classes_ + class_of_[b]];
    }
    ends[state].push_back(static_cast<int>(k));
  }
  // Then breadth first, each missing edge takes the one of the longest suffix in the trie, and
  // each state reports what that suffix reports.
  std::vector<uint32_t> fail(ends.size(), 0);
  std::deque<uint32_t> queue;
  for (uint32_t c = 0; c < classes_; ++c) {
    uint32_t& next = delta[c];
    if (next == kNone) {
      next = 0;
    } else {
      queue.push_back(next);
    }
  }
  while (!queue.empty()) {
    const uint32_t state = queue.front();
    queue.pop_front();
    for (uint32_t c = 0; c < classes_; ++c) {
      uint32_t& next = delta[state * classes_ + c];
      const uint32_t fallback = delta[fail[state] * classes_ + c];
      if (next == kNone) {
        next = fallback;
        continue;
      }
      fail[next] = fallback;
      ends[next].insert(ends[next].end(), ends[fallback].begin(), ends[fallback].end());
      queue.push_back(next);
    }
  }
  // Scan follows one edge per byte, each waiting for the last, so the table is laid out for that
  // wait. An edge is where the next state's row starts, over 4: rows are padded to a multiple of
  // 4 entries, and the edges fit 16 bits in every built-in table, half the bytes to keep in
  // cache. States where a literal ends are numbered last, so whether to report is a comparison
  // with the first of them, off the chain of loads. The root stays first, where a scan starts.
  const uint32_t states = static_cast<uint32_t>(ends.size());
  std::vector<uint32_t> order{0};
  for (uint32_t s = 1; s < states; ++s) {
    if (ends[s].empty()) order.push_back(s);
  }
  const auto quiet = static_cast<uint32_t>(order.size());
  for (uint32_t s = 1; s < states; ++s) {
    if (!ends[s].empty()) order.push_back(s);
  }
  std::vector<uint32_t> renamed(states);
  for (uint32_t k = 0; k < states; ++k)
    renamed[order[k]] = k;
  stride_ = (classes_ + 3) & ~3u;
  // A root where a literal ends (an empty one) reports at every step, as every state then does.
  first_reporting_ = ends[0].empty() ? quiet * stride_ / 4 : 0;
  std::vector<uint32_t> table(static_cast<size_t>(states) * stride_, 0);
  for (uint32_t k = 0; k < states; ++k) {
    for (uint32_t c = 0; c < classes_; ++c) {
      table[static_cast<size_t>(k) * stride_ + c] =
          renamed[delta[static_cast<size_t>(order[k]) * classes_ + c]] * stride_ / 4;
    }
  }
  if (static_cast<size_t>(states) * stride_ / 4 <= std::numeric_limits<uint16_t>::max())
    narrow_.assign(table.begin(), table.end());
  else
    wide_ = std::move(table);
  const auto first_located = static_cast<int>(literals.size() - located);
  output_begin_.push_back(0);
  located_begin_.push_back(0);
  for (uint32_t s : order) {
    for (int k : ends[s])
      (k < first_located ? outputs_ : located_).push_back(k);
    output_begin_.push_back(static_cast<uint32_t>(outputs_.size()));
    located_begin_.push_back(static_cast<uint32_t>(located_.size()));
  }
  for (int32_t cp = 0x80; cp < 0x800; ++cp) {
    Folded& f = two_byte_.emplace_back();
    f.size = static_cast<uint8_t>(Encode(Fold(cp), f.bytes.data()));
  }
  // ASCII upper case folds like a literal's lower case, saving the fold in Scan.
  for (unsigned char b = 'A'; b <= 'Z'; ++b)
    class_of_[b] = class_of_[b + 32];
}

namespace {

// When each state last reported, by the scan's number: short literals ("is", "?") end in the
// same states again and again, and are reported once per scan.
thread_local std::vector<uint32_t> reported;
thread_local uint32_t scan_number = 0;

}  // namespace

void LiteralScanner::Report(uint32_t edge, size_t end, std::vector<int>* found,
                            std::vector<LiteralEnd>* ends) const {
  const uint32_t state = edge * 4 / stride_;
  if (ends) {
    for (uint32_t k = located_begin_[state]; k < located_begin_[state + 1]; ++k)
      ends->push_back({located_[k], end});
  }
  if (reported[state] == scan_number) return;
  reported[state] = scan_number;
  found->insert(found->end(), outputs_.begin() + output_begin_[state],
                outputs_.begin() + output_begin_[state + 1]);
}

template <typename Edge>
uint32_t LiteralScanner::Feed(const Edge* delta, uint32_t edge, int32_t codepoint, size_t end,
                              std::vector<int>* found, std::vector<LiteralEnd>* ends) const {
  const int32_t folded = Fold(codepoint);
  if (folded < 0x80) {
    edge = Step(delta, edge, static_cast<unsigned char>(folded));
  } else if (folded < 0x800) {
    edge = Step(delta, edge, static_cast<unsigned char>(0xC0 | (folded >> 6)));
    edge = Step(delta, edge, static_cast<unsigned char>(0x80 | (folded & 0x3F)));
  } else {
    unsigned char buf[4];
    const size_t n = Encode(folded, buf);
    for (size_t k = 0; k < n; ++k)
      edge = Step(delta, edge, buf[k]);
  }
  if (edge >= first_reporting_) Report(edge, end, found, ends);
  return edge;
}

void LiteralScanner::Scan(std::string_view text, std::vector<int>* found,
                          std::vector<LiteralEnd>* ends) const {
  found->clear();
  if (ends) ends->clear();
  if (outputs_.empty() && located_.empty()) return;
  if (reported.size() < output_begin_.size()) reported.resize(output_begin_.size(), scan_number);
  if (++scan_number == 0) {
    std::fill(reported.begin(), reported.end(), 0);
    scan_number = 1;
  }
  if (!narrow_.empty())
    ScanWith(narrow_.data(), text, found, ends);
  else
    ScanWith(wide_.data(), text, found, ends);
  std::sort(found->begin(), found->end());
  found->erase(std::unique(found->begin(), found->end()), found->end());
}

template <typename Edge>
void LiteralScanner::ScanWith(const Edge* delta, std::string_view text, std::vector<int>* found,
                              std::vector<LiteralEnd>* ends) const {
  uint32_t edge = 0;  // the root
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      edge = Step(delta, edge, b);
      ++i;
      if (edge >= first_reporting_) Report(edge, i, found, ends);
      continue;
    }
    // Two-byte characters (Cyrillic, Polish and German letters) are decoded inline, and their
    // folds looked up.
    utf8proc_int32_t cp = -1;
    if (b >= 0xC2 && b <= 0xDF && i + 1 < text.size() &&
        (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      cp = ((b & 0x1F) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3F);
      i += 2;
      const Folded& f = two_byte_[static_cast<size_t>(cp - 0x80)];
      for (uint8_t k = 0; k < f.size; ++k)
        edge = Step(delta, edge, f.bytes[k]);
      if (edge >= first_reporting_) Report(edge, i, found, ends);
      continue;
    }
    auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                              static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (n <= 0) {
      edge = 0;  // no literal matches across an invalid byte
      ++i;
      continue;
    }
    i += static_cast<size_t>(n);
    edge = Feed(delta, edge, cp, i, found, ends);
  }
}

}  // namespace earshot
