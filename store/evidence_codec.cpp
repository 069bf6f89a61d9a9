#include "store/evidence_codec.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

namespace earshot {

std::string EvidenceToJson(const std::vector<Evidence>& evidence) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartArray();
  for (const auto& e : evidence) {
    w.StartObject();
    w.Key("source");
    w.String(e.source.c_str(), static_cast<rapidjson::SizeType>(e.source.size()));
    w.Key("begin");
    w.Uint64(e.span.begin);
    w.Key("end");
    w.Uint64(e.span.end);
    if (!e.field.empty()) {
      w.Key("field");
      w.String(e.field.c_str(), static_cast<rapidjson::SizeType>(e.field.size()));
    }
    if (e.weight != 0 && std::isfinite(e.weight)) {
      w.Key("weight");
      w.Double(e.weight);
    }
    w.EndObject();
  }
  w.EndArray();
  return std::string(buf.GetString(), buf.GetSize());
}

std::vector<Evidence> EvidenceFromJson(std::string_view json) {
  std::vector<Evidence> out;
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsArray()) return out;
  for (const auto& item : doc.GetArray()) {
    if (!item.IsObject()) continue;
    Evidence e;
    if (auto it = item.FindMember("source"); it != item.MemberEnd() && it->value.IsString()) {
      e.source = it->value.GetString();
    }
    if (auto it = item.FindMember("begin"); it != item.MemberEnd() && it->value.IsUint64()) {
      e.span.begin = it->value.GetUint64();
    }
    if (auto it = item.FindMember("end"); it != item.MemberEnd() && it->value.IsUint64()) {
      e.span.end = it->value.GetUint64();
    }
    if (auto it = item.FindMember("field"); it != item.MemberEnd() && it->value.IsString()) {
      e.field = it->value.GetString();
    }
    if (auto it = item.FindMember("weight"); it != item.MemberEnd() && it->value.IsNumber()) {
      e.weight = it->value.GetDouble();
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace earshot
