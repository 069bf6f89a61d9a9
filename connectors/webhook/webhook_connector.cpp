#include "connectors/webhook/webhook_connector.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/content_hash.h"
#include "core/mention_json.h"
#include "core/time.h"

namespace earshot {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// The offset of the first byte that does not start (or continue) a well-formed UTF-8 sequence:
// no overlong forms, no surrogates, nothing above U+10FFFF. npos when all of `s` is valid.
size_t FirstInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  auto cont = [&](size_t at, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return at < n && p[at] >= lo && p[at] <= hi;
  };
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
    } else if (c >= 0xC2 && c <= 0xDF) {
      if (!cont(i + 1)) return i;
      i += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
      const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
      if (!cont(i + 1, lo, hi) || !cont(i + 2)) return i;
      i += 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
      const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
      if (!cont(i + 1, lo, hi) || !cont(i + 2) || !cont(i + 3)) return i;
      i += 4;
    } else {
      return i;
    }
  }
  return std::string_view::npos;
}

// 1-based line and byte column of `offset` in `text`.
std::pair<size_t, size_t> LineColumn(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, offset - line_start + 1};
}

std::string Where(size_t line, size_t column) {
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Where each element of a top-level array starts (npos for scalars, whose start the reader does
// not tell). Only asked after a DOM parse succeeded, to place an error.
class ItemOffsets : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ItemOffsets> {
 public:
  explicit ItemOffsets(const rapidjson::MemoryStream& stream) : stream_(stream) {}
  bool Default() {
    if (depth_ == 1) offsets.push_back(std::string_view::npos);
    return true;
  }
  bool StartObject() { return Open(); }
  bool StartArray() { return Open(); }
  bool EndObject(rapidjson::SizeType) { return Close(); }
  bool EndArray(rapidjson::SizeType) { return Close(); }
  bool Key(const char*, rapidjson::SizeType, bool) { return true; }

  std::vector<size_t> offsets;

 private:
  bool Open() {
    if (depth_ == 1) offsets.push_back(stream_.Tell() - 1);  // just past the bracket
    ++depth_;
    return true;
  }
  bool Close() {
    --depth_;
    return true;
  }
  const rapidjson::MemoryStream& stream_;
  int depth_ = 0;
};

std::vector<size_t> TopLevelItemOffsets(std::string_view json) {
  rapidjson::MemoryStream stream(json.data(), json.size());
  ItemOffsets handler(stream);
  rapidjson::Reader reader;
  reader.Parse(stream, handler);
  return handler.offsets;
}

std::string Serialize(const rapidjson::Value& value) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  value.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

// What is wrong with one pushed mention, naming the field; empty when nothing is.
std::string CheckItem(const rapidjson::Value& item, std::string* field) {
  if (!item.IsObject()) return "expected a JSON object";
  auto text = item.FindMember("text");
  *field = "text";
  if (text == item.MemberEnd()) return "missing string field \"text\"";
  if (!text->value.IsString()) return "field \"text\" must be a string";
  std::string_view t(text->value.GetString(), text->value.GetStringLength());
  auto deleted = item.FindMember("deleted");
  const bool deletion =
      deleted != item.MemberEnd() && deleted->value.IsBool() && deleted->value.GetBool();
  // A deletion names its item by id; its text may have gone with it.
  if (deletion) {
    *field = "id";
    if (!item.HasMember("id") && !item.HasMember("external_id")) return "a deletion needs an id";
  } else if (t.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return "field \"text\" is empty";
  }
  for (const char* key : {"id", "external_id"}) {
    auto id = item.FindMember(key);
    *field = key;
    if (id != item.MemberEnd() && !id->value.IsString() && !id->value.IsInt64() &&
        !id->value.IsUint64()) {
      return std::string("field \"") + key + "\" must be a string or an integer";
    }
  }
  field->clear();
  return "";
}

WebhookBodyError At(std::string message, size_t line = 0, size_t column = 0) {
  WebhookBodyError e;
  e.message = std::move(message);
  e.line = line;
  e.column = column;
  return e;
}

Result<std::vector<Mention>> Fail(WebhookBodyError* out, WebhookBodyError error) {
  std::string message = error.message;
  if (out) *out = std::move(error);
  return Status::ParseError(std::move(message));
}

class WebhookConnector : public Connector {
 public:
  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>&) override {
    PollResult nothing;
    nothing.next_cursor = cursor;
    return nothing;
  }
};

}  // namespace

bool IsPushKind(std::string_view kind) {
  return kind == kWebhookKind;
}

Result<std::vector<Mention>> ParseWebhookBody(std::string_view body, const SourceSpec& spec,
                                              WebhookBodyError* error) {
  if (body.substr(0, kBom.size()) == kBom) body.remove_prefix(kBom.size());
  if (size_t bad = FirstInvalidUtf8(body); bad != std::string_view::npos) {
    auto [line, column] = LineColumn(body, bad);
    return Fail(
        error, At("invalid UTF-8 at " + Where(line, column) + " (byte " + std::to_string(bad) + ")",
                  line, column));
  }
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Fail(error, At("the body is empty: send one JSON mention or an array of them"));
  }
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError()) {
    const size_t at = doc.GetErrorOffset();
    auto [line, column] = LineColumn(body, at);
    return Fail(error,
                At("invalid JSON at " + Where(line, column) + " (byte " + std::to_string(at) +
                       "): " + rapidjson::GetParseError_En(doc.GetParseError()),
                   line, column));
  }
  if (!doc.IsObject() && !doc.IsArray()) {
    return Fail(error, At("expected a JSON object (one mention) or an array of them", 1, 1));
  }
  if (doc.IsArray() && doc.Size() > kWebhookMaxMentions) {
    WebhookBodyError e = At("too many mentions: " + std::to_string(doc.Size()) + " (at most " +
                            std::to_string(kWebhookMaxMentions) + " per request)");
    e.too_many = true;
    return Fail(error, std::move(e));
  }
  const bool single = doc.IsObject();
  const rapidjson::SizeType count = single ? 1 : doc.Size();
  std::vector<Mention> out;
  out.reserve(count);
  const UnixMillis now = NowMillis();
  for (rapidjson::SizeType i = 0; i < count; ++i) {
    const rapidjson::Value& item = single ? static_cast<const rapidjson::Value&>(doc) : doc[i];
    std::string field;
    if (std::string problem = CheckItem(item, &field); !problem.empty()) {
      WebhookBodyError e;
      e.field = field;
      size_t offset = 0;
      if (!single) {
        e.item = static_cast<int>(i);
        auto offsets = TopLevelItemOffsets(body);
        offset = i < offsets.size() ? offsets[i] : std::string_view::npos;
      } else {
        offset = body.find('{');
      }
      std::string where = single ? "" : "item " + std::to_string(i);
      if (offset != std::string_view::npos) {
        std::tie(e.line, e.column) = LineColumn(body, offset);
        where += (where.empty() ? "" : " at ") + Where(e.line, e.column);
      }
      e.message = where + ": " + problem;
      return Fail(error, std::move(e));
    }
    const std::string json = Serialize(item);
    auto parsed = MentionFromJson(json);
    if (!parsed.ok()) {  // CheckItem let through what MentionFromJson needs; belt and braces
      WebhookBodyError e =
          At((single ? "" : "item " + std::to_string(i) + ": ") + parsed.status().message());
      e.item = single ? -1 : static_cast<int>(i);
      return Fail(error, std::move(e));
    }
    Mention m = std::move(parsed).value();
    m.source = spec.name;
    if (m.platform.empty()) m.platform = std::string(kWebhookKind);
    // Without an id, the content is the identity: a replayed push is recognised as one.
    if (m.external_id.empty())
      m.external_id = "h:" + ContentHash(json) + std::to_string(json.size());
    if (m.lang.empty()) m.lang = spec.lang;
    m.fetched_at = now;
    out.push_back(std::move(m));
  }
  return out;
}

ConnectorDescriptor WebhookConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = std::string(kWebhookKind);
  d.summary = "mentions pushed to POST /ingest/<source>, signed with HMAC-SHA256";
  d.settings = {
      {"secret", SettingType::kSecret, false, "",
       "the shared secret senders sign with (HMAC-SHA256); required unless allow_unsigned"},
      {"allow_unsigned", SettingType::kBool, false, "false",
       "accept requests without a signature (with an admin bearer token when tokens are set)"},
      {"max_body_bytes", SettingType::kInt, false, std::to_string(kWebhookDefaultMaxBodyBytes),
       "larger request bodies are refused with 413"},
  };
  d.create = [](const SourceSpec& spec, HttpClient&) -> Result<std::unique_ptr<Connector>> {
    if (spec.settings.Get("secret").empty() && !spec.settings.GetBool("allow_unsigned", false)) {
      return Status::InvalidArgument(
          "a webhook source needs a secret (or secret_file), or allow_unsigned: true");
    }
    const int64_t max_body = spec.settings.GetInt("max_body_bytes", kWebhookDefaultMaxBodyBytes);
    if (max_body < 1 || max_body > kWebhookMaxBodyBytesCap) {
      return Status::InvalidArgument("max_body_bytes must be from 1 to " +
                                     std::to_string(kWebhookMaxBodyBytesCap));
    }
    return std::unique_ptr<Connector>(new WebhookConnector());
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    SourceSpec spec;
    spec.name = source;
    spec.kind = std::string(kWebhookKind);
    return ParseWebhookBody(body, spec);
  };
  return d;
}

}  // namespace earshot
