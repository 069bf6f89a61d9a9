#include "classifiers/patterns/regex_labeller.h"

#include <re2/re2.h>
#include <re2/set.h>

namespace earshot {
namespace {

constexpr size_t kMaxSpansPerLabel = 20;
constexpr int64_t kMaxRegexMemory = 64 << 20;

RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_case_sensitive(false);  // users expect "Refund" to match refund; (?-i) opts out
  options.set_log_errors(false);
  options.set_max_mem(kMaxRegexMemory);
  options.set_encoding(RE2::Options::EncodingUTF8);
  return options;
}

struct CompiledPattern {
  size_t set_index;
  size_t pattern_index;
  std::unique_ptr<RE2> regex;
};

}  // namespace

struct RegexLabeller::Impl {
  std::vector<std::string> set_names;
  std::vector<CompiledPattern> patterns;  // index = RE2::Set id
  std::unique_ptr<RE2::Set> any;

  void Scan(std::string_view text, const std::string& field, std::vector<Label>* by_set) const {
    if (text.empty()) return;
    std::vector<int> hits;
    if (!any->Match(text, &hits)) return;
    for (int id : hits) {
      const CompiledPattern& p = patterns[static_cast<size_t>(id)];
      Label& label = (*by_set)[p.set_index];
      re2::StringPiece input(text.data(), text.size());
      re2::StringPiece match;
      size_t pos = 0;
      while (label.evidence.size() < kMaxSpansPerLabel && pos <= text.size() &&
             p.regex->Match(input, pos, text.size(), RE2::UNANCHORED, &match, 1)) {
        const size_t begin = static_cast<size_t>(match.data() - text.data());
        const size_t end = begin + match.size();
        label.evidence.push_back(
            {"pattern:" + set_names[p.set_index] + "#" + std::to_string(p.pattern_index),
             {begin, end},
             field,
             0});
        // An empty match must still move on, by one whole UTF-8 character.
        pos = end > begin ? end : end + 1;
        while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80)
          ++pos;
      }
    }
  }
};

RegexLabeller::RegexLabeller(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RegexLabeller::~RegexLabeller() = default;

Status RegexLabeller::CheckPattern(const std::string& pattern) {
  RE2 re(pattern, PatternOptions());
  if (!re.ok()) return Status::InvalidArgument(re.error());
  return Status::Ok();
}

Result<std::unique_ptr<RegexLabeller>> RegexLabeller::Create(const std::vector<PatternSet>& sets) {
  auto impl = std::make_unique<Impl>();
  impl->any = std::make_unique<RE2::Set>(PatternOptions(), RE2::UNANCHORED);
  for (size_t s = 0; s < sets.size(); ++s) {
    const PatternSet& set = sets[s];
    if (set.patterns.empty()) {
      return Status::InvalidArgument("pattern set '" + set.name + "' has no patterns");
    }
    impl->set_names.push_back(set.name);
    for (size_t i = 0; i < set.patterns.size(); ++i) {
      auto regex = std::make_unique<RE2>(set.patterns[i], PatternOptions());
      std::string error;
      if (!regex->ok() || impl->any->Add(set.patterns[i], &error) < 0) {
        return Status::InvalidArgument("pattern set '" + set.name + "' pattern " +
                                       std::to_string(i + 1) + ": " +
                                       (regex->ok() ? error : regex->error()));
      }
      impl->patterns.push_back({s, i, std::move(regex)});
    }
  }
  if (!impl->any->Compile()) {
    return Status::InvalidArgument("the pattern sets are too large to compile together");
  }
  return std::unique_ptr<RegexLabeller>(new RegexLabeller(std::move(impl)));
}

void RegexLabeller::Classify(const Mention& mention, std::vector<Label>* labels) const {
  if (impl_->patterns.empty()) return;
  std::vector<Label> by_set(impl_->set_names.size());
  impl_->Scan(mention.title, "title", &by_set);
  impl_->Scan(mention.text, "", &by_set);
  for (size_t s = 0; s < by_set.size(); ++s) {
    if (by_set[s].evidence.empty()) continue;
    by_set[s].kind = "pattern";
    by_set[s].name = impl_->set_names[s];
    by_set[s].score = 1.0;
    labels->push_back(std::move(by_set[s]));
  }
}

}  // namespace earshot
