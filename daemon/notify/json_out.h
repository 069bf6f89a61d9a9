// RapidJSON's Writer with the calls every JSON payload needs (strings are made valid UTF-8 first,
// so a payload is always valid JSON), and the POST that carries one.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>
#include <utility>

#include "connectors/http/http_client.h"
#include "core/utf8.h"

namespace earshot {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

inline void JsonString(JsonWriter& w, std::string_view s) {
  const std::string valid = SanitizeUtf8(s);
  w.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

inline void JsonField(JsonWriter& w, std::string_view key, std::string_view value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  JsonString(w, value);
}

// POST of a JSON body, with the delivery id as X-Earshot-Delivery for receivers that log it.
inline HttpRequest JsonPost(std::string url, std::string_view delivery_id, std::string body) {
  HttpRequest request;
  request.method = "POST";
  request.url = std::move(url);
  request.headers = {{"Content-Type", "application/json; charset=utf-8"},
                     {"X-Earshot-Delivery", CollapseWhitespace(delivery_id)}};
  request.body = std::move(body);
  return request;
}

}  // namespace earshot
