#include "classifiers/sentiment/lexicon.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <vector>

#include "core/utf8.h"

namespace earshot {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::optional<double> Number(std::string_view s) {
  std::string text(Trim(s));
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

// A letter or digit, or part of a multi-byte letter; not the punctuation of ":-)".
bool WordByte(char c) {
  const auto b = static_cast<unsigned char>(c);
  return b >= 0x80 || std::isalnum(b);
}

}  // namespace

Status Lexicon::Load(std::string_view text, const std::string& name) {
  LexiconKind kind = LexiconKind::kPolarity;
  std::vector<LexiconEntry> entries;
  bool afinn_scale = false;  // whole numbers reaching +-5: an AFINN-style list
  size_t line_no = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = Trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    if (line.front() == '[') {
      if (line == "[polarity]")
        kind = LexiconKind::kPolarity;
      else if (line == "[booster]")
        kind = LexiconKind::kBooster;
      else if (line == "[negator]")
        kind = LexiconKind::kNegator;
      else if (line == "[contrast]")
        kind = LexiconKind::kContrast;
      else if (line == "[concession]")
        kind = LexiconKind::kConcession;
      else if (line == "[expected]")
        kind = LexiconKind::kExpected;
      else
        return Status::InvalidArgument(name + ":" + std::to_string(line_no) + ": unknown section " +
                                       std::string(line));
      continue;
    }
    size_t tab = line.find('\t');
    std::string term = FoldCase(Trim(line.substr(0, tab)));
    for (size_t h = 1; h + 1 < term.size(); ++h) {
      if (term[h] == '-' && WordByte(term[h - 1]) && WordByte(term[h + 1])) term[h] = ' ';
    }
    double weight = 0;
    if (tab != std::string_view::npos) {
      std::string_view rest = line.substr(tab + 1);
      auto weight_text = rest.substr(0, rest.find('\t'));
      auto parsed = Number(weight_text);
      if (!parsed) {
        return Status::InvalidArgument(name + ":" + std::to_string(line_no) + ": '" +
                                       std::string(weight_text) + "' is not a number");
      }
      weight = *parsed;
      if (rest.find('\t') == std::string_view::npos && std::abs(weight) == 5) afinn_scale = true;
    } else if (kind == LexiconKind::kPolarity || kind == LexiconKind::kExpected) {
      return Status::InvalidArgument(name + ":" + std::to_string(line_no) + ": '" + term +
                                     "' has no weight");
    }
    if (term.empty()) continue;
    entries.push_back({kind, weight, term});
  }
  for (auto& entry : entries) {
    // AFINN rates -5..5; this lexicon's scale is -4..4, like VADER's.
    if (afinn_scale && entry.kind == LexiconKind::kPolarity) entry.weight *= 0.8;
    entry.weight = std::clamp(entry.weight, -4.0, 4.0);
    std::string term = entry.term;
    if (term.size() > 1 && term.back() == '*') {
      term.pop_back();
      min_stem_ = std::min(min_stem_, term.size());
      max_stem_ = std::max(max_stem_, term.size());
      stems_[term] = std::move(entry);
      gates_dirty_ = true;
    } else {
      if (auto space = term.find(' '); space != std::string::npos) {
        const size_t words = 1 + static_cast<size_t>(std::count(term.begin(), term.end(), ' '));
        size_t& most = phrase_heads_[term.substr(0, space)];
        most = std::max(most, words);
      }
      exact_[term] = std::move(entry);
    }
  }
  if (gates_dirty_) RebuildGates();
  return Status::Ok();
}

const LexiconEntry* Lexicon::FindPair(std::string_view first, std::string_view second) const {
  if (phrase_heads_.find(first) == phrase_heads_.end()) return nullptr;
  std::string phrase;
  phrase.reserve(first.size() + second.size() + 1);
  phrase.append(first).append(" ").append(second);
  auto it = exact_.find(phrase);
  return it == exact_.end() ? nullptr : &it->second;
}

void Lexicon::RebuildGates() {
  stem_gates_.clear();
  for (const auto& [stem, entry] : stems_)
    stem_gates_[stem.substr(0, min_stem_)] = true;
  gates_dirty_ = false;
}

const LexiconEntry* Lexicon::Find(std::string_view word) const {
  if (auto it = exact_.find(word); it != exact_.end()) return &it->second;
  if (stems_.empty() || word.size() < min_stem_) return nullptr;
  if (stem_gates_.find(word.substr(0, min_stem_)) == stem_gates_.end()) return nullptr;
  for (size_t len = std::min(word.size(), max_stem_); len >= min_stem_; --len) {
    // Only cut on a character boundary.
    if (len < word.size() && (static_cast<unsigned char>(word[len]) & 0xC0) == 0x80) continue;
    if (auto it = stems_.find(word.substr(0, len)); it != stems_.end()) return &it->second;
    if (len == 0) break;
  }
  return nullptr;
}

}  // namespace earshot
