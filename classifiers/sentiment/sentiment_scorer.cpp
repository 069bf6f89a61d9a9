#include "classifiers/sentiment/sentiment_scorer.h"

#include <algorithm>
#include <cmath>

#include "classifiers/lexicons/embedded.h"
#include "classifiers/sentiment/word_memo.h"

namespace earshot {
namespace {

constexpr double kCapsEmphasis = 0.733;  // VADER's empirically derived ALL CAPS increment
constexpr double kElongationEmphasis = 0.3;
constexpr double kNegationScale = -0.74;  // "not good" is milder than "bad"
constexpr double kExclamationEmphasis = 0.292;
constexpr double kBeforeContrast = 0.5;
constexpr double kAfterContrast = 1.5;
constexpr double kConceded = 0.5;       // "although it was cheap, ..." grants what it opens
constexpr double kNormalisation = 15;   // score / sqrt(score^2 + 15) keeps it in (-1, 1)
constexpr double kRatingWeight = 0.65;  // stars say more than words about a review
constexpr int kModifierWindow = 3;
constexpr double kLinkedMild = 1.5;   // below this, an English text sharing a link is neutral
constexpr double kExcess = -1.5;      // "too" before a word of no feeling: "too long"
constexpr size_t kMemoLookAhead = 2;  // tokens

const char* const kLanguages[] = {"en", "ru", "pl", "de"};

// Words that show a "too" before them is not about them: "me too and you", "too in the end".
bool FunctionWord(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "a",    "about", "after",  "also", "am",   "an",    "and",   "are",  "as",    "at",
      "be",   "been",  "before", "but",  "by",   "for",   "from",  "he",   "her",   "him",
      "his",  "i",     "if",     "in",   "into", "is",    "it",    "its",  "just",  "me",
      "my",   "of",    "on",     "or",   "our",  "out",   "over",  "she",  "so",    "than",
      "that", "the",   "their",  "them", "then", "these", "they",  "this", "those", "to",
      "up",   "us",    "was",    "we",   "were", "when",  "while", "with", "you",   "your"};
  for (std::string_view f : kWords)
    if (w == f) return true;
  return false;
}

// Whether a token is this short literal, compared inline: this runs for every token, and a
// string_view comparison calls memcmp whenever the lengths agree.
template <size_t N>
bool Is(std::string_view s, const char (&literal)[N]) {
  if (s.size() != N - 1) return false;
  for (size_t k = 0; k + 1 < N; ++k) {
    if (s[k] != literal[k]) return false;
  }
  return true;
}

// "too" strengthens what follows as "very" does, besides its own complaint of excess.
bool IsBooster(const LexiconEntry& e) {
  return e.kind == LexiconKind::kBooster || e.kind == LexiconKind::kExcess;
}

double Sign(double v) {
  return v < 0 ? -1.0 : 1.0;
}

bool IsLexical(const Token& t) {
  return t.kind == Token::Kind::kWord || t.kind == Token::Kind::kEmoji ||
         t.kind == Token::Kind::kEmoticon;
}

// Runs of ")" and "(" are smileys in Russian-speaking writing: ")))" is a grin.
double ParenthesisValence(const Token& t, const std::string& lang, bool saw_open_paren) {
  if (t.kind != Token::Kind::kPunct || t.folded.empty()) return 0;
  const char c = t.folded[0];
  if (c != ')' && c != '(') return 0;
  for (char ch : t.folded) {
    if (ch != c) return 0;
  }
  const int n = static_cast<int>(std::min<size_t>(t.folded.size(), 3));
  if (n < 2 && !(lang == "ru" && c == ')' && !saw_open_paren)) return 0;
  return (c == ')' ? 0.9 : -1.0) * (1 + 0.3 * (n - 1));
}

// An English word that is not in the lexicon as written: an inflection of an entry ("worries",
// "sadness", "horribly", "cruelest"), or an entry with a negating prefix ("unhelpful",
// "disloyal"), which sets *scale to flip and dampen it as "not" would.
const LexiconEntry* FindEnglishForm(const Lexicon& lexicon, std::string_view word, double* scale,
                                    bool prefixes = true) {
  auto polar = [&](std::string_view base) -> const LexiconEntry* {
    if (base.size() < 3) return nullptr;
    const LexiconEntry* e = lexicon.Find(base);
    return e && e->kind == LexiconKind::kPolarity ? e : nullptr;
  };
  auto ends = [&](std::string_view suffix) {
    return word.size() >= suffix.size() + 3 && word.substr(word.size() - suffix.size()) == suffix;
  };
  // Most words are looked up in several respellings: one buffer per thread spares allocating.
  thread_local std::string respelt;
  auto with = [&](size_t cut, std::string_view add) -> std::string_view {
    if (add.empty()) return word.substr(0, word.size() - cut);
    respelt.assign(word.substr(0, word.size() - cut)).append(add);
    return respelt;
  };
  // Suffixes whose base is spelled the same or with a final "e" or a doubled consonant
  // ("hoping" -> "hope", "winning" -> "win").
  auto plain = [&](size_t cut) -> const LexiconEntry* {
    const std::string_view base = with(cut, "");
    if (const LexiconEntry* e = polar(base)) return e;
    if (const LexiconEntry* e = polar(with(cut, "e"))) return e;
    if (base.size() >= 4 && base.back() == base[base.size() - 2])
      return polar(base.substr(0, base.size() - 1));
    return nullptr;
  };
  if (word.size() >= 5) {
    static constexpr std::pair<std::string_view, std::string_view> kRespell[] = {
        {"ies", "y"},   {"ied", "y"},     {"ier", "y"},     {"iest", "y"},   {"ily", "y"},
        {"iness", "y"}, {"ably", "able"}, {"ibly", "ible"}, {"ically", "ic"}};
    for (const auto& [suffix, add] : kRespell) {
      if (!ends(suffix)) continue;
      if (const LexiconEntry* e = polar(with(suffix.size(), add))) return e;
    }
    if (ends("s") && !ends("ss") && !ends("us") && !ends("is")) {
      if (const LexiconEntry* e = polar(with(1, ""))) return e;
      if (ends("es")) {
        if (const LexiconEntry* e = polar(with(2, ""))) return e;
      }
    }
    if (ends("ly")) {
      if (const LexiconEntry* e = polar(with(2, ""))) return e;
    }
    if (ends("ness")) {
      if (const LexiconEntry* e = polar(with(4, ""))) return e;
    }
    for (std::string_view suffix : {"ed", "ing", "est"}) {
      if (!ends(suffix)) continue;
      if (const LexiconEntry* e = plain(suffix.size())) return e;
    }
  }
  if (!prefixes) return nullptr;
  for (std::string_view prefix : {"un", "dis", "in", "im"}) {
    if (word.size() < prefix.size() + 4 || word.substr(0, prefix.size()) != prefix) continue;
    const std::string_view rest = word.substr(prefix.size());
    double unused = 1;
    const LexiconEntry* e = polar(rest);
    if (!e) e = FindEnglishForm(lexicon, rest, &unused, false);
    if (e && e->weight != 0) {
      *scale = kNegationScale;
      return e;
    }
  }
  return nullptr;
}

}  // namespace

Result<SentimentScorer> SentimentScorer::Create(const std::map<std::string, std::string>& extra) {
  SentimentScorer scorer;
  for (const char* lang : kLanguages) {
    const std::string name = std::string(lang) + ".tsv";
    Lexicon& lexicon = scorer.lexicons_[lang];
    if (Status s = lexicon.Load(EmbeddedData("common.tsv"), "common.tsv"); !s.ok()) return s;
    if (Status s = lexicon.Load(EmbeddedData(name), name); !s.ok()) return s;
  }
  for (const auto& [lang, text] : extra) {
    if (Status s = scorer.lexicons_[lang].Load(text, "lexicon for " + lang); !s.ok()) return s;
  }
  return scorer;
}

SentimentResult SentimentScorer::Score(const std::vector<Token>& tokens, const std::string& lang,
                                       std::optional<double> rating, bool want_evidence) const {
  SentimentResult result;
  auto found = lexicons_.find(lang);
  const Lexicon* lexicon = found == lexicons_.end() ? nullptr : &found->second;

  int words = 0, caps_words = 0, capitalised_words = 0, exclamations = 0;
  for (const auto& t : tokens) {
    if (t.kind == Token::Kind::kWord) {
      ++words;
      caps_words += t.all_caps;
      capitalised_words += t.capitalised;
    }
    exclamations += t.exclamations;
  }
  // When everything is shouted, nothing in particular is.
  const bool caps_mean_emphasis = caps_words * 2 < words;
  // Nor do capitals mark names in a text written In Title Case, unless it is a linked headline.
  const bool title_case = capitalised_words * 4 >= words * 3;

  // Reused from text to text, so most texts are scored without allocating.
  thread_local std::vector<double> valence;
  thread_local std::vector<const LexiconEntry*> entries;
  thread_local std::vector<double> form_scale;
  thread_local std::vector<size_t> phrase_end;  // last token of a phrase starting here
  thread_local std::vector<char> addressed;     // part of a handle or link
  valence.assign(tokens.size(), 0);
  addressed.assign(tokens.size(), false);
  entries.assign(tokens.size(), nullptr);
  form_scale.assign(tokens.size(), 1.0);
  phrase_end.assign(tokens.size(), 0);
  const bool english = lang == "en";
  bool shares_link = false;
  if (lexicon) {
    thread_local std::string phrase;
    thread_local WordMemo memo;
    // Out of line: the memo's lookup is inlined into the loop below, its rare misses are not.
    auto resolve = [&](std::string_view word) __attribute__((noinline)) {
      WordSense sense;
      sense.phrase_words = lexicon->PhraseWords(word);
      sense.entry = lexicon->Find(word);
      double scale = 1;
      if (!sense.entry && english) sense.entry = FindEnglishForm(*lexicon, word, &scale);
      sense.negated = scale != 1;
      return sense;
    };
    size_t address_end = 0;  // a handle or link's words are names, not the writer's words
    for (size_t i = 0; i < tokens.size(); ++i) {
      // The memo's line for a word two tokens on starts loading now: each lookup is a cache miss
      // in a table the text's own bytes keep evicting, and this overlaps them with the work.
      if (i + kMemoLookAhead < tokens.size())
        memo.Prefetch(lexicon->serial(), tokens[i + kMemoLookAhead].folded);
      const bool number = tokens[i].kind == Token::Kind::kNumber;
      // "@happyflyer", and a link's words up to the next space.
      if (i > 0 && tokens[i].span.begin == tokens[i - 1].span.end &&
          (Is(tokens[i - 1].folded, "@") || i == address_end))
        address_end = i + 1;
      if (Is(tokens[i].folded, "http") || Is(tokens[i].folded, "https") ||
          Is(tokens[i].folded, "www")) {
        address_end = i + 1;
        shares_link = true;
      }
      if (i < address_end) {
        addressed[i] = true;
        continue;
      }
      if (!IsLexical(tokens[i]) && !number) continue;
      // Elongated words are rare and resolved through their variants.
      std::optional<WordSense> sense;
      if (!tokens[i].elongated) sense = memo.Get(lexicon->serial(), tokens[i].folded, resolve);
      const LexiconEntry* e = nullptr;
      if (size_t most = sense ? sense->phrase_words : lexicon->PhraseWords(tokens[i].folded);
          most > 1) {
        // The longest phrase wins, and its later words are part of it, not words of their own.
        phrase = tokens[i].folded;
        size_t last = i;
        for (size_t words = 1; words < most; ++words) {
          size_t next = last + 1;
          if (next + 1 < tokens.size() && tokens[next].kind == Token::Kind::kPunct &&
              Is(tokens[next].folded, "-"))
            ++next;  // "top-notch", "must-see"
          if (next >= tokens.size() || (tokens[next].kind != Token::Kind::kWord &&
                                        tokens[next].kind != Token::Kind::kNumber))
            break;
          phrase.append(" ").append(tokens[next].folded);
          last = next;
          if (const LexiconEntry* p = lexicon->FindPhrase(phrase)) {
            e = p;
            phrase_end[i] = last;
          }
        }
      }
      if (e) {
        entries[i] = e;
        i = phrase_end[i];
        continue;
      }
      if (number) continue;
      if (sense) {
        entries[i] = sense->entry;
        if (sense->negated) form_scale[i] = kNegationScale;
        continue;
      }
      e = lexicon->Find(tokens[i].folded);
      if (!e && tokens[i].elongated) {
        for (const auto& variant : ElongationVariants(tokens[i].folded)) {
          if ((e = lexicon->Find(variant))) break;
        }
      }
      if (!e && english) e = FindEnglishForm(*lexicon, tokens[i].folded, &form_scale[i]);
      entries[i] = e;
    }
  }

  size_t contrast_at = tokens.size();
  thread_local std::vector<char> conceded;
  conceded.assign(tokens.size(), false);
  // English words in a sentence that ends with '?': a question asks rather than praises.
  thread_local std::vector<char> asked;
  asked.assign(tokens.size(), false);
  if (english) {
    bool question = false;
    for (size_t i = tokens.size(); i-- > 0;) {
      const Token& t = tokens[i];
      if (t.kind == Token::Kind::kPunct && !addressed[i]) {
        if (t.questions > 0)
          question = true;
        else if (t.exclamations > 0 || t.folded.find('.') != std::string_view::npos ||
                 t.folded.empty())
          question = false;  // a sentence end ('.', '!', a line break) without '?'
      }
      asked[i] = question;
    }
  }
  thread_local std::vector<size_t> polar;  // the tokens given a valence, in order
  polar.clear();
  bool saw_open_paren = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind == Token::Kind::kPunct) {
      if (double p = ParenthesisValence(t, lang, saw_open_paren); p != 0) {
        valence[i] = p;
        polar.push_back(i);
        if (want_evidence)
          result.evidence.push_back({"emoticon:" + std::string(t.folded), t.span, "", p});
        continue;
      }
      if (t.folded.find('(') != std::string::npos) saw_open_paren = true;
      continue;  // punctuation has no lexicon entry
    }
    const LexiconEntry* e = entries[i];
    if (!e) continue;
    if (e->kind == LexiconKind::kContrast) {
      // "yet" turns a clause only where one starts ("small, yet powerful"); elsewhere it means
      // "so far" ("not yet", "the best yet").
      if (e->term == "yet" && i > 0 && !tokens[i - 1].clause_break &&
          !Is(tokens[i - 1].folded, "and"))
        continue;
      contrast_at = i;
      continue;
    }
    if (e->kind == LexiconKind::kConcession) {
      for (size_t j = std::max(i, phrase_end[i]) + 1; j < tokens.size() && !tokens[j].clause_break;
           ++j)
        conceded[j] = true;
      if (want_evidence) result.evidence.push_back({"rule:concession", t.span, "", 0});
      continue;
    }
    // "too" before a word of no feeling says there is too much of it: "too long", "too much
    // noise"; not "all too familiar" (very), nor "me too, and" (also).
    if (e->kind == LexiconKind::kExcess && !(i > 0 && Is(tokens[i - 1].folded, "all"))) {
      const size_t j = std::max(i, phrase_end[i]) + 1;
      const LexiconEntry* next = j < tokens.size() ? entries[j] : nullptr;
      if (j < tokens.size() && tokens[j].kind == Token::Kind::kWord &&
          !FunctionWord(tokens[j].folded) &&
          (!next || IsBooster(*next) ||
           (next->kind == LexiconKind::kPolarity && next->weight == 0))) {
        const bool negated = i > 0 && !tokens[i - 1].clause_break && entries[i - 1] &&
                             entries[i - 1]->kind == LexiconKind::kNegator;
        valence[j] = negated ? kExcess * kNegationScale : kExcess;
        polar.push_back(j);
        if (want_evidence) result.evidence.push_back({"rule:excess", t.span, "", valence[j]});
      }
      continue;
    }
    const bool expected = e->kind == LexiconKind::kExpected;
    if ((e->kind != LexiconKind::kPolarity && !expected) || e->weight == 0) continue;
    double v = e->weight * form_scale[i];
    if (t.all_caps && caps_mean_emphasis) v += Sign(v) * kCapsEmphasis;
    if (t.elongated) v += Sign(v) * kElongationEmphasis;

    // Modifiers before the word, within its clause.
    const Token* negator = nullptr;
    int seen = 0;
    for (size_t j = i; j-- > 0 && seen < kModifierWindow;) {
      if (tokens[j].clause_break) break;
      if (!IsLexical(tokens[j])) continue;
      ++seen;
      const LexiconEntry* m = entries[j];
      if (!m) continue;
      if (IsBooster(*m)) v += Sign(v) * m->weight * (1.0 - 0.05 * (seen - 1));
      if (m->kind == LexiconKind::kNegator && !negator) negator = &tokens[j];
      if (m->kind == LexiconKind::kPolarity && m->weight * e->weight < 0) break;
    }
    // German puts "nicht" after the verb it negates: "Das gefällt mir nicht".
    if (!negator && lang == "de") {
      seen = 0;
      for (size_t j = i + 1; j < tokens.size() && seen < kModifierWindow; ++j) {
        if (tokens[j].clause_break) break;
        if (!IsLexical(tokens[j])) continue;
        ++seen;
        if (entries[j] && entries[j]->kind == LexiconKind::kNegator) {
          negator = &tokens[j];
          break;
        }
        if (entries[j] && entries[j]->kind == LexiconKind::kPolarity) break;
      }
    }
    if (expected) {
      // Working is no news; not working is.
      if (!negator) continue;
      v = -v;
      if (want_evidence) result.evidence.push_back({"rule:negation", negator->span, "", 0});
    } else if (negator) {
      v *= kNegationScale;
      if (want_evidence) result.evidence.push_back({"rule:negation", negator->span, "", 0});
    }
    if (english && v > 0) {
      // Praise in a question ("what's your favourite?") or in a capitalised word inside a
      // sentence, which names something ("Best Buy", "Love Field"), is not the writer's; a
      // phrase of the lexicon ("Happy Birthday") is.
      const bool named = t.capitalised && (!title_case || shares_link) && phrase_end[i] == 0 &&
                         i > 0 && !addressed[i - 1] &&
                         (tokens[i - 1].kind == Token::Kind::kWord ||
                          tokens[i - 1].kind == Token::Kind::kNumber) &&
                         !(i > 1 && Is(tokens[i - 2].folded, "#"));
      if (asked[i] || named) {
        if (want_evidence)
          result.evidence.push_back({asked[i] ? "rule:question" : "rule:name", t.span, "", 0});
        continue;
      }
    }
    valence[i] = v;
    polar.push_back(i);
    if (want_evidence) {
      const Span span{t.span.begin, tokens[std::max(i, phrase_end[i])].span.end};
      result.evidence.push_back({"lexicon:" + lang + ":" + e->term, span, "", v});
    }
  }

  // In text order and once each, as a sum over every token would add them ("too" gives the word
  // after it a valence).
  std::sort(polar.begin(), polar.end());
  polar.erase(std::unique(polar.begin(), polar.end()), polar.end());
  double sum = 0;
  for (size_t i : polar) {
    double v = valence[i];
    if (conceded[i]) v *= kConceded;
    if (contrast_at < tokens.size() && v != 0)
      v *= i < contrast_at ? kBeforeContrast : kAfterContrast;
    sum += v;
  }
  if (want_evidence && contrast_at < tokens.size() && sum != 0) {
    result.evidence.push_back({"rule:contrast", tokens[contrast_at].span, "", 0});
  }
  if (sum != 0 && exclamations > 0) {
    sum += Sign(sum) * kExclamationEmphasis * std::min(exclamations, 4);
  }
  // Text beside a link is mostly the linked page's title: a mildly loaded word there ("Simple
  // Banana Muffins", "The Decline of ...") describes it rather than judges.
  if (english && shares_link && std::abs(sum) < kLinkedMild) {
    if (want_evidence && sum != 0) result.evidence.push_back({"rule:link", {0, 0}, "", 0});
    sum = 0;
  }
  double score = sum / std::sqrt(sum * sum + kNormalisation);
  if (rating) {
    const double stars = (std::clamp(*rating, 1.0, 5.0) - 3.0) / 2.0;
    score = (1 - kRatingWeight) * score + kRatingWeight * stars;
    result.evidence.push_back(
        {"rating:" + std::to_string(static_cast<int>(*rating)), {0, 0}, "", stars});
  }
  result.score = std::clamp(score, -1.0, 1.0);
  result.label = result.score >= thresholds_.positive   ? "positive"
                 : result.score <= thresholds_.negative ? "negative"
                                                        : "neutral";
  return result;
}

}  // namespace earshot
