#include "classifiers/intents/pattern_table.h"

#include <re2/filtered_re2.h>
#include <re2/re2.h>
#include <re2/set.h>
#include <utf8proc.h>

#include <algorithm>
#include <set>

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

}  // namespace

struct PatternTable::Pattern {
  std::string lang;
  std::string name;  // without '!'
  bool veto = false;
  bool boundary_prefix = false;
  std::string id;
  std::unique_ptr<RE2> regex;
};

// Atoms shorter than this are too common to filter on; their patterns are always run.
constexpr int kMinAtomLength = 3;

struct PatternTable::Language {
  std::vector<const Pattern*> patterns;  // index = FilteredRE2 id
  std::unique_ptr<re2::FilteredRE2> filter;
  std::unique_ptr<RE2::Set> atoms;  // the literals the filter asks for, any case
  // Patterns with no literal to filter on: matched together in one pass.
  std::vector<int> unfiltered_ids;  // Set index -> pattern id
  std::vector<bool> is_unfiltered;  // by pattern id
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
    language->filter = std::make_unique<re2::FilteredRE2>(kMinAtomLength);
    for (const auto& p : pending_) {
      // Every language also runs the patterns written for all languages.
      if (p->lang != lang && p->lang != "*") continue;
      int id = -1;
      if (language->filter->Add(p->regex->pattern(), TableOptions(), &id) != RE2::NoError) {
        return Status::InvalidArgument(p->id + ": " + p->regex->error());
      }
      language->patterns.push_back(p.get());
    }
    std::vector<std::string> atoms;
    if (!language->patterns.empty()) language->filter->Compile(&atoms);
    language->atoms = std::make_unique<RE2::Set>(TableOptions(), RE2::UNANCHORED);
    for (const auto& atom : atoms) {
      std::string error;
      if (language->atoms->Add(RE2::QuoteMeta(atom), &error) < 0) {
        return Status::InvalidArgument("pattern atom '" + atom + "': " + error);
      }
    }
    if (!language->atoms->Compile()) return Status::InvalidArgument("pattern table too large");
    language->is_unfiltered.assign(language->patterns.size(), false);
    language->unfiltered = std::make_unique<RE2::Set>(TableOptions(), RE2::UNANCHORED);
    if (!language->patterns.empty()) {
      language->filter->AllPotentials({}, &language->unfiltered_ids);
      for (int id : language->unfiltered_ids) {
        language->is_unfiltered[static_cast<size_t>(id)] = true;
        std::string error;
        language->unfiltered->Add(language->patterns[static_cast<size_t>(id)]->regex->pattern(),
                                  &error);
      }
    }
    if (!language->unfiltered->Compile()) return Status::InvalidArgument("pattern table too large");
    languages_[lang] = std::move(language);
  }
  return Status::Ok();
}

void PatternTable::Match(std::string_view text, const std::string& lang,
                         std::vector<PatternHit>* hits, bool want_spans) const {
  auto it = languages_.find(lang);
  if (it == languages_.end()) it = languages_.find("*");
  if (it == languages_.end() || it->second->patterns.empty()) return;
  const Language& language = *it->second;
  std::vector<int> atoms, candidates, ids;
  language.atoms->Match(text, &atoms);
  language.filter->AllPotentials(atoms, &candidates);
  for (int id : candidates) {
    const size_t i = static_cast<size_t>(id);
    if (!language.is_unfiltered[i] && RE2::PartialMatch(text, *language.patterns[i]->regex)) {
      ids.push_back(id);
    }
  }
  std::vector<int> unfiltered_hits;
  language.unfiltered->Match(text, &unfiltered_hits);
  for (int k : unfiltered_hits)
    ids.push_back(language.unfiltered_ids[static_cast<size_t>(k)]);
  if (ids.empty()) return;
  std::sort(ids.begin(), ids.end());
  std::set<std::string_view> vetoed;
  for (int id : ids) {
    const Pattern* p = language.patterns[static_cast<size_t>(id)];
    if (p->veto) vetoed.insert(p->name);
  }
  std::set<std::string_view> named;
  for (int id : ids) {
    const Pattern* p = language.patterns[static_cast<size_t>(id)];
    if (p->veto || vetoed.count(p->name) || named.count(p->name)) continue;
    if (!want_spans) {
      named.insert(p->name);
      hits->push_back({p->name, {0, 0}, p->id});
      continue;
    }
    re2::StringPiece match;
    if (!p->regex->Match(text, 0, text.size(), RE2::UNANCHORED, &match, 1)) continue;
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
    named.insert(p->name);
    hits->push_back({p->name, {begin, end}, p->id});
  }
}

}  // namespace earshot
