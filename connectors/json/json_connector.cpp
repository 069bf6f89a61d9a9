#include "connectors/json/json_connector.h"

#include <algorithm>
#include <set>

#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "connectors/http_source.h"
#include "connectors/json/json_items.h"
#include "connectors/url_query.h"

namespace earshot {
namespace {

constexpr std::string_view kPlaceholder = "{cursor}";

JsonFieldPointers Pointers(const Settings& s) {
  JsonFieldPointers p;
  p.items = s.Get("items");
  p.id = s.Get("id_field", "/id");
  p.text = s.Get("text_field", "/text");
  p.title = s.Get("title_field");
  p.author = s.Get("author_field");
  p.url = s.Get("url_field");
  p.created_at = s.Get("created_at_field");
  p.rating = s.Get("rating_field");
  p.likes = s.Get("likes_field");
  p.cursor = s.Get("cursor_field");
  p.next = s.Get("next_pointer");
  return p;
}

// "Name: value" lines; nullopt names the first malformed one.
Result<std::vector<std::pair<std::string, std::string>>> Headers(const Settings& s) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& line : s.GetList("headers")) {
    const size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    if (colon == std::string::npos || name.empty() ||
        name.find_first_of(" \t\r\n") != std::string::npos ||
        line.find_first_of("\r\n") != std::string::npos) {
      return Status::InvalidArgument("headers: '" + name + "' is not a \"Name: value\" line");
    }
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.erase(0, 1);
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

std::string Fill(const std::string& url, const std::string& cursor) {
  std::string out = url;
  for (size_t at = out.find(kPlaceholder); at != std::string::npos;
       at = out.find(kPlaceholder, at)) {
    const std::string value = PercentEncode(cursor);
    out.replace(at, kPlaceholder.size(), value);
    at += value.size();
  }
  return out;
}

// A next link relative to the host ("/api/items?page=2") made absolute against `base`.
std::string Resolve(const std::string& base, const std::string& next) {
  if (IsHttpUrl(next)) return next;
  const size_t scheme = base.find("://");
  const size_t path = scheme == std::string::npos ? std::string::npos : base.find('/', scheme + 3);
  return (path == std::string::npos ? base : base.substr(0, path)) + next;
}

class JsonConnector : public Connector {
 public:
  JsonConnector(const SourceSpec& spec, HttpClient& http,
                std::vector<std::pair<std::string, std::string>> headers)
      : spec_(spec), http_(http), pointers_(Pointers(spec.settings)) {
    url_ = spec.settings.Get("url");
    token_ = spec.settings.Get("bearer_token");
    max_pages_ = std::max<int64_t>(1, spec.settings.GetInt("max_pages", 5));
    request_ = BaseJsonRequest(spec.settings);
    for (auto& [name, value] : headers) {
      secrets_.push_back(value);
      request_.headers.emplace_back(std::move(name), std::move(value));
    }
    if (!token_.empty()) request_.headers.emplace_back("Authorization", "Bearer " + token_);
  }

  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>& stop) override {
    if (Status held = hold_.Check("json"); !held.ok()) return held;
    PollResult result;
    result.next_cursor = cursor;
    const bool by_field = !pointers_.cursor.empty();
    const bool by_next = !pointers_.next.empty();
    std::string best = by_field ? cursor.position : "";
    std::string pointer = by_field ? "" : cursor.position;  // where the next page is
    std::string url = by_field ? Fill(url_, cursor.position) : FillOrFollow(cursor.position);
    std::set<std::string> seen;
    for (int64_t page_number = 1; page_number <= max_pages_; ++page_number) {
      HttpRequest request = request_;
      request.url = url;
      auto page = Fetch(request, stop, &result);
      if (!page.ok()) {
        if (page_number == 1 || page.status().code() == Status::Code::kAborted) {
          return Scrub(page.status());
        }
        result.warnings.push_back("stopped after " + std::to_string(page_number - 1) +
                                  " pages: " + Scrub(page.status()).message());
        break;
      }
      for (auto& w : page->warnings)
        result.warnings.push_back("page " + std::to_string(page_number) + ": " + w);
      for (size_t i = 0; i < page->mentions.size(); ++i) {
        if (by_field) {
          const std::string& value = page->cursors[i];
          if (!value.empty() && !cursor.position.empty() &&
              CompareCursorValues(value, cursor.position) <= 0) {
            continue;  // read before
          }
          if (!value.empty() && (best.empty() || CompareCursorValues(value, best) > 0)) {
            best = value;
          }
        }
        if (seen.insert(page->mentions[i].external_id).second) {
          result.mentions.push_back(std::move(page->mentions[i]));
        }
      }
      if (!by_next || page->next.empty() || page->items == 0) break;
      pointer = page->next;
      if (page_number == max_pages_) {
        result.has_more = true;
        break;
      }
      url = FillOrFollow(pointer);
      if (hold_.Remaining()) break;
    }
    result.next_cursor.position = by_field ? best : pointer;
    FinishMentions(&result.mentions, spec_);
    return result;
  }

 private:
  // A next-page URL is fetched as it is; a token goes into the template.
  std::string FillOrFollow(const std::string& pointer) const {
    if (!pointer.empty() && (IsHttpUrl(pointer) || pointer.front() == '/')) {
      return Resolve(url_, pointer);
    }
    return Fill(url_, pointer);
  }

  Result<JsonItemsPage> Fetch(const HttpRequest& request, const std::atomic<bool>& stop,
                              PollResult* result) {
    auto response = http_.Send(request, &stop);
    if (!response.ok()) return response.status();
    result->http_status = response->status;
    if (response->status < 200 || response->status >= 300) {
      Status status = HttpStatusError(*response, request.url);
      std::string message = status.message();
      if (const std::string detail = JsonErrorMessage(response->body); !detail.empty()) {
        message += ": " + detail;
      }
      if (response->status == 429 || response->status == 503) {
        hold_.For(RetryAfterSeconds(response->Header("retry-after"), NowMillis()).value_or(60),
                  "rate limited");
      }
      return Status(status.code(), message);
    }
    auto page = ParseJsonItems(response->body, spec_.name, pointers_);
    if (!page.ok()) return BodyError(request, page.status());
    return page;
  }

  Status Scrub(const Status& status) const {
    Status out = ScrubSecrets(status, {token_});
    for (const auto& secret : secrets_)
      out = ScrubSecrets(out, {secret});
    return out;
  }

  SourceSpec spec_;
  HttpClient& http_;
  JsonFieldPointers pointers_;
  HttpRequest request_;
  std::string url_, token_;
  std::vector<std::string> secrets_;  // header values: often keys
  int64_t max_pages_ = 5;
  RequestHold hold_;
};

}  // namespace

ConnectorDescriptor JsonConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = "json";
  d.summary = "any JSON API, read through JSON pointers (items, fields, cursor or next page)";
  d.settings = {
      {"url", SettingType::kString, true, "",
       "the URL; {cursor} is replaced by the cursor (percent-encoded, empty at first)"},
      {"headers", SettingType::kStringList, false, "", "extra request headers, \"Name: value\""},
      {"bearer_token", SettingType::kSecret, false, "", "sent as Authorization: Bearer"},
      {"items", SettingType::kString, false, "",
       "JSON pointer to the array of items (\"\": the "
       "body)"},
      {"id_field", SettingType::kString, false, "/id", "pointer, in an item, to its unique id"},
      {"text_field", SettingType::kString, false, "/text", "pointer to the text"},
      {"title_field", SettingType::kString, false, "", "pointer to the title"},
      {"author_field", SettingType::kString, false, "", "pointer to the author (text or object)"},
      {"url_field", SettingType::kString, false, "", "pointer to the item's link"},
      {"created_at_field", SettingType::kString, false, "",
       "pointer to the time (RFC 3339, RFC 822, Unix seconds or ms)"},
      {"rating_field", SettingType::kString, false, "", "pointer to a 1-5 rating"},
      {"likes_field", SettingType::kString, false, "", "pointer to a like count"},
      {"cursor_field", SettingType::kString, false, "",
       "pointer to an ever-growing value; its maximum is the cursor, compared as numbers when "
       "numeric"},
      {"next_pointer", SettingType::kString, false, "",
       "pointer, in the response, to the next page's URL or token"},
      {"max_pages", SettingType::kInt, false, "5", "pages followed per poll at most"},
  };
  for (auto& s : CommonHttpSettings())
    d.settings.push_back(std::move(s));
  d.create = [](const SourceSpec& spec, HttpClient& http) -> Result<std::unique_ptr<Connector>> {
    const std::string url = spec.settings.Get("url");
    if (!IsHttpUrl(url)) return Status::InvalidArgument("url must start with http:// or https://");
    if (auto bad = InvalidJsonPointer(Pointers(spec.settings))) {
      return Status::InvalidArgument(*bad + " is not a JSON pointer (RFC 6901: \"/a/0/b\")");
    }
    if (spec.settings.Get("id_field", "/id").empty()) {
      return Status::InvalidArgument("id_field must point into the item");
    }
    if (spec.settings.GetInt("max_pages", 5) < 1) {
      return Status::InvalidArgument("max_pages must be at least 1");
    }
    auto headers = Headers(spec.settings);
    if (!headers.ok()) return headers.status();
    return std::unique_ptr<Connector>(new JsonConnector(spec, http, std::move(*headers)));
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    // Offline, with the default pointers: an array of {"id", "text"}, or an object holding one
    // under "items" or "data".
    JsonFieldPointers pointers;
    auto page = ParseJsonItems(body, source, pointers);
    for (const char* items : {"/items", "/data", "/results"}) {
      if (page.ok()) break;
      pointers.items = items;
      if (auto other = ParseJsonItems(body, source, pointers); other.ok()) page = std::move(other);
    }
    if (!page.ok()) return page.status();
    return std::move(page->mentions);
  };
  return d;
}

}  // namespace earshot
