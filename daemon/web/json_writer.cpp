#include "daemon/web/json_writer.h"

#include <cmath>

namespace earshot::web {

JsonWriter& JsonWriter::Double(double v) {
  return std::isfinite(v) ? Do(writer_.Double(v)) : Null();
}

JsonWriter& JsonWriter::Time(UnixMillis t) {
  return t ? String(FormatRfc3339(t)) : Null();
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  return Do(writer_.RawValue(json.data(), json.size(), rapidjson::kObjectType));
}

std::string JsonWriter::Finish() const {
  return HtmlSafeJson(std::string_view(buffer_.GetString(), buffer_.GetSize()));
}

std::string HtmlSafeJson(std::string_view json) {
  std::string out;
  out.reserve(json.size() + 16);
  for (char c : json) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace earshot::web
