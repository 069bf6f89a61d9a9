#include "rules/output_template.h"

#include <cstdio>

#include "core/utf8.h"
#include "rules/condition/compiler.h"

namespace earshot {
namespace {

constexpr size_t kExcerptBytes = 200;

std::string FormatNumber(double v) {
  char buf[32];
  if (v == static_cast<double>(static_cast<int64_t>(v))) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(buf, sizeof buf, "%.2f", v);
  }
  return buf;
}

}  // namespace

std::optional<OutputTemplate::Error> OutputTemplate::Parse(const std::string& text,
                                                           OutputTemplate* out) {
  out->parts_.clear();
  if (text.empty()) {
    out->parts_.push_back({"", nullptr, Special::kRule});
    out->parts_.push_back({": ", nullptr, Special::kNone});
    out->parts_.push_back({"", nullptr, Special::kExcerpt});
    return std::nullopt;
  }
  std::string literal;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      literal += '{';
      ++i;
      continue;
    }
    if (text[i] != '{') {
      literal += text[i];
      continue;
    }
    size_t close = text.find('}', i);
    if (close == std::string::npos) return Error{i, "'{' is not closed; write '{{' for a brace"};
    std::string name = text.substr(i + 1, close - i - 1);
    if (!literal.empty()) out->parts_.push_back({std::move(literal)});
    literal.clear();
    Part part;
    if (name == "rule")
      part.special = Special::kRule;
    else if (name == "priority")
      part.special = Special::kPriority;
    else if (name == "excerpt")
      part.special = Special::kExcerpt;
    else if (const FieldSpec* f = FindField(name); f && !f->takes_window)
      part.field = f;
    else {
      auto names = FieldNames();
      names.insert(names.end(), {"rule", "priority", "excerpt"});
      std::string hint = ClosestName(name, names);
      return Error{i + 1, "unknown placeholder '{" + name + "}'" +
                              (hint.empty() ? "" : " (did you mean '{" + hint + "}'?)")};
    }
    out->parts_.push_back(std::move(part));
    i = close;
  }
  if (!literal.empty()) out->parts_.push_back({std::move(literal)});
  return std::nullopt;
}

std::string OutputTemplate::Render(const MentionFacts& facts, const std::string& rule,
                                   const std::string& priority) const {
  std::string out;
  for (const auto& part : parts_) {
    out += part.literal;
    switch (part.special) {
      case Special::kRule:
        out += rule;
        continue;
      case Special::kPriority:
        out += priority;
        continue;
      case Special::kExcerpt: {
        std::string text = CollapseWhitespace(facts.String(FieldId::kText));
        std::string_view cut = TruncateUtf8(text, kExcerptBytes);
        out += cut;
        if (cut.size() < text.size()) out += "…";
        continue;
      }
      case Special::kNone:
        break;
    }
    if (!part.field) continue;
    switch (part.field->type) {
      case FieldType::kString:
        out += facts.String(part.field->id);
        break;
      case FieldType::kNumber:
        if (auto v = facts.Number(part.field->id, 0)) out += FormatNumber(*v);
        break;
      case FieldType::kLevel: {
        static const char* kNames[] = {"none", "low", "medium", "high", "critical"};
        int level = facts.Level(part.field->id);
        if (level >= 0 && level <= 4) out += kNames[level];
        break;
      }
      case FieldType::kSet: {
        bool first = true;
        for (auto name : facts.Set(part.field->id).names()) {
          if (!first) out += ", ";
          out += name;
          first = false;
        }
        break;
      }
    }
  }
  return out;
}

}  // namespace earshot
