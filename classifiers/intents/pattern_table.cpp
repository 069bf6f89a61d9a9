#include "classifiers/intents/pattern_table.h"

#include <re2/filtered_re2.h>
#include <re2/re2.h>
#include <re2/set.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <optional>
#include <set>
#include <string_view>

#include "classifiers/intents/literal_scanner.h"
#include "classifiers/intents/pattern_reach.h"

namespace earshot {
namespace {

RE2::Options TableOptions() {
  RE2::Options o;
  o.set_case_sensitive(false);
  o.set_log_errors(false);
  o.set_max_mem(256 << 20);  // room for the DFA of a whole language's patterns
  return o;
}

constexpr std::string_view kBoundaryPrefix = "(?:^|\\PL)";

// How an occurrence of a literal decides a pattern of a LiteralShape.
enum class Decides : uint8_t { kNot, kAlone, kWithBoundaryAfter };

// A pattern a located literal anchors, and how far its matches reach from it (ReachAnchor).
struct Anchored {
  int pattern;
  size_t before;
  size_t after;
  bool before_runs;
  bool after_runs;
  Decides decides = Decides::kNot;
};

// What the occurrences of a shaped pattern's literals say, the strongest so far.
enum Verdict : uint8_t { kNoOccurrence, kNoMatch, kUnknown, kMatches };

bool AsciiWordByte(std::string_view text, size_t i) {
  if (i >= text.size()) return false;
  const auto b = static_cast<unsigned char>(text[i]);
  return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_';
}

// RE2's \b, which knows only ASCII.
bool WordBoundary(std::string_view text, size_t i) {
  return AsciiWordByte(text, i - 1) != AsciiWordByte(text, i);  // i - 1 wraps at 0: no byte
}

// Whether `text` ends with `literal`, ASCII letters in any case, other bytes equal.
bool EndsWithLiteral(std::string_view text, std::string_view literal) {
  if (text.size() < literal.size()) return false;
  text.remove_prefix(text.size() - literal.size());
  for (size_t k = 0; k < literal.size(); ++k) {
    auto a = static_cast<unsigned char>(text[k]), b = static_cast<unsigned char>(literal[k]);
    if (a >= 'A' && a <= 'Z') a += 32;
    if (b >= 'A' && b <= 'Z') b += 32;
    if (a != b) return false;
  }
  return true;
}

// By code point below 0x800, whether \PL matches it: asked of RE2, so its Unicode tables and
// case folding (U+0345 folds to a letter) hold.
const std::vector<bool>& NonLetters() {
  static const auto* const table = [] {
    auto* t = new std::vector<bool>(0x800);
    const RE2 non_letter("\\PL", TableOptions());
    for (int32_t cp = 0; cp < 0x800; ++cp) {
      unsigned char buf[4];
      const auto n = utf8proc_encode_char(cp, buf);
      (*t)[static_cast<size_t>(cp)] = RE2::FullMatch(
          std::string_view(reinterpret_cast<const char*>(buf), static_cast<size_t>(n)), non_letter);
    }
    return t;
  }();
  return *table;
}

// By ASCII byte, whether `regex` matches it: asked of RE2 for its exact classes.
std::bitset<128> AsciiClass(std::string_view regex) {
  const RE2 re(regex, TableOptions());
  std::bitset<128> out;
  for (size_t b = 0; b < 128; ++b) {
    const char c = static_cast<char>(b);
    out[b] = RE2::FullMatch(std::string_view(&c, 1), re);
  }
  return out;
}

// What \s matches.
const std::bitset<128>& Spaces() {
  static const std::bitset<128> space = AsciiClass("\\s");
  return space;
}

// Whether only \s comes before `i`; kUnknown past ASCII.
Verdict SpaceBefore(std::string_view text, size_t i) {
  const std::bitset<128>& space = Spaces();
  for (size_t k = 0; k < i; ++k) {
    const auto b = static_cast<unsigned char>(text[k]);
    if (b >= 0x80) return kUnknown;
    if (!space[b]) return kNoMatch;
  }
  return kMatches;
}

// Whether "(\s|$)" matches at `i`; kUnknown past ASCII.
Verdict SpaceOrEndAt(std::string_view text, size_t i) {
  const std::bitset<128>& space = Spaces();
  if (i == text.size()) return kMatches;
  const auto b = static_cast<unsigned char>(text[i]);
  if (b >= 0x80) return kUnknown;
  return space[b] ? kMatches : kNoMatch;
}

// Whether every character from `i` on is in `rest`. A byte out of it ends the match there: it
// is ASCII, so no part of a longer character.
Verdict RestIn(std::string_view text, size_t i, const std::bitset<128>& rest) {
  Verdict v = kMatches;
  for (size_t k = i; k < text.size(); ++k) {
    const auto b = static_cast<unsigned char>(text[k]);
    if (b >= 0x80) {
      v = kUnknown;
    } else if (!rest[b]) {
      return kNoMatch;
    }
  }
  return v;
}

// Whether "(?:^|\PL)" matches ending at `i`; kUnknown for characters past the table, or bytes
// that are no character.
Verdict NonLetterBefore(std::string_view text, size_t i) {
  if (i == 0) return kMatches;
  const auto last = static_cast<unsigned char>(text[i - 1]);
  int32_t cp = -1;
  if (last < 0x80) {
    cp = last;
  } else if (i >= 2 && (last & 0xC0) == 0x80) {
    const auto lead = static_cast<unsigned char>(text[i - 2]);
    if (lead >= 0xC2 && lead <= 0xDF) cp = (lead & 0x1F) << 6 | (last & 0x3F);
  }
  if (cp < 0) return kUnknown;
  return NonLetters()[static_cast<size_t>(cp)] ? kMatches : kNoMatch;
}

// What must hold around the literals of a shaped pattern (LiteralShape).
struct Surround {
  LiteralShape::Before before = LiteralShape::Before::kWordBoundary;
  bool has_rest = false;
  std::bitset<128> rest;
  bool space_or_end_after = false;
};

Verdict Before(const Surround& s, std::string_view text, size_t begin) {
  switch (s.before) {
    case LiteralShape::Before::kWordBoundary:
      return WordBoundary(text, begin) ? kMatches : kNoMatch;
    case LiteralShape::Before::kNonLetter:
      return NonLetterBefore(text, begin);
    case LiteralShape::Before::kTextStart:
      return SpaceBefore(text, begin);
    case LiteralShape::Before::kAnywhere:
      return kMatches;
  }
  return kUnknown;
}

// What an occurrence of `literal` that ends at `end` says of a pattern with the shape.
Verdict Decide(std::string_view literal, const Surround& s, Decides decides, std::string_view text,
               size_t end) {
  // A text that matches the literal only by RE2's wider case folding (the Kelvin sign for "k")
  // is left to RE2.
  if (!EndsWithLiteral(text.substr(0, end), literal)) return kUnknown;
  const Verdict before = Before(s, text, end - literal.size());
  if (before == kNoMatch) return kNoMatch;
  if (decides == Decides::kWithBoundaryAfter && !WordBoundary(text, end)) return kNoMatch;
  Verdict after = s.has_rest ? RestIn(text, end, s.rest) : kMatches;
  if (s.space_or_end_after) after = SpaceOrEndAt(text, end);
  return std::min(before, after);
}

}  // namespace

// A stretch of text that holds every match of `pattern` around one of its literals.
struct PatternTable::Window {
  int pattern;
  size_t begin;
  size_t end;
  bool operator<(const Window& o) const {
    return pattern != o.pattern ? pattern < o.pattern : begin < o.begin;
  }
};

struct PatternTable::Pattern {
  std::string lang;
  std::string name;  // without '!'
  bool veto = false;
  bool boundary_prefix = false;
  std::optional<LiteralShape> shape;
  std::string id;
  std::unique_ptr<RE2> regex;
};

// Atoms shorter than this are too common to filter on at first; the patterns that have none are
// filtered again on any literal they need.
constexpr int kMinAtomLength = 3;

// One FilteredRE2 over some of a language's patterns.
struct PatternTable::Stage {
  std::unique_ptr<re2::FilteredRE2> filter;
  std::vector<int> pattern_ids;  // filter id -> pattern id
  std::vector<bool> unfiltered;  // by filter id: no literal to filter on
  int first_atom = 0;            // where its atoms start among the scanner's literals
  int atom_count = 0;
};

struct PatternTable::Language {
  std::vector<const Pattern*> patterns;  // index = pattern id
  std::vector<bool> anchored;            // by pattern id: has anchors, so is searched in windows
  // By pattern id, for those the occurrences of their literals decide (LiteralShape, marked in
  // anchors), what must hold before a literal.
  std::vector<Surround> surrounds;
  std::vector<std::string> located;  // the located literals
  // By located literal, the patterns it anchors: a pattern is possible where one of its
  // literals occurs, and is searched in windows around them.
  std::vector<std::vector<Anchored>> anchors;
  int first_located = 0;  // the scanner's index of the first located literal
  // The patterns without anchors are filtered by FilteredRE2. The first stage filters them on
  // literals of kMinAtomLength, the second the first's unfiltered ones on any literal.
  std::array<Stage, 2> stages;
  LiteralScanner atoms;  // every stage's literals, then the located ones; any case
  // Patterns with no literal at all: matched together in one pass.
  std::vector<int> unfiltered_ids;  // Set index -> pattern id
  std::unique_ptr<RE2::Set> unfiltered;
};

PatternTable::PatternTable() = default;
PatternTable::~PatternTable() = default;
PatternTable::PatternTable(PatternTable&&) noexcept = default;
PatternTable& PatternTable::operator=(PatternTable&&) noexcept = default;

Status PatternTable::Add(const std::string& lang, const std::string& name,
                         const std::string& pattern, const std::string& pattern_id) {
  auto p = std::make_unique<Pattern>();
  p->lang = lang;
  p->veto = !name.empty() && name[0] == '!';
  p->name = p->veto ? name.substr(1) : name;
  p->id = pattern_id;
  p->boundary_prefix =
      std::string_view(pattern).substr(0, kBoundaryPrefix.size()) == kBoundaryPrefix;
  p->regex = std::make_unique<RE2>(pattern, TableOptions());
  if (!p->regex->ok()) {
    return Status::InvalidArgument(pattern_id + ": bad pattern for " + name + ": " +
                                   p->regex->error());
  }
  p->shape = AnalyseShape(pattern);
  pending_.push_back(std::move(p));
  return Status::Ok();
}

Status PatternTable::Load(std::string_view tsv, const std::string& file_name,
                          const std::string& name_prefix) {
  size_t line_no = 0;
  for (size_t pos = 0; pos < tsv.size();) {
    size_t end = tsv.find('\n', pos);
    if (end == std::string_view::npos) end = tsv.size();
    std::string_view line = tsv.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    size_t t1 = line.find('\t');
    size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos) {
      return Status::InvalidArgument(file_name + ":" + std::to_string(line_no) +
                                     ": expected language<TAB>name<TAB>pattern");
    }
    std::string name(line.substr(t1 + 1, t2 - t1 - 1));
    name = name[0] == '!' ? "!" + name_prefix + name.substr(1) : name_prefix + name;
    Status s = Add(std::string(line.substr(0, t1)), name, std::string(line.substr(t2 + 1)),
                   file_name + ":" + std::to_string(line_no));
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status PatternTable::Compile() {
  std::set<std::string> langs;
  for (const auto& p : pending_)
    langs.insert(p->lang);
  langs.insert("*");
  for (const auto& lang : langs) {
    auto language = std::make_unique<Language>();
    std::vector<int> remaining;  // for the filters
    std::vector<std::string> located;
    for (const auto& p : pending_) {
      // Every language also runs the patterns written for all languages.
      if (p->lang != lang && p->lang != "*") continue;
      const int id = static_cast<int>(language->patterns.size());
      language->patterns.push_back(p.get());
      const auto anchors = AnalyseReach(p->regex->pattern());
      language->anchored.push_back(!anchors.empty());
      if (anchors.empty()) remaining.push_back(id);
      for (const ReachAnchor& a : anchors) {
        const auto k = static_cast<size_t>(std::find(located.begin(), located.end(), a.literal) -
                                           located.begin());
        if (k == located.size()) {
          located.push_back(a.literal);
          language->anchors.emplace_back();
        }
        language->anchors[k].push_back({id, a.before, a.after, a.before_runs, a.after_runs});
      }
    }
    std::vector<std::string> literals;
    for (size_t s = 0; s < language->stages.size() && !remaining.empty(); ++s) {
      Stage& stage = language->stages[s];
      stage.filter = std::make_unique<re2::FilteredRE2>(s == 0 ? kMinAtomLength : 1);
      for (int id : remaining) {
        const Pattern* p = language->patterns[static_cast<size_t>(id)];
        int filter_id = -1;
        if (stage.filter->Add(p->regex->pattern(), TableOptions(), &filter_id) != RE2::NoError) {
          return Status::InvalidArgument(p->id + ": " + p->regex->error());
        }
      }
      stage.pattern_ids = remaining;
      std::vector<std::string> atoms;
      stage.filter->Compile(&atoms);
      stage.first_atom = static_cast<int>(literals.size());
      stage.atom_count = static_cast<int>(atoms.size());
      literals.insert(literals.end(), atoms.begin(), atoms.end());
      std::vector<int> unfiltered;
      stage.filter->AllPotentials({}, &unfiltered);
      stage.unfiltered.assign(remaining.size(), false);
      remaining.clear();
      for (int k : unfiltered) {
        stage.unfiltered[static_cast<size_t>(k)] = true;
        remaining.push_back(stage.pattern_ids[static_cast<size_t>(k)]);
      }
    }
    language->located = located;
    Shape(language.get());
    // The located literals follow the filters' atoms.
    language->first_located = static_cast<int>(literals.size());
    literals.insert(literals.end(), located.begin(), located.end());
    language->atoms = LiteralScanner(literals, located.size());
    language->unfiltered_ids = remaining;
    language->unfiltered = std::make_unique<RE2::Set>(TableOptions(), RE2::UNANCHORED);
    for (int id : remaining) {
      std::string error;
      language->unfiltered->Add(language->patterns[static_cast<size_t>(id)]->regex->pattern(),
                                &error);
    }
    if (!language->unfiltered->Compile()) return Status::InvalidArgument("pattern table too large");
    Warm(*language, literals);
    languages_[lang] = std::move(language);
  }
  return Status::Ok();
}

void PatternTable::Shape(Language* language) {
  // Asking RE2 what its classes match takes a few thousand searches: at load, not when the
  // first text needs them.
  NonLetters();
  Spaces();
  const size_t count = language->patterns.size();
  language->surrounds.assign(count, {});
  for (size_t id = 0; id < count; ++id) {
    const auto& shape = language->patterns[id]->shape;
    if (!shape || !language->anchored[id]) continue;
    // The scan must report every occurrence of the shape's literals, and only of them.
    size_t uses = 0;
    bool all_known = true;
    for (size_t k = 0; k < language->anchors.size(); ++k) {
      for (const Anchored& a : language->anchors[k]) {
        if (a.pattern != static_cast<int>(id)) continue;
        ++uses;
        all_known &= std::any_of(shape->literals.begin(), shape->literals.end(),
                                 [&](const auto& l) { return l.text == language->located[k]; });
      }
    }
    if (!all_known || uses != shape->literals.size()) continue;
    Surround& surround = language->surrounds[id];
    surround.before = shape->before;
    surround.has_rest = !shape->rest.empty();
    if (surround.has_rest) surround.rest = AsciiClass(shape->rest);
    surround.space_or_end_after = shape->space_or_end_after;
    for (size_t k = 0; k < language->anchors.size(); ++k) {
      for (Anchored& a : language->anchors[k]) {
        if (a.pattern != static_cast<int>(id)) continue;
        const auto& l =
            *std::find_if(shape->literals.begin(), shape->literals.end(),
                          [&](const auto& l) { return l.text == language->located[k]; });
        a.decides = l.boundary_after ? Decides::kWithBoundaryAfter : Decides::kAlone;
      }
    }
  }
}

void PatternTable::Warm(const Language& language, const std::vector<std::string>& literals) {
  // RE2 builds its DFA lazily, state by state: the first texts matched pay for most of it. Running
  // every pattern at load over prose and over each word the patterns look for builds the common
  // states before classifying. Each word goes alone, as a search stops at its first match.
  static constexpr std::string_view kProse =
      "Hello, this is a test! Why? I don't know... 123 :) Ёлки, это тест. Żółć, to jest test. "
      "Äpfel, das ist ein Test. https://example.com @user #tag\n";
  std::string piece;
  for (const Pattern* p : language.patterns) {
    RE2::PartialMatch(kProse, *p->regex);
    for (const std::string& literal : literals) {
      piece.assign("Well, ").append(literal).append(" it is.");
      RE2::PartialMatch(piece, *p->regex);
    }
  }
  std::vector<int> unused;
  language.unfiltered->Match(kProse, &unused);
}

bool PatternTable::Search(const Language& language, int id, std::string_view text,
                          const std::vector<Window>& windows, std::string_view* match) {
  const RE2& regex = *language.patterns[static_cast<size_t>(id)]->regex;
  re2::StringPiece found;
  auto search = [&](size_t begin, size_t end) {
    if (!regex.Match(text, begin, end, RE2::UNANCHORED, match ? &found : nullptr, match ? 1 : 0))
      return false;
    if (match) *match = std::string_view(found.data(), found.size());
    return true;
  };
  if (!language.anchored[static_cast<size_t>(id)]) return search(0, text.size());
  // Every match lies in one of the pattern's windows, searched with the text as context.
  // Windows that overlap are searched as one, so the first that holds a match holds the
  // leftmost, and RE2 picks there the match it would pick in the whole text.
  auto w = std::lower_bound(windows.begin(), windows.end(), Window{id, 0, 0});
  size_t begin = w->begin, end = w->end;
  for (++w; w != windows.end() && w->pattern == id; ++w) {
    if (w->begin <= end) {
      end = std::max(end, w->end);
      continue;
    }
    if (search(begin, end)) return true;
    begin = w->begin;
    end = w->end;
  }
  return search(begin, end);
}

void PatternTable::SelectFirstMatches(const Language& language, std::string_view text,
                                      const std::vector<Window>& windows,
                                      const std::vector<int>& possible,
                                      const std::vector<uint8_t>& verdicts, std::vector<int>* ids) {
  // A text hits few names: a linear search beats a map.
  struct Name {
    std::string_view name;
    int first = -1;  // the first pattern that matches
    bool vetoed = false;
  };
  thread_local std::vector<Name> names;
  names.clear();
  auto name_of = [&](const Pattern* p) -> Name& {
    for (Name& n : names) {
      if (n.name == p->name) return n;
    }
    return names.emplace_back(Name{p->name});
  };
  auto matches = [&](int id) {
    const Verdict v = static_cast<Verdict>(verdicts[static_cast<size_t>(id)]);
    if (v == kMatches || v == kNoMatch) return v == kMatches;
    return Search(language, id, text, windows, nullptr);
  };
  for (int id : *ids) {
    const Pattern* p = language.patterns[static_cast<size_t>(id)];
    Name& n = name_of(p);
    if (p->veto)
      n.vetoed = true;
    else if (n.first < 0 || id < n.first)
      n.first = id;
  }
  // Only a name's first match counts, and a look-alike only for a name that matched: most
  // possible patterns need no run. `possible` is in id order.
  for (int id : possible) {
    const Pattern* p = language.patterns[static_cast<size_t>(id)];
    if (p->veto) continue;
    Name& n = name_of(p);
    if ((n.first < 0 || n.first > id) && matches(id)) n.first = id;
  }
  for (int id : possible) {
    const Pattern* p = language.patterns[static_cast<size_t>(id)];
    if (!p->veto) continue;
    Name& n = name_of(p);
    if (n.first >= 0 && !n.vetoed && matches(id)) n.vetoed = true;
  }
  ids->clear();
  for (const Name& n : names) {
    if (n.first >= 0 && !n.vetoed) ids->push_back(n.first);
  }
  std::sort(ids->begin(), ids->end());
}

void PatternTable::Match(std::string_view text, const std::string& lang,
                         std::vector<PatternHit>* hits, bool want_spans) const {
  auto it = languages_.find(lang);
  if (it == languages_.end()) it = languages_.find("*");
  if (it == languages_.end() || it->second->patterns.empty()) return;
  const Language& language = *it->second;
  // Reused from text to text: most texts then match without allocating.
  thread_local std::vector<int> found, atoms, candidates, possible, ids;
  thread_local std::vector<LiteralEnd> ends;
  thread_local std::vector<Window> windows;
  thread_local std::vector<uint8_t> verdicts;
  possible.clear();
  windows.clear();
  verdicts.assign(language.patterns.size(), kNoOccurrence);
  language.atoms.Scan(text, &found, &ends);
  // An anchored pattern can match only where one of its literals occurs, and only in the
  // windows around them: those patterns are the possible ones, a superset of those that match.
  for (const LiteralEnd& e : ends) {
    for (const Anchored& a :
         language.anchors[static_cast<size_t>(e.literal - language.first_located)]) {
      if (a.decides != Decides::kNot) {
        const auto id = static_cast<size_t>(a.pattern);
        verdicts[id] = std::max<uint8_t>(
            verdicts[id],
            Decide(language.located[static_cast<size_t>(e.literal - language.first_located)],
                   language.surrounds[id], a.decides, text, e.end));
      }
      windows.push_back({a.pattern, ReachBack(text, e.end, a.before, a.before_runs),
                         ReachForward(text, e.end, a.after, a.after_runs)});
    }
  }
  std::sort(windows.begin(), windows.end());
  for (size_t k = 0; k < windows.size(); ++k) {
    if (k == 0 || windows[k].pattern != windows[k - 1].pattern)
      possible.push_back(windows[k].pattern);
  }
  for (const Stage& stage : language.stages) {
    atoms.clear();
    for (int k : found) {
      if (k >= stage.first_atom && k < stage.first_atom + stage.atom_count)
        atoms.push_back(k - stage.first_atom);
    }
    // Without atoms a filter allows only its unfiltered patterns, which a later stage handles.
    if (atoms.empty()) continue;
    candidates.clear();
    stage.filter->AllPotentials(atoms, &candidates);
    for (int k : candidates) {
      if (!stage.unfiltered[static_cast<size_t>(k)])
        possible.push_back(stage.pattern_ids[static_cast<size_t>(k)]);
    }
  }
  ids.clear();
  if (!language.unfiltered_ids.empty()) {
    language.unfiltered->Match(text, &found);
    for (int k : found)
      ids.push_back(language.unfiltered_ids[static_cast<size_t>(k)]);
  }
  std::sort(possible.begin(), possible.end());
  SelectFirstMatches(language, text, windows, possible, verdicts, &ids);
  for (int id : ids) {
    const Pattern* p = language.patterns[static_cast<size_t>(id)];
    if (!want_spans) {
      hits->push_back({p->name, {0, 0}, p->id});
      continue;
    }
    std::string_view match;
    if (!Search(language, id, text, windows, &match)) continue;
    size_t begin = static_cast<size_t>(match.data() - text.data());
    size_t end = begin + match.size();
    // The boundary prefix may have consumed the character before the word: skip it.
    if (p->boundary_prefix && begin < end) {
      utf8proc_int32_t cp = -1;
      auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + begin),
                                static_cast<utf8proc_ssize_t>(end - begin), &cp);
      const auto category = cp >= 0 ? utf8proc_category(cp) : UTF8PROC_CATEGORY_CN;
      const bool letter = category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO;
      if (!letter && n > 0) begin += static_cast<size_t>(n);
    }
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t'))
      --end;
    hits->push_back({p->name, {begin, end}, p->id});
  }
}

}  // namespace earshot
