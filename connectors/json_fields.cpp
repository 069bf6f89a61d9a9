#include "connectors/json_fields.h"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>

#include "core/utf8.h"

namespace earshot::json {

const char* TypeName(const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "unknown";
}

const rapidjson::Value* Member(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

const rapidjson::Value* Path(const rapidjson::Value& obj, std::initializer_list<const char*> keys) {
  const rapidjson::Value* v = &obj;
  for (const char* key : keys) {
    v = Member(*v, key);
    if (!v) return nullptr;
  }
  return v;
}

std::string Utf8(const rapidjson::Value& v) {
  if (!v.IsString()) return "";
  return SanitizeUtf8(std::string_view(v.GetString(), v.GetStringLength()));
}

std::string String(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = Member(obj, key);
  return v ? Utf8(*v) : "";
}

std::string Id(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = Member(obj, key);
  if (!v) return "";
  if (v->IsString()) return Utf8(*v);
  if (v->IsInt64()) return std::to_string(v->GetInt64());
  if (v->IsUint64()) return std::to_string(v->GetUint64());
  return "";
}

std::optional<int64_t> Int(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = Member(obj, key);
  if (!v) return std::nullopt;
  if (v->IsInt64()) return v->GetInt64();
  if (v->IsUint64()) return INT64_MAX;
  if (v->IsDouble()) {
    const double d = v->GetDouble();
    if (!std::isfinite(d) || std::fabs(d) > 9.2e18) return std::nullopt;
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

std::optional<int64_t> IntOrDigits(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = Member(obj, key);
  if (!v || !v->IsString()) return Int(obj, key);
  const std::string_view s(v->GetString(), v->GetStringLength());
  if (s.empty() || s.size() > 18 ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoll(std::string(s));
}

std::optional<double> Double(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = Member(obj, key);
  if (!v || !v->IsNumber() || !std::isfinite(v->GetDouble())) return std::nullopt;
  return v->GetDouble();
}

std::optional<bool> Bool(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = Member(obj, key);
  if (!v || !v->IsBool()) return std::nullopt;
  return v->GetBool();
}

int64_t Count(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = Member(obj, key);
  if (!v || !v->IsNumber()) return 0;
  if (v->IsInt64()) return std::max<int64_t>(0, v->GetInt64());
  if (v->IsUint64()) return INT64_MAX;
  const double d = v->GetDouble();
  if (!std::isfinite(d) || d <= 0) return 0;
  return d >= 9.2e18 ? INT64_MAX : static_cast<int64_t>(d);
}

std::string Raw(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return SanitizeUtf8(std::string_view(buffer.GetString(), buffer.GetSize()));
}

Status Parse(std::string_view body, rapidjson::Document* doc) {
  doc->Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (!doc->HasParseError()) return Status::Ok();
  return Status::ParseError("invalid JSON at byte " + std::to_string(doc->GetErrorOffset()) + ": " +
                            rapidjson::GetParseError_En(doc->GetParseError()));
}

}  // namespace earshot::json
