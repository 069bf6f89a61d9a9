// JSON for the API: a thin RapidJSON writer whose output never contains '<', '>' or '&', so
// no JSON body can be read as markup whatever a mention says.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace earshot::web {

class JsonWriter {
 public:
  JsonWriter() : writer_(buffer_) {}
  JsonWriter& BeginObject() { return Do(writer_.StartObject()); }
  JsonWriter& EndObject() { return Do(writer_.EndObject()); }
  JsonWriter& BeginArray() { return Do(writer_.StartArray()); }
  JsonWriter& EndArray() { return Do(writer_.EndArray()); }
  JsonWriter& Key(std::string_view k) {
    return Do(writer_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())));
  }
  JsonWriter& String(std::string_view s) {
    return Do(writer_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())));
  }
  JsonWriter& Int(int64_t v) { return Do(writer_.Int64(v)); }
  JsonWriter& Double(double v);  // null when not finite
  JsonWriter& Bool(bool v) { return Do(writer_.Bool(v)); }
  JsonWriter& Null() { return Do(writer_.Null()); }
  JsonWriter& OptionalInt(const std::optional<int64_t>& v) { return v ? Int(*v) : Null(); }
  JsonWriter& OptionalDouble(const std::optional<double>& v) { return v ? Double(*v) : Null(); }
  // RFC 3339, or null for 0 (never).
  JsonWriter& Time(UnixMillis t);
  // A value that is already valid JSON, such as MentionToJson's.
  JsonWriter& Raw(std::string_view json);

  // Key-value shorthands.
  JsonWriter& Field(std::string_view k, std::string_view v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, const char* v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, const std::string& v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, int64_t v) { return Key(k).Int(v); }
  JsonWriter& Field(std::string_view k, int v) { return Key(k).Int(v); }
  JsonWriter& Field(std::string_view k, bool v) { return Key(k).Bool(v); }

  // The document, with '<', '>' and '&' written as \u escapes.
  std::string Finish() const;

 private:
  JsonWriter& Do(bool) { return *this; }
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

// '<', '>' and '&' as \u003c, \u003e, \u0026: outside strings JSON never has them, so this is
// safe on any valid JSON text.
std::string HtmlSafeJson(std::string_view json);

}  // namespace earshot::web
