#include "store/outbox_payload.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "core/utf8.h"

namespace earshot {
namespace {

constexpr size_t kExcerptBytes = 300;

std::string GetString(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  return it != v.MemberEnd() && it->value.IsString()
             ? std::string(it->value.GetString(), it->value.GetStringLength())
             : std::string();
}

int64_t GetInt(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  return it != v.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}

}  // namespace

AlertPayload MakeAlertPayload(const AnnotatedMention& annotated, const AlertRequest& alert,
                              int64_t mention_id, int64_t case_id) {
  const Mention& m = annotated.mention;
  AlertPayload p;
  p.rule = alert.rule;
  p.priority = alert.priority;
  p.summary = alert.summary;
  p.source = m.source;
  p.platform = m.platform;
  p.author = !m.author.handle.empty() ? m.author.handle : m.author.name;
  p.excerpt = std::string(TruncateUtf8(m.text, kExcerptBytes));
  if (p.excerpt.size() < m.text.size()) p.excerpt += "…";
  size_t limit = TruncateUtf8(m.text, kExcerptBytes).size();
  // What made the classifiers speak is what the reader should see first.
  for (const auto& label : annotated.labels) {
    if (label.kind != "intent" && label.kind != "pattern" && label.kind != "urgency") continue;
    for (const auto& e : label.evidence) {
      if (!e.field.empty() || e.span.end > limit || e.span.begin >= e.span.end) continue;
      p.highlights.push_back(e.span);
    }
  }
  std::sort(p.highlights.begin(), p.highlights.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::vector<Span> merged;
  for (const auto& s : p.highlights) {
    if (!merged.empty() && s.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, s.end);
    } else {
      merged.push_back(s);
    }
  }
  p.highlights = std::move(merged);
  p.url = m.url;
  p.mention_id = mention_id;
  p.case_id = case_id;
  p.group_key = alert.group_key;
  p.group_wait_ms = alert.group_wait_ms;
  p.group_interval_ms = alert.group_interval_ms;
  p.repeat_interval_ms = alert.repeat_interval_ms;
  p.digest_ms = alert.digest_ms;
  return p;
}

std::string AlertPayloadToJson(const AlertPayload& p) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  auto str = [&](const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  auto num = [&](const char* key, int64_t value) {
    w.Key(key);
    w.Int64(value);
  };
  str("rule", p.rule);
  str("priority", p.priority);
  str("summary", p.summary);
  str("source", p.source);
  str("platform", p.platform);
  str("author", p.author);
  str("excerpt", p.excerpt);
  w.Key("highlights");
  w.StartArray();
  for (const auto& s : p.highlights) {
    w.StartArray();
    w.Uint64(s.begin);
    w.Uint64(s.end);
    w.EndArray();
  }
  w.EndArray();
  str("url", p.url);
  num("mention_id", p.mention_id);
  num("case_id", p.case_id);
  str("group_key", p.group_key);
  num("group_wait_ms", p.group_wait_ms);
  num("group_interval_ms", p.group_interval_ms);
  num("repeat_interval_ms", p.repeat_interval_ms);
  num("digest_ms", p.digest_ms);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::optional<AlertPayload> AlertPayloadFromJson(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  AlertPayload p;
  p.rule = GetString(doc, "rule");
  p.priority = GetString(doc, "priority");
  p.summary = GetString(doc, "summary");
  p.source = GetString(doc, "source");
  p.platform = GetString(doc, "platform");
  p.author = GetString(doc, "author");
  p.excerpt = GetString(doc, "excerpt");
  p.url = GetString(doc, "url");
  p.mention_id = GetInt(doc, "mention_id");
  p.case_id = GetInt(doc, "case_id");
  p.group_key = GetString(doc, "group_key");
  p.group_wait_ms = GetInt(doc, "group_wait_ms");
  p.group_interval_ms = GetInt(doc, "group_interval_ms");
  p.repeat_interval_ms = GetInt(doc, "repeat_interval_ms");
  p.digest_ms = GetInt(doc, "digest_ms");
  auto h = doc.FindMember("highlights");
  if (h != doc.MemberEnd() && h->value.IsArray()) {
    for (const auto& pair : h->value.GetArray()) {
      if (!pair.IsArray() || pair.Size() != 2 || !pair[0].IsUint64() || !pair[1].IsUint64())
        continue;
      Span s{pair[0].GetUint64(), pair[1].GetUint64()};
      if (s.begin < s.end && s.end <= p.excerpt.size()) p.highlights.push_back(s);
    }
  }
  return p;
}

}  // namespace earshot
