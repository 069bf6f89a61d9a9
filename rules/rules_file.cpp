#include "rules/rules_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "core/time.h"
#include "core/utf8.h"
#include "rules/condition/compiler.h"

namespace earshot {
namespace {

class FileReader {
 public:
  FileReader(const std::string& raw, std::string file, RuleSetSource* into, RuleDiagnostics* diag)
      : raw_(raw), file_(std::move(file)), into_(into), diag_(diag) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < raw_.size(); ++i)
      if (raw_[i] == '\n') line_starts_.push_back(i + 1);
    auto& lines = into_->file_lines[file_];
    lines.clear();
    std::istringstream in(raw_);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(line);
    }
  }

  void Read() {
    if (!IsValidUtf8(raw_)) {
      Error(1, 1, "", RuleErrorCode::kYamlSyntax, "the file is not valid UTF-8");
      return;
    }
    YAML::Node root;
    try {
      root = YAML::Load(raw_);
    } catch (const YAML::Exception& e) {
      Error(e.mark.line + 1, e.mark.column + 1, "", RuleErrorCode::kYamlSyntax, e.msg);
      return;
    }
    if (root.IsNull()) return;
    if (!root.IsSequence()) {
      ErrorAt(root, "", RuleErrorCode::kBadEntry,
              "a rules file is a list of entries (- list:, - macro:, - rule:)");
      return;
    }
    for (const auto& entry : root)
      ReadEntry(entry);
  }

 private:
  std::pair<int, int> LineColumn(size_t offset) const {
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    size_t line = static_cast<size_t>(it - line_starts_.begin());
    return {static_cast<int>(line), static_cast<int>(offset - line_starts_[line - 1] + 1)};
  }

  void Error(int line, int column, const std::string& entry, RuleErrorCode code,
             std::string message) {
    RuleError e;
    e.file = file_;
    e.line = line;
    e.column = column;
    e.entry = entry;
    e.code = code;
    e.message = std::move(message);
    const auto& lines = into_->file_lines[file_];
    if (line > 0 && static_cast<size_t>(line) <= lines.size()) e.source_line = lines[line - 1];
    diag_->Add(std::move(e));
  }

  void ErrorAt(const YAML::Node& node, const std::string& entry, RuleErrorCode code,
               std::string message) {
    Error(node.Mark().line + 1, node.Mark().column + 1, entry, code, std::move(message));
  }

  // Maps each byte of a scalar's value back into the file: non-blank characters are matched in
  // order, so plain, quoted, literal (|) and folded (>) scalars all land on the right column.
  SourceText Text(const YAML::Node& node) {
    SourceText out;
    out.file = file_;
    out.text = node.as<std::string>();
    size_t i = static_cast<size_t>(std::max(0, node.Mark().pos));
    if (i < raw_.size() && (raw_[i] == '|' || raw_[i] == '>')) {
      while (i < raw_.size() && raw_[i] != '\n')
        ++i;
    } else if (i < raw_.size() && (raw_[i] == '"' || raw_[i] == '\'')) {
      ++i;
    }
    out.positions.reserve(out.text.size() + 1);
    for (char c : out.text) {
      if (!std::isspace(static_cast<unsigned char>(c))) {
        size_t limit = std::min(raw_.size(), i + 8);
        size_t j = i;
        while (j < limit && raw_[j] != c)
          ++j;
        if (j < limit) i = j;
      }
      auto [line, col] = LineColumn(std::min(i, raw_.size()));
      out.positions.push_back({line, col});
      if (!std::isspace(static_cast<unsigned char>(c)) && i < raw_.size() && raw_[i] == c) ++i;
    }
    out.positions.push_back(LineColumn(std::min(i, raw_.size())));
    return out;
  }

  bool CheckKeys(const YAML::Node& entry, const std::string& name,
                 const std::vector<std::string_view>& allowed) {
    bool ok = true;
    for (const auto& kv : entry) {
      std::string key = kv.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string hint = ClosestName(key, allowed);
      ErrorAt(
          kv.first, name, RuleErrorCode::kBadEntry,
          "unknown key '" + key + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      ok = false;
    }
    return ok;
  }

  bool Bool(const YAML::Node& node, const std::string& entry, bool* out) {
    try {
      *out = node.as<bool>();
      return true;
    } catch (const YAML::Exception&) {
      ErrorAt(node, entry, RuleErrorCode::kBadEntry, "expected true or false");
      return false;
    }
  }

  bool Scalar(const YAML::Node& node, const std::string& entry, const std::string& what,
              std::string* out) {
    if (!node.IsScalar()) {
      ErrorAt(node, entry, RuleErrorCode::kBadEntry, what + " must be a single value");
      return false;
    }
    *out = node.Scalar();
    return true;
  }

  bool Duration(const YAML::Node& node, const std::string& entry, int64_t* out) {
    auto ms = node.IsScalar() ? ParseDurationMillis(node.Scalar()) : std::nullopt;
    if (!ms || *ms < 0) {
      ErrorAt(node, entry, RuleErrorCode::kBadDuration,
              "expected a duration such as 30s, 5m, 4h or 7d");
      return false;
    }
    *out = *ms;
    return true;
  }

  void ReadEntry(const YAML::Node& entry) {
    if (!entry.IsMap()) {
      ErrorAt(entry, "", RuleErrorCode::kBadEntry, "expected an entry: list:, macro: or rule:");
      return;
    }
    for (const char* kind : {"list", "macro", "rule"}) {
      if (!entry[kind]) continue;
      std::string name;
      if (!Scalar(entry[kind], "", std::string(kind) + " name", &name)) return;
      if (name.empty()) {
        ErrorAt(entry[kind], "", RuleErrorCode::kBadEntry, std::string(kind) + " needs a name");
        return;
      }
      std::string label = std::string(kind) + " '" + name + "'";
      if (std::string_view(kind) == "list") return ReadList(entry, name, label);
      if (std::string_view(kind) == "macro") return ReadMacro(entry, name, label);
      return ReadRule(entry, name, label);
    }
    ErrorAt(entry, "", RuleErrorCode::kBadEntry, "expected an entry: list:, macro: or rule:");
  }

  bool Append(const YAML::Node& entry, const std::string& label) {
    bool append = false;
    if (entry["append"]) Bool(entry["append"], label, &append);
    return append;
  }

  void ReadList(const YAML::Node& entry, const std::string& name, const std::string& label) {
    CheckKeys(entry, label, {"list", "items", "append"});
    ListDef def{name, {}, file_, entry.Mark().line + 1, entry.Mark().column + 1};
    const YAML::Node items = entry["items"];
    if (!items || !items.IsSequence()) {
      ErrorAt(items ? items : entry, label, RuleErrorCode::kBadEntry,
              "a list needs items: [a, b, ...]");
      return;
    }
    for (const auto& item : items) {
      std::string value;
      if (Scalar(item, label, "a list item", &value)) def.items.push_back(value);
    }
    auto it = std::find_if(into_->lists.begin(), into_->lists.end(),
                           [&](const ListDef& l) { return l.name == name; });
    if (it == into_->lists.end()) {
      into_->lists.push_back(std::move(def));
    } else if (Append(entry, label)) {
      it->items.insert(it->items.end(), def.items.begin(), def.items.end());
    } else {
      *it = std::move(def);
    }
  }

  bool Condition(const YAML::Node& entry, const std::string& label, SourceText* out) {
    const YAML::Node node = entry["condition"];
    if (!node) {
      ErrorAt(entry, label, RuleErrorCode::kBadEntry, "missing condition:");
      return false;
    }
    if (!node.IsScalar()) {
      ErrorAt(node, label, RuleErrorCode::kBadEntry, "condition must be text");
      return false;
    }
    *out = Text(node);
    return true;
  }

  void ReadMacro(const YAML::Node& entry, const std::string& name, const std::string& label) {
    CheckKeys(entry, label, {"macro", "condition", "append"});
    SourceText condition;
    if (!Condition(entry, label, &condition)) return;
    auto it = std::find_if(into_->macros.begin(), into_->macros.end(),
                           [&](const MacroDef& m) { return m.name == name; });
    if (it != into_->macros.end() && Append(entry, label)) {
      it->conditions.push_back(std::move(condition));
      return;
    }
    MacroDef def{
        name, {std::move(condition)}, file_, entry.Mark().line + 1, entry.Mark().column + 1};
    if (it == into_->macros.end()) {
      into_->macros.push_back(std::move(def));
    } else {
      *it = std::move(def);
    }
  }

  void ReadRule(const YAML::Node& entry, const std::string& name, const std::string& label) {
    CheckKeys(entry, label,
              {"rule", "desc", "condition", "priority", "output", "actions", "enabled", "append"});
    auto it = std::find_if(into_->rules.begin(), into_->rules.end(),
                           [&](const RuleDef& r) { return r.name == name; });
    bool append = Append(entry, label);
    bool only_toggle = entry["enabled"] && !entry["condition"] && !entry["actions"] &&
                       !entry["output"] && !entry["priority"];
    if (it != into_->rules.end() && (append || only_toggle)) {
      ReadRuleFields(entry, label, /*require_condition=*/false, &*it);
      return;
    }
    if (only_toggle) {
      ErrorAt(entry, label, RuleErrorCode::kBadEntry,
              "no earlier rule of this name to enable or disable");
      return;
    }
    RuleDef def;
    def.name = name;
    def.file = file_;
    def.line = entry.Mark().line + 1;
    def.column = entry.Mark().column + 1;
    if (!ReadRuleFields(entry, label, /*require_condition=*/true, &def)) return;
    if (it == into_->rules.end()) {
      into_->rules.push_back(std::move(def));
    } else {
      *it = std::move(def);
    }
  }

  bool ReadRuleFields(const YAML::Node& entry, const std::string& label, bool require_condition,
                      RuleDef* def) {
    bool ok = true;
    if (entry["condition"] || require_condition) {
      SourceText condition;
      if (!Condition(entry, label, &condition)) return false;
      def->conditions.push_back(std::move(condition));
    }
    if (entry["desc"]) ok &= Scalar(entry["desc"], label, "desc", &def->description);
    if (entry["priority"]) {
      std::string p;
      auto parsed =
          Scalar(entry["priority"], label, "priority", &p) ? ParsePriority(p) : std::nullopt;
      if (!parsed) {
        ErrorAt(entry["priority"], label, RuleErrorCode::kBadEntry,
                "priority is critical, high, medium or low");
        ok = false;
      } else {
        def->priority = *parsed;
      }
    }
    if (entry["output"]) {
      if (entry["output"].IsScalar()) {
        def->output = Text(entry["output"]);
      } else {
        ErrorAt(entry["output"], label, RuleErrorCode::kBadEntry, "output must be text");
        ok = false;
      }
    }
    if (entry["enabled"]) ok &= Bool(entry["enabled"], label, &def->enabled);
    if (entry["actions"]) {
      RuleActions actions;
      if (ReadActions(entry["actions"], label, &actions)) {
        def->actions = std::move(actions);
      } else {
        ok = false;
      }
    }
    return ok;
  }

  bool ReadActions(const YAML::Node& node, const std::string& label, RuleActions* out) {
    if (!node.IsSequence()) {
      ErrorAt(node, label, RuleErrorCode::kBadAction,
              "actions is a list, e.g. [flag, {tag: churn}, {alert: team}, {case: {sla: 30m}}]");
      return false;
    }
    bool ok = true;
    for (const auto& action : node) {
      if (action.IsScalar()) {
        const std::string& word = action.Scalar();
        if (word == "flag")
          out->flag = true;
        else if (word == "drop")
          out->drop = true;
        else if (word == "case")
          out->open_case = CaseAction{};
        else {
          std::string hint = ClosestName(word, {"flag", "drop", "case", "tag", "alert"});
          ErrorAt(action, label, RuleErrorCode::kBadAction,
                  "unknown action '" + word + "'" +
                      (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
          ok = false;
        }
        continue;
      }
      if (!action.IsMap() || action.size() != 1) {
        ErrorAt(action, label, RuleErrorCode::kBadAction,
                "an action is a word (flag, drop, case) or one key (tag:, alert:, case:)");
        ok = false;
        continue;
      }
      auto kv = *action.begin();
      std::string key = kv.first.Scalar();
      if (key == "tag")
        ok &= ReadTags(kv.second, label, out);
      else if (key == "alert")
        ok &= ReadAlert(kv.second, label, out);
      else if (key == "case")
        ok &= ReadCase(kv.second, label, out);
      else if (key == "flag" || key == "drop") {
        (key == "flag" ? out->flag : out->drop) = true;
      } else {
        std::string hint = ClosestName(key, {"flag", "drop", "case", "tag", "alert"});
        ErrorAt(kv.first, label, RuleErrorCode::kBadAction,
                "unknown action '" + key + "'" +
                    (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
        ok = false;
      }
    }
    return ok;
  }

  bool ReadTags(const YAML::Node& node, const std::string& label, RuleActions* out) {
    if (node.IsScalar()) {
      out->tags.push_back(node.Scalar());
      return true;
    }
    if (!node.IsSequence()) {
      ErrorAt(node, label, RuleErrorCode::kBadAction, "tag: takes a name or a list of names");
      return false;
    }
    bool ok = true;
    for (const auto& t : node) {
      std::string tag;
      if (Scalar(t, label, "a tag", &tag))
        out->tags.push_back(tag);
      else
        ok = false;
    }
    return ok;
  }

  bool ReadAlert(const YAML::Node& node, const std::string& label, RuleActions* out) {
    AlertAction alert;
    if (node.IsScalar()) {
      alert.channel = node.Scalar();
      out->alerts.push_back(std::move(alert));
      return true;
    }
    if (!node.IsMap()) {
      ErrorAt(node, label, RuleErrorCode::kBadAction, "alert: takes a channel name or a map");
      return false;
    }
    bool ok = CheckKeys(
        node, label,
        {"channel", "group_by", "group_wait", "group_interval", "repeat_interval", "digest"});
    if (!node["channel"] || !node["channel"].IsScalar()) {
      ErrorAt(node, label, RuleErrorCode::kBadAction, "alert: needs channel:");
      return false;
    }
    alert.channel = node["channel"].Scalar();
    if (node["group_by"]) {
      alert.group_by.clear();
      static const std::vector<std::string_view> kKeys = {"rule",   "source",   "platform",
                                                          "author", "priority", "topic"};
      for (const auto& g : node["group_by"]) {
        std::string key = g.IsScalar() ? g.Scalar() : "";
        if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
          ErrorAt(g, label, RuleErrorCode::kBadAction,
                  "group_by takes rule, source, platform, author, priority or topic");
          ok = false;
          continue;
        }
        alert.group_by.push_back(key);
      }
    }
    if (node["group_wait"]) ok &= Duration(node["group_wait"], label, &alert.group_wait_ms);
    if (node["group_interval"])
      ok &= Duration(node["group_interval"], label, &alert.group_interval_ms);
    if (node["repeat_interval"])
      ok &= Duration(node["repeat_interval"], label, &alert.repeat_interval_ms);
    if (node["digest"]) ok &= Duration(node["digest"], label, &alert.digest_ms);
    out->alerts.push_back(std::move(alert));
    return ok;
  }

  bool ReadCase(const YAML::Node& node, const std::string& label, RuleActions* out) {
    CaseAction c;
    if (node.IsNull()) {
      out->open_case = c;
      return true;
    }
    if (!node.IsMap()) {
      ErrorAt(node, label, RuleErrorCode::kBadAction,
              "case: takes a map (queue:, priority:, sla:, skills:)");
      return false;
    }
    bool ok = CheckKeys(node, label, {"queue", "priority", "sla", "skills"});
    if (node["queue"]) ok &= Scalar(node["queue"], label, "queue", &c.queue);
    if (node["priority"]) {
      auto p =
          node["priority"].IsScalar() ? ParsePriority(node["priority"].Scalar()) : std::nullopt;
      if (!p) {
        ErrorAt(node["priority"], label, RuleErrorCode::kBadAction,
                "priority is critical, high, medium or low");
        ok = false;
      }
      c.priority = p;
    }
    if (node["sla"]) ok &= Duration(node["sla"], label, &c.sla_ms);
    if (node["skills"]) {
      for (const auto& s : node["skills"]) {
        std::string skill;
        if (Scalar(s, label, "a skill", &skill)) c.skills.push_back(skill);
      }
    }
    out->open_case = std::move(c);
    return ok;
  }

  const std::string& raw_;
  std::string file_;
  RuleSetSource* into_;
  RuleDiagnostics* diag_;
  std::vector<size_t> line_starts_;
};

}  // namespace

void LoadRulesText(const std::string& yaml, const std::string& file_name, RuleSetSource* into,
                   RuleDiagnostics* diagnostics) {
  FileReader(yaml, file_name, into, diagnostics).Read();
}

void LoadRulesFile(const std::string& path, RuleSetSource* into, RuleDiagnostics* diagnostics) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    RuleError e;
    e.file = path;
    e.code = RuleErrorCode::kBadEntry;
    e.message = "cannot read the rules file";
    diagnostics->Add(std::move(e));
    return;
  }
  std::ostringstream text;
  text << in.rdbuf();
  LoadRulesText(text.str(), path, into, diagnostics);
}

}  // namespace earshot
