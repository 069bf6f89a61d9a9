#include "connectors/json/json_items.h"

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <charconv>
#include <cmath>

#include "connectors/json_fields.h"
#include "core/time.h"
#include "core/utf8.h"

namespace earshot {
namespace {

const rapidjson::Value* At(const rapidjson::Value& root, const std::string& pointer) {
  if (pointer.empty()) return &root;
  rapidjson::Pointer p(pointer.c_str(), pointer.size());
  return p.IsValid() ? p.Get(root) : nullptr;
}

// A string as it is, a number as written, a boolean as true/false; "" for the rest.
std::string Text(const rapidjson::Value* v) {
  if (!v) return "";
  if (v->IsString()) return json::Utf8(*v);
  if (v->IsNumber() || v->IsBool()) return json::Raw(*v);
  return "";
}

std::optional<double> Number(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

UnixMillis Date(const rapidjson::Value* v) {
  if (!v) return 0;
  if (v->IsNumber()) {
    const double d = v->GetDouble();
    if (!std::isfinite(d) || d <= 0 || d > 1e15) return 0;
    return static_cast<UnixMillis>(d >= 1e11 ? d : d * 1000);  // seconds or milliseconds
  }
  if (v->IsString()) return ParseAnyDate(json::Utf8(*v)).value_or(0);
  return 0;
}

}  // namespace

std::optional<std::string> InvalidJsonPointer(const JsonFieldPointers& p) {
  const std::pair<const char*, const std::string*> all[] = {{"items", &p.items},
                                                            {"id_field", &p.id},
                                                            {"text_field", &p.text},
                                                            {"title_field", &p.title},
                                                            {"author_field", &p.author},
                                                            {"url_field", &p.url},
                                                            {"created_at_field", &p.created_at},
                                                            {"rating_field", &p.rating},
                                                            {"likes_field", &p.likes},
                                                            {"cursor_field", &p.cursor},
                                                            {"next_pointer", &p.next}};
  for (const auto& [name, value] : all) {
    if (value->empty()) continue;
    rapidjson::Pointer pointer(value->c_str(), value->size());
    if (!pointer.IsValid()) return std::string(name);
  }
  return std::nullopt;
}

int CompareCursorValues(std::string_view a, std::string_view b) {
  auto x = Number(a), y = Number(b);
  if (x && y) return *x < *y ? -1 : (*x > *y ? 1 : 0);
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

std::string JsonErrorMessage(std::string_view body) {
  rapidjson::Document doc;
  if (!json::Parse(body, &doc).ok() || !doc.IsObject()) return "";
  std::string out = json::String(doc, "message");
  if (out.empty()) out = json::String(doc, "error");
  if (out.empty()) {
    if (const auto* error = json::Member(doc, "error")) out = json::String(*error, "message");
  }
  if (out.empty()) out = json::String(doc, "detail");
  return std::string(TruncateUtf8(CollapseWhitespace(out), 300));
}

Result<JsonItemsPage> ParseJsonItems(std::string_view body, const std::string& source,
                                     const JsonFieldPointers& pointers) {
  rapidjson::Document doc;
  if (Status parsed = json::Parse(body, &doc); !parsed.ok()) return parsed;
  const rapidjson::Value* items = At(doc, pointers.items);
  const std::string where_items =
      pointers.items.empty() ? "the body" : "\"" + pointers.items + "\"";
  if (!items) return Status::ParseError("nothing at " + where_items);
  if (!items->IsArray()) {
    return Status::ParseError(where_items + " is " + json::TypeName(*items) + ", not an array");
  }
  JsonItemsPage page;
  page.items = items->Size();
  if (!pointers.next.empty()) page.next = Text(At(doc, pointers.next));
  for (rapidjson::SizeType i = 0; i < items->Size(); ++i) {
    const rapidjson::Value& item = (*items)[i];
    const std::string id = Text(At(item, pointers.id));
    if (id.empty()) {
      page.warnings.push_back("item " + std::to_string(i) + " skipped: no id at \"" + pointers.id +
                              "\"");
      continue;
    }
    Mention m;
    m.source = source;
    m.platform = "json";
    m.external_id = id;
    m.text = Text(At(item, pointers.text));
    if (!pointers.title.empty()) m.title = Text(At(item, pointers.title));
    if (!pointers.url.empty()) m.url = Text(At(item, pointers.url));
    if (!pointers.author.empty()) {
      if (const rapidjson::Value* author = At(item, pointers.author)) {
        if (author->IsObject()) {
          m.author.id = json::Id(*author, "id");
          m.author.handle = json::String(*author, "handle");
          if (m.author.handle.empty()) m.author.handle = json::String(*author, "username");
          m.author.name = json::String(*author, "name");
        } else {
          m.author.handle = m.author.name = Text(author);
        }
      }
    }
    if (!pointers.created_at.empty()) m.created_at = Date(At(item, pointers.created_at));
    if (!pointers.rating.empty()) {
      if (auto r = Number(Text(At(item, pointers.rating)))) m.rating = *r;
    }
    if (!pointers.likes.empty()) {
      if (auto l = Number(Text(At(item, pointers.likes))); l && *l > 0 && *l < 9e18) {
        m.engagement.likes = static_cast<int64_t>(*l);
      }
    }
    m.raw = json::Raw(item);
    page.cursors.push_back(pointers.cursor.empty() ? "" : Text(At(item, pointers.cursor)));
    page.mentions.push_back(std::move(m));
  }
  return page;
}

}  // namespace earshot
