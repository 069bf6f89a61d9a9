#include "core/mention_json.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

#include "core/utf8.h"

namespace earshot {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void PutString(Writer& w, const char* key, const std::string& value) {
  if (value.empty()) return;
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void PutTime(Writer& w, const char* key, UnixMillis t) {
  if (t == 0) return;
  w.Key(key);
  w.String(FormatRfc3339(t).c_str());
}

void WriteLabels(Writer& w, const std::vector<Label>& labels) {
  w.StartArray();
  for (const auto& l : labels) {
    w.StartObject();
    PutString(w, "kind", l.kind);
    PutString(w, "name", l.name);
    w.Key("score");
    w.Double(std::isfinite(l.score) ? l.score : 0.0);
    w.Key("evidence");
    w.StartArray();
    for (const auto& e : l.evidence) {
      w.StartObject();
      PutString(w, "source", e.source);
      w.Key("begin");
      w.Uint64(e.span.begin);
      w.Key("end");
      w.Uint64(e.span.end);
      PutString(w, "field", e.field);
      if (e.weight != 0 && std::isfinite(e.weight)) {
        w.Key("weight");
        w.Double(e.weight);
      }
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
}

std::string GetString(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) return "";
  if (it->value.IsString()) return std::string(it->value.GetString(), it->value.GetStringLength());
  if (it->value.IsInt64()) return std::to_string(it->value.GetInt64());
  if (it->value.IsUint64()) return std::to_string(it->value.GetUint64());
  return "";
}

int64_t GetInt(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) return 0;
  if (it->value.IsInt64()) return it->value.GetInt64();
  if (it->value.IsDouble()) return static_cast<int64_t>(it->value.GetDouble());
  return 0;
}

UnixMillis GetTime(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) return 0;
  if (it->value.IsString()) return ParseAnyDate(it->value.GetString()).value_or(0);
  if (it->value.IsInt64()) return ParseAnyDate(std::to_string(it->value.GetInt64())).value_or(0);
  return 0;
}

}  // namespace

std::string MentionToJson(const Mention& m) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  PutString(w, "source", m.source);
  PutString(w, "platform", m.platform);
  PutString(w, "id", m.external_id);
  PutString(w, "url", m.url);
  const Author& a = m.author;
  if (!a.id.empty() || !a.handle.empty() || !a.name.empty() || a.followers ||
      !a.profile_url.empty()) {
    w.Key("author");
    w.StartObject();
    PutString(w, "id", a.id);
    PutString(w, "handle", a.handle);
    PutString(w, "name", a.name);
    if (a.followers) {
      w.Key("followers");
      w.Int64(*a.followers);
    }
    PutString(w, "profile_url", a.profile_url);
    w.EndObject();
  }
  PutString(w, "title", m.title);
  w.Key("text");
  w.String(m.text.data(), static_cast<rapidjson::SizeType>(m.text.size()));
  PutString(w, "lang", m.lang);
  if (m.rating) {
    w.Key("rating");
    w.Double(*m.rating);
  }
  PutTime(w, "created_at", m.created_at);
  PutTime(w, "fetched_at", m.fetched_at);
  PutTime(w, "edited_at", m.edited_at);
  if (m.deleted) {
    w.Key("deleted");
    w.Bool(true);
  }
  PutString(w, "thread_id", m.thread_id);
  PutString(w, "parent_id", m.parent_id);
  const Engagement& e = m.engagement;
  if (e.likes || e.replies || e.shares) {
    w.Key("engagement");
    w.StartObject();
    w.Key("likes");
    w.Int64(e.likes);
    w.Key("replies");
    w.Int64(e.replies);
    w.Key("shares");
    w.Int64(e.shares);
    w.EndObject();
  }
  PutString(w, "raw", m.raw);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string LabelsToJson(const std::vector<Label>& labels) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  WriteLabels(w, labels);
  return std::string(buf.GetString(), buf.GetSize());
}

Result<Mention> MentionFromJson(std::string_view json) {
  std::string text = SanitizeUtf8(json);
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    return Status::ParseError("invalid JSON at byte " + std::to_string(doc.GetErrorOffset()) +
                              ": " + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) return Status::ParseError("expected a JSON object");
  auto text_it = doc.FindMember("text");
  if (text_it == doc.MemberEnd() || !text_it->value.IsString()) {
    return Status::ParseError("missing string field \"text\"");
  }
  Mention m;
  m.text = std::string(text_it->value.GetString(), text_it->value.GetStringLength());
  m.source = GetString(doc, "source");
  m.platform = GetString(doc, "platform");
  m.external_id = GetString(doc, "id");
  if (m.external_id.empty()) m.external_id = GetString(doc, "external_id");
  m.url = GetString(doc, "url");
  m.title = GetString(doc, "title");
  m.lang = GetString(doc, "lang");
  m.thread_id = GetString(doc, "thread_id");
  m.parent_id = GetString(doc, "parent_id");
  m.raw = GetString(doc, "raw");
  m.created_at = GetTime(doc, "created_at");
  m.fetched_at = GetTime(doc, "fetched_at");
  m.edited_at = GetTime(doc, "edited_at");
  if (auto d = doc.FindMember("deleted"); d != doc.MemberEnd() && d->value.IsBool()) {
    m.deleted = d->value.GetBool();
  }
  if (auto r = doc.FindMember("rating"); r != doc.MemberEnd() && r->value.IsNumber()) {
    double v = r->value.GetDouble();
    if (std::isfinite(v)) m.rating = v;
  }
  if (auto au = doc.FindMember("author"); au != doc.MemberEnd()) {
    if (au->value.IsString()) {
      m.author.handle = au->value.GetString();
    } else if (au->value.IsObject()) {
      m.author.id = GetString(au->value, "id");
      m.author.handle = GetString(au->value, "handle");
      m.author.name = GetString(au->value, "name");
      m.author.profile_url = GetString(au->value, "profile_url");
      if (auto f = au->value.FindMember("followers");
          f != au->value.MemberEnd() && f->value.IsInt64()) {
        m.author.followers = f->value.GetInt64();
      }
    }
  }
  if (auto en = doc.FindMember("engagement"); en != doc.MemberEnd() && en->value.IsObject()) {
    m.engagement.likes = GetInt(en->value, "likes");
    m.engagement.replies = GetInt(en->value, "replies");
    m.engagement.shares = GetInt(en->value, "shares");
  }
  return m;
}

}  // namespace earshot
