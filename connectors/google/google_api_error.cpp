#include "connectors/google/google_api_error.h"

#include <rapidjson/document.h>

#include "connectors/html_text.h"
#include "connectors/json_fields.h"
#include "core/utf8.h"

namespace earshot {

std::string GoogleApiError::ToString() const {
  std::string out = reason.empty() ? "error" : reason;
  if (code != 0) out += " (" + std::to_string(code) + ")";
  if (!message.empty()) out += ": " + message;
  return out;
}

std::optional<GoogleApiError> ParseGoogleApiError(std::string_view body) {
  rapidjson::Document doc;
  if (!json::Parse(body, &doc).ok()) return std::nullopt;
  const rapidjson::Value* error = json::Member(doc, "error");
  if (!error || !error->IsObject()) return std::nullopt;
  GoogleApiError e;
  e.code = json::Int(*error, "code").value_or(0);
  e.message = std::string(
      TruncateUtf8(CollapseWhitespace(HtmlToText(json::String(*error, "message"))), 300));
  if (const auto* errors = json::Member(*error, "errors"); errors && errors->IsArray()) {
    for (const auto& item : errors->GetArray()) {
      e.reason = std::string(TruncateUtf8(json::String(item, "reason"), 80));
      if (!e.reason.empty()) break;
    }
  }
  if (e.reason.empty()) e.reason = std::string(TruncateUtf8(json::String(*error, "status"), 80));
  return e;
}

}  // namespace earshot
