// Team-chat notifiers against local receivers playing Slack, Mattermost, Teams, Telegram,
// Discord, a generic webhook and an SMTP server: payloads field by field, escaping, evidence,
// links, signatures, and how each answer is classified.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/notify/discord_payload.h"
#include "daemon/notify/email_message.h"
#include "daemon/notify/notifier.h"
#include "daemon/notify/telegram_payload.h"
#include "daemon/notify/text_format.h"
#include "tests/support/local_http_server.h"
#include "tests/support/local_smtp_server.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kEvidence = "верните деньги";

AlertMessage Sample() {
  AlertMessage m;
  m.delivery_id = "dlv-42";
  m.rule = "refund_demands";
  m.priority = "critical";
  m.summary = "Refund demand <script>alert(1)</script> *now* _x_ @everyone";
  m.source = "brand_feed";
  m.platform = "rss";
  m.author = "angry_user";
  m.excerpt = std::string("<script>x</script> *terrible* _service_ @everyone ") + kEvidence + "!";
  const size_t at = m.excerpt.find(kEvidence);
  m.highlights = {{at, at + std::string(kEvidence).size()}};
  m.url = "https://example.com/post/1?a=1&b=(2)";
  m.case_url = "https://earshot.example/case/7";
  m.group_count = 3;
  m.more_lines = {"second <b>one</b>", "third one"};
  return m;
}

rapidjson::Document Json(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

std::string Str(const rapidjson::Value& v) {
  REQUIRE(v.IsString());
  return {v.GetString(), v.GetStringLength()};
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A local server playing a receiver. LocalHttpServer records requests before their bodies are
// read, so the handlers registered here record them whole.
class Receiver {
 public:
  // Answers every POST to `path` with `status` and `body`.
  void Answer(const std::string& path, int status, const std::string& body,
              const std::string& content_type = "application/json", httplib::Headers headers = {}) {
    On(path, [=](const httplib::Request&, httplib::Response& res) {
      res.status = status;
      for (const auto& [name, value] : headers)
        res.set_header(name, value);
      res.set_content(body, content_type);
    });
  }
  void On(const std::string& path, httplib::Server::Handler handler) {
    host_.server().Post(path, [this, handler](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard lock(mu_);
        received_.push_back({req.method, req.path, req.params, req.headers, req.body});
      }
      handler(req, res);
    });
  }
  void Start() { host_.Start(); }
  std::string Url(const std::string& path) const { return host_.Url(path); }
  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mu_);
    return received_;
  }
  size_t request_count() const { return requests().size(); }

 private:
  mutable std::mutex mu_;
  std::vector<RecordedRequest> received_;
  LocalHttpServer host_;  // last, so it stops before what its handlers use goes away
};

ChannelConfig Channel(const std::string& kind, const std::string& url) {
  ChannelConfig c;
  c.name = "ops";
  c.kind = kind;
  c.url = url;
  return c;
}

std::string HmacHex(const std::string& key, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  std::string hex;
  char byte[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(byte, sizeof byte, "%02x", digest[i]);
    hex += byte;
  }
  return hex;
}

std::string Base64Decode(const std::string& encoded) {
  std::string out(encoded.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(encoded.data()),
                                static_cast<int>(encoded.size()));
  REQUIRE(n >= 0);
  // EVP_DecodeBlock counts the bytes that '=' padding stands for as zeros.
  const size_t padding = encoded.size() - encoded.find_last_not_of('=') - 1;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

// The port of a server that was listening and is not any more.
std::string ClosedUrl(const std::string& path) {
  LocalHttpServer gone;
  gone.Start();
  const std::string url = gone.Url(path);
  gone.Stop();
  return url;
}

}  // namespace

TEST_CASE("notify: highlights split into runs, bad spans are ignored and overlaps merge",
          "[notify]") {
  const std::string text = "żółć refund now";
  auto runs = SplitHighlights(text, {{9, 15}, {12, 18}, {1, 2}, {0, 99}, {5, 5}});
  REQUIRE(runs.size() == 3);
  CHECK(runs[0].text == "żółć ");
  CHECK_FALSE(runs[0].marked);
  CHECK(runs[1].text == "refund no");
  CHECK(runs[1].marked);
  CHECK(runs[2].text == "w");
  // Whitespace at a marked run's edges stays outside the markers.
  CHECK(RenderHighlights("a  bad  day", {{1, 8}}, MarkdownV2Escape, "*", "*") == "a  *bad*  day");
}

TEST_CASE("notify: a long excerpt is cut at a character boundary and its spans clipped",
          "[notify]") {
  AlertMessage m;
  m.excerpt = std::string(kMaxExcerptBytes - 2, 'a') + "ж\nжж";
  m.highlights = {{kMaxExcerptBytes - 4, m.excerpt.size()},
                  {m.excerpt.size() - 2, m.excerpt.size()}};
  const Excerpt e = ShownExcerpt(m);
  CHECK(e.text.size() <= kMaxExcerptBytes);
  CHECK(e.text.substr(e.text.size() - 3) == "…");
  REQUIRE(e.spans.size() == 1);
  CHECK(e.spans[0].end == e.text.size() - 3);
  AlertMessage lines;
  lines.excerpt = "one\ntwo\r\nthree";
  CHECK(ShownExcerpt(lines).text == "one two  three");
}

TEST_CASE("notify: Telegram MarkdownV2 escaping covers every special character", "[notify]") {
  const std::vector<std::pair<std::string, std::string>> table = {
      {"_", "\\_"},     {"*", "\\*"},
      {"[", "\\["},     {"]", "\\]"},
      {"(", "\\("},     {")", "\\)"},
      {"~", "\\~"},     {"`", "\\`"},
      {">", "\\>"},     {"#", "\\#"},
      {"+", "\\+"},     {"-", "\\-"},
      {"=", "\\="},     {"|", "\\|"},
      {"{", "\\{"},     {"}", "\\}"},
      {".", "\\."},     {"!", "\\!"},
      {"\\", "\\\\"},   {"a b", "a b"},
      {"<@>", "<@\\>"}, {"привет!", "привет\\!"},
  };
  for (const auto& [plain, escaped] : table) {
    INFO(plain);
    CHECK(MarkdownV2Escape(plain) == escaped);
  }
  CHECK(MarkdownV2UrlEscape("https://x.y/a_(b)\\c.d") == "https://x.y/a_(b\\)\\\\c.d");
}

TEST_CASE("notify: Slack gets Block Kit with escaped text, bold evidence and link buttons",
          "[notify]") {
  Receiver host;
  host.Answer("/services/T1/B2/xoxSecretSecretSecret123", 200, "ok", "text/plain");
  host.Start();
  const auto channel = Channel("slack", host.Url("/services/T1/B2/xoxSecretSecretSecret123"));
  const DeliveryResult result = Deliver(HttpClient(), channel, Sample());
  CHECK(result.outcome == DeliveryOutcome::kDelivered);
  CHECK(result.http_status == 200);
  CHECK(result.error.empty());

  REQUIRE(host.request_count() == 1);
  const RecordedRequest request = host.requests()[0];
  CHECK(request.method == "POST");
  CHECK(request.path == "/services/T1/B2/xoxSecretSecretSecret123");
  CHECK(Contains(request.Header("Content-Type"), "application/json"));
  CHECK(request.Header("X-Earshot-Delivery") == "dlv-42");
  CHECK_FALSE(Contains(request.body, "<script>"));

  const auto doc = Json(request.body);
  const std::string fallback = Str(doc["text"]);
  CHECK(Contains(fallback, "CRITICAL"));
  CHECK(Contains(fallback, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  const auto& blocks = doc["blocks"];
  REQUIRE(blocks.IsArray());
  REQUIRE(blocks.Size() == 5);
  CHECK(Str(blocks[0]["type"]) == "header");
  CHECK(Str(blocks[0]["text"]["type"]) == "plain_text");
  CHECK(Str(blocks[0]["text"]["text"]) == "🚨 CRITICAL · refund_demands");

  CHECK(Str(blocks[1]["type"]) == "section");
  CHECK(Str(blocks[1]["text"]["type"]) == "mrkdwn");
  const std::string section = Str(blocks[1]["text"]["text"]);
  CHECK(Contains(section, "*Refund demand &lt;script&gt;alert(1)&lt;/script&gt; *now* _x_"));
  CHECK(Contains(section, "\n>&lt;script&gt;x&lt;/script&gt; *terrible* _service_ @everyone "));
  CHECK(Contains(section, std::string("*") + kEvidence + "*!"));

  const std::string more = Str(blocks[2]["text"]["text"]);
  CHECK(Contains(more, "*+2 more mentions*"));
  CHECK(Contains(more, "\n• second &lt;b&gt;one&lt;/b&gt;"));
  CHECK(Contains(more, "\n• third one"));

  CHECK(Str(blocks[3]["type"]) == "context");
  CHECK(Str(blocks[3]["elements"][0]["type"]) == "mrkdwn");
  CHECK(Str(blocks[3]["elements"][0]["text"]) == "brand_feed · rss · angry_user");

  CHECK(Str(blocks[4]["type"]) == "actions");
  const auto& buttons = blocks[4]["elements"];
  REQUIRE(buttons.Size() == 2);
  CHECK(Str(buttons[0]["type"]) == "button");
  CHECK(Str(buttons[0]["text"]["text"]) == "Open post");
  CHECK(Str(buttons[0]["url"]) == "https://example.com/post/1?a=1&b=(2)");
  CHECK(Str(buttons[1]["url"]) == "https://earshot.example/case/7");
  CHECK(Str(buttons[0]["action_id"]) != Str(buttons[1]["action_id"]));
}

TEST_CASE("notify: Slack leaves out links that are not web URLs and empty blocks", "[notify]") {
  Receiver host;
  host.Answer("/hook", 200, "ok", "text/plain");
  host.Start();
  AlertMessage m = Sample();
  m.url = "javascript:alert(1)";
  m.case_url.clear();
  m.group_count = 1;
  m.more_lines.clear();
  REQUIRE(Deliver(HttpClient(), Channel("slack", host.Url("/hook")), m).outcome ==
          DeliveryOutcome::kDelivered);
  const auto doc = Json(host.requests()[0].body);
  const auto& blocks = doc["blocks"];
  REQUIRE(blocks.Size() == 3);
  CHECK(Str(blocks[2]["type"]) == "context");
  CHECK_FALSE(Contains(host.requests()[0].body, "javascript:"));
}

TEST_CASE("notify: Mattermost gets one Markdown text with escaping and defused mentions",
          "[notify]") {
  Receiver host;
  host.Answer("/hooks/abcdefghijklmnopqrstuvwxyz", 200, "ok", "text/plain");
  host.Start();
  const auto channel = Channel("mattermost", host.Url("/hooks/abcdefghijklmnopqrstuvwxyz"));
  REQUIRE(Deliver(HttpClient(), channel, Sample()).outcome == DeliveryOutcome::kDelivered);
  const RecordedRequest request = host.requests()[0];
  CHECK(request.path == "/hooks/abcdefghijklmnopqrstuvwxyz");
  CHECK(Contains(request.Header("Content-Type"), "application/json"));
  const auto doc = Json(request.body);
  REQUIRE(doc.IsObject());
  CHECK(doc.MemberCount() == 1);
  const std::string text = Str(doc["text"]);
  CHECK(text.rfind("#### 🚨 CRITICAL · refund\\_demands\n", 0) == 0);
  CHECK(Contains(text,
                 "**Refund demand \\<script\\>alert\\(1\\)\\</script\\> \\*now\\* \\_x\\_ "
                 "@\u200Beveryone**"));
  CHECK(Contains(text,
                 "\n> \\<script\\>x\\</script\\> \\*terrible\\* \\_service\\_ @\u200Beveryone "));
  CHECK(Contains(text, std::string("**") + kEvidence + "**\\!"));
  CHECK_FALSE(Contains(text, "@everyone"));
  CHECK(Contains(text, "\n- second \\<b\\>one\\</b\\>"));
  CHECK(Contains(text, "brand\\_feed · rss · angry\\_user"));
  CHECK(Contains(text, "[Open post](https://example.com/post/1?a=1&b=%282%29)"));
  CHECK(Contains(text, "[Open case](https://earshot.example/case/7)"));
}

TEST_CASE("notify: Teams gets an Adaptive Card with evidence as highlighted TextRuns", "[notify]") {
  Receiver host;
  host.Answer("/workflows/abc/triggers/manual/paths/invoke", 202, "", "text/plain");
  host.Start();
  const auto channel =
      Channel("teams", host.Url("/workflows/abc/triggers/manual/paths/invoke?sig=s3cr3tSig"));
  const DeliveryResult result = Deliver(HttpClient(), channel, Sample());
  CHECK(result.outcome == DeliveryOutcome::kDelivered);
  CHECK(result.http_status == 202);
  const RecordedRequest request = host.requests()[0];
  CHECK(request.path == "/workflows/abc/triggers/manual/paths/invoke");
  CHECK(request.params.find("sig")->second == "s3cr3tSig");

  const auto doc = Json(request.body);
  CHECK(Str(doc["type"]) == "message");
  REQUIRE(doc["attachments"].Size() == 1);
  const auto& attachment = doc["attachments"][0];
  CHECK(Str(attachment["contentType"]) == "application/vnd.microsoft.card.adaptive");
  CHECK(attachment["contentUrl"].IsNull());
  const auto& card = attachment["content"];
  CHECK(Str(card["$schema"]) == "http://adaptivecards.io/schemas/adaptive-card.json");
  CHECK(Str(card["type"]) == "AdaptiveCard");
  CHECK(Str(card["version"]) == "1.4");

  const auto& body = card["body"];
  REQUIRE(body.Size() == 5);
  CHECK(Str(body[0]["type"]) == "TextBlock");
  CHECK(Str(body[0]["text"]) == "🚨 CRITICAL · refund_demands");
  CHECK(Str(body[0]["color"]) == "Attention");
  CHECK(body[0]["wrap"].GetBool());
  CHECK(Str(body[1]["type"]) == "RichTextBlock");
  CHECK(Str(body[1]["inlines"][0]["text"]) == Sample().summary);  // TextRuns are not Markdown

  CHECK(Str(body[2]["type"]) == "RichTextBlock");
  const auto& runs = body[2]["inlines"];
  std::string joined;
  int marked = 0;
  for (const auto& run : runs.GetArray()) {
    CHECK(Str(run["type"]) == "TextRun");
    joined += Str(run["text"]);
    if (run.HasMember("highlight")) {
      ++marked;
      CHECK(Str(run["text"]) == kEvidence);
      CHECK(run["highlight"].GetBool());
      CHECK(Str(run["weight"]) == "Bolder");
    }
  }
  CHECK(marked == 1);
  CHECK(joined == Sample().excerpt);
  CHECK(Contains(Str(body[3]["inlines"][0]["text"]), "+2 more mentions\n• second <b>one</b>"));

  CHECK(Str(body[4]["type"]) == "FactSet");
  const auto& facts = body[4]["facts"];
  REQUIRE(facts.Size() == 4);
  CHECK(Str(facts[0]["title"]) == "Source");
  CHECK(Str(facts[0]["value"]) == "brand_feed");
  CHECK(Str(facts[2]["title"]) == "Author");
  CHECK(Str(facts[2]["value"]) == "angry_user");
  CHECK(Str(facts[3]["value"]) == "3");

  const auto& actions = card["actions"];
  REQUIRE(actions.Size() == 2);
  CHECK(Str(actions[0]["type"]) == "Action.OpenUrl");
  CHECK(Str(actions[0]["url"]) == "https://example.com/post/1?a=1&b=(2)");
  CHECK(Str(actions[1]["title"]) == "Open case");
  CHECK(Str(actions[1]["url"]) == "https://earshot.example/case/7");
}

TEST_CASE("notify: Telegram gets sendMessage with MarkdownV2 escaped text", "[notify]") {
  Receiver host;
  const std::string token = "123456:AAH-secret_TOKEN_value";
  host.Answer("/bot" + token + "/sendMessage", 200, R"({"ok":true,"result":{"message_id":9}})");
  host.Start();
  ChannelConfig channel = Channel("telegram", host.Url("/"));
  channel.token = token;
  channel.chat_id = "-1001234567890";
  const DeliveryResult result = Deliver(HttpClient(), channel, Sample());
  CHECK(result.outcome == DeliveryOutcome::kDelivered);

  const RecordedRequest request = host.requests()[0];
  CHECK(request.path == "/bot" + token + "/sendMessage");
  CHECK(Contains(request.Header("Content-Type"), "application/json"));
  const auto doc = Json(request.body);
  REQUIRE(doc["chat_id"].IsInt64());
  CHECK(doc["chat_id"].GetInt64() == -1001234567890);
  CHECK(Str(doc["parse_mode"]) == "MarkdownV2");
  CHECK(doc["link_preview_options"]["is_disabled"].GetBool());
  const std::string text = Str(doc["text"]);
  CHECK(text.rfind("*🚨 CRITICAL · refund\\_demands*\n", 0) == 0);
  CHECK(Contains(text,
                 "*Refund demand <script\\>alert\\(1\\)</script\\> \\*now\\* \\_x\\_ "
                 "@everyone*"));
  CHECK(Contains(text, "\n\n<script\\>x</script\\> \\*terrible\\* \\_service\\_ @everyone "));
  CHECK(Contains(text, std::string("*") + kEvidence + "*\\!"));
  CHECK(Contains(text, "*\\+2 more mentions*\n• second <b\\>one</b\\>\n• third one"));
  CHECK(Contains(text, "brand\\_feed · rss · angry\\_user"));
  CHECK(Contains(text, "[Open post](https://example.com/post/1?a=1&b=(2\\))"));
  CHECK(Contains(text, "[Open case](https://earshot.example/case/7)"));

  // A chat given by its @username stays a string.
  channel.chat_id = "@brand_alerts";
  const auto named = Json(BuildTelegramRequest(channel, Sample()).body);
  CHECK(Str(named["chat_id"]) == "@brand_alerts");
}

TEST_CASE("notify: Telegram answers are read from their ok, description and retry_after",
          "[notify]") {
  Receiver host;
  const std::string token = "999:TopSecretTelegramToken";
  int calls = 0;
  host.On("/bot" + token + "/sendMessage", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    if (calls == 1) {
      res.status = 429;
      res.set_content(R"({"ok":false,"error_code":429,"description":"Too Many )"
                      R"(Requests: retry after 12","parameters":{"retry_after":12}})",
                      "application/json");
    } else if (calls == 2) {
      res.status = 400;
      res.set_content(R"({"ok":false,"error_code":400,"description":"Bad )"
                      R"(Request: chat not found"})",
                      "application/json");
    } else {
      res.set_content(R"({"ok":false})", "application/json");
    }
  });
  host.Start();
  ChannelConfig channel = Channel("telegram", host.Url(""));
  channel.token = token;
  channel.chat_id = "42";

  DeliveryResult limited = Deliver(HttpClient(), channel, Sample());
  CHECK(limited.outcome == DeliveryOutcome::kRetry);
  CHECK(limited.http_status == 429);
  CHECK(limited.retry_after_ms == 12'000);

  DeliveryResult bad = Deliver(HttpClient(), channel, Sample());
  CHECK(bad.outcome == DeliveryOutcome::kPermanentFailure);
  CHECK(bad.http_status == 400);
  CHECK(Contains(bad.error, "Bad Request: chat not found"));
  CHECK(Contains(bad.error, "telegram channel \"ops\""));
  CHECK_FALSE(Contains(bad.error, token));
  CHECK_FALSE(Contains(bad.error, "TopSecret"));

  DeliveryResult not_ok = Deliver(HttpClient(), channel, Sample());
  CHECK(not_ok.outcome == DeliveryOutcome::kPermanentFailure);
  CHECK(not_ok.http_status == 200);
  CHECK_FALSE(Contains(not_ok.error, token));

  // Nobody listening: a retry, and the token is still not in the message.
  channel.url = ClosedUrl("");
  DeliveryResult down = Deliver(HttpClient(), channel, Sample());
  CHECK(down.outcome == DeliveryOutcome::kRetry);
  CHECK(down.http_status == 0);
  CHECK_FALSE(down.error.empty());
  CHECK_FALSE(Contains(down.error, token));
  CHECK_FALSE(Contains(down.error, "TopSecret"));
}

TEST_CASE("notify: Discord gets an embed, escaped Markdown and no mention can ping", "[notify]") {
  Receiver host;
  const std::string path = "/api/webhooks/112233445566778899/DiscordWebhookTokenValue_0123456789";
  host.Answer(path, 200, R"({"id":"1"})");
  host.Start();
  const DeliveryResult result = Deliver(HttpClient(), Channel("discord", host.Url(path)), Sample());
  CHECK(result.outcome == DeliveryOutcome::kDelivered);

  const RecordedRequest request = host.requests()[0];
  CHECK(request.path == path);
  CHECK(request.params.find("wait")->second == "true");
  CHECK(request.Header("X-Earshot-Delivery") == "dlv-42");
  const auto doc = Json(request.body);
  REQUIRE(doc["allowed_mentions"]["parse"].IsArray());
  CHECK(doc["allowed_mentions"]["parse"].Size() == 0);
  CHECK(Str(doc["content"]) == "**🚨 CRITICAL · refund\\_demands**");

  REQUIRE(doc["embeds"].Size() == 1);
  const auto& embed = doc["embeds"][0];
  CHECK(Str(embed["title"]) == Sample().summary);  // titles are plain
  CHECK(Str(embed["url"]) == "https://example.com/post/1?a=1&b=(2)");
  CHECK(embed["color"].GetInt() == 0xD32F2F);
  const std::string description = Str(embed["description"]);
  CHECK(description.rfind("\\<script\\>x\\</script\\> \\*terrible\\* \\_service\\_ @everyone ",
                          0) == 0);
  CHECK(Contains(description, std::string("**") + kEvidence + "**!"));
  CHECK(Contains(description, "**+2 more mentions**\n• second \\<b\\>one\\</b\\>\n• third one"));

  const auto& fields = embed["fields"];
  REQUIRE(fields.Size() == 6);
  CHECK(Str(fields[0]["name"]) == "Source");
  CHECK(Str(fields[0]["value"]) == "brand\\_feed");
  CHECK(Str(fields[2]["value"]) == "angry\\_user");
  CHECK(Str(fields[3]["value"]) == "3");
  CHECK(Str(fields[4]["value"]) == "[Open post](https://example.com/post/1?a=1&b=%282%29)");
  CHECK(Str(fields[5]["value"]) == "[Open case](https://earshot.example/case/7)");
  CHECK(Str(embed["footer"]["text"]) == "earshot · refund_demands");
  CHECK(DiscordColor("low") != DiscordColor("critical"));
}

TEST_CASE("notify: Discord's retry_after in the body wins over the header", "[notify]") {
  Receiver host;
  host.Answer("/api/webhooks/1/tok", 429,
              R"({"message":"You are being rate limited.",)"
              R"("retry_after":1.5,"global":false})",
              "application/json", {{"Retry-After", "2"}});
  host.Start();
  const DeliveryResult result =
      Deliver(HttpClient(), Channel("discord", host.Url("/api/webhooks/1/tok")), Sample());
  CHECK(result.outcome == DeliveryOutcome::kRetry);
  CHECK(result.retry_after_ms == 1500);
  CHECK(Contains(result.error, "You are being rate limited."));
}

TEST_CASE("notify: a generic webhook gets every field, signed with HMAC-SHA256", "[notify]") {
  Receiver host;
  host.Answer("/earshot", 204, "", "text/plain");
  host.Start();
  ChannelConfig channel = Channel("webhook", host.Url("/earshot"));
  channel.secret = "shh-its-a-secret";
  const DeliveryResult result = Deliver(HttpClient(), channel, Sample());
  CHECK(result.outcome == DeliveryOutcome::kDelivered);
  CHECK(result.http_status == 204);

  const RecordedRequest request = host.requests()[0];
  CHECK(request.path == "/earshot");
  CHECK(Contains(request.Header("Content-Type"), "application/json"));
  CHECK(request.Header("X-Earshot-Delivery") == "dlv-42");
  const std::string timestamp = request.Header("X-Earshot-Timestamp");
  REQUIRE_FALSE(timestamp.empty());
  const int64_t seconds = std::stoll(timestamp);
  CHECK(std::abs(seconds - NowMillis() / 1000) < 60);
  CHECK(request.Header("X-Earshot-Signature") ==
        "sha256=" + HmacHex(channel.secret, timestamp + "." + request.body));
  CHECK(request.Header("X-Earshot-Signature") !=
        "sha256=" + HmacHex("another key", timestamp + "." + request.body));

  const AlertMessage m = Sample();
  const auto doc = Json(request.body);
  CHECK(Str(doc["delivery_id"]) == m.delivery_id);
  CHECK(Str(doc["rule"]) == m.rule);
  CHECK(Str(doc["priority"]) == m.priority);
  CHECK(Str(doc["summary"]) == m.summary);
  CHECK(Str(doc["source"]) == m.source);
  CHECK(Str(doc["platform"]) == m.platform);
  CHECK(Str(doc["author"]) == m.author);
  CHECK(Str(doc["excerpt"]) == m.excerpt);
  REQUIRE(doc["highlights"].Size() == 1);
  CHECK(doc["highlights"][0]["begin"].GetUint64() == m.highlights[0].begin);
  CHECK(doc["highlights"][0]["end"].GetUint64() == m.highlights[0].end);
  CHECK(Str(doc["highlights"][0]["text"]) == kEvidence);
  CHECK(Str(doc["url"]) == m.url);
  CHECK(Str(doc["case_url"]) == m.case_url);
  CHECK(doc["group_count"].GetInt() == 3);
  REQUIRE(doc["more_lines"].Size() == 2);
  CHECK(Str(doc["more_lines"][0]) == "second <b>one</b>");
}

TEST_CASE("notify: answers are classified: 429, 408 and 5xx retry, other 4xx do not", "[notify]") {
  Receiver host;
  host.Answer("/limited", 429, "slow down", "text/plain", {{"Retry-After", "7"}});
  host.Answer("/dated", 503, "", "text/plain", {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}});
  host.Answer("/broken", 500, "<html>oops</html>", "text/html");
  host.Answer("/timeout", 408, "", "text/plain");
  host.Answer("/bad", 400, "invalid_payload", "text/plain");
  host.Answer("/gone", 404, R"({"message":"Unknown Webhook","code":10015})");
  host.On("/moved", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("https://elsewhere.example/hook", 301);
  });
  host.Start();
  HttpClient http;
  auto deliver = [&](const std::string& path) {
    return Deliver(http, Channel("slack", host.Url(path)), Sample());
  };

  const DeliveryResult limited = deliver("/limited");
  CHECK(limited.outcome == DeliveryOutcome::kRetry);
  CHECK(limited.http_status == 429);
  CHECK(limited.retry_after_ms == 7000);

  const DeliveryResult dated = deliver("/dated");  // a date in the past: retry now
  CHECK(dated.outcome == DeliveryOutcome::kRetry);
  CHECK(dated.retry_after_ms == 0);

  const DeliveryResult broken = deliver("/broken");
  CHECK(broken.outcome == DeliveryOutcome::kRetry);
  CHECK(broken.http_status == 500);
  CHECK(broken.retry_after_ms == -1);

  CHECK(deliver("/timeout").outcome == DeliveryOutcome::kRetry);

  const DeliveryResult bad = deliver("/bad");
  CHECK(bad.outcome == DeliveryOutcome::kPermanentFailure);
  CHECK(bad.http_status == 400);
  CHECK(Contains(bad.error, "HTTP 400"));
  CHECK(Contains(bad.error, "invalid_payload"));

  const DeliveryResult gone = deliver("/gone");
  CHECK(gone.outcome == DeliveryOutcome::kPermanentFailure);
  CHECK(Contains(gone.error, "Unknown Webhook"));

  const DeliveryResult moved = deliver("/moved");
  CHECK(moved.outcome == DeliveryOutcome::kPermanentFailure);
  CHECK(moved.http_status == 301);
  CHECK(Contains(moved.error, "redirect"));
}

TEST_CASE("notify: a receiver that is down is a retry and errors never quote URL secrets",
          "[notify]") {
  const std::string secret_path = "/services/T0/B0/LongWebhookSecretPart1234";
  const DeliveryResult down =
      Deliver(HttpClient(), Channel("slack", ClosedUrl(secret_path)), Sample());
  CHECK(down.outcome == DeliveryOutcome::kRetry);
  CHECK(down.http_status == 0);
  CHECK(Contains(down.error, "slack channel \"ops\" (http://127.0.0.1:"));
  CHECK_FALSE(Contains(down.error, "LongWebhookSecretPart1234"));

  // A receiver echoing the URL back in its error does not leak it either.
  Receiver host;
  host.On(secret_path, [&](const httplib::Request& req, httplib::Response& res) {
    res.status = 403;
    res.set_content("forbidden: " + req.path, "text/plain");
  });
  host.Start();
  const DeliveryResult echoed =
      Deliver(HttpClient(), Channel("discord", host.Url(secret_path)), Sample());
  CHECK(echoed.outcome == DeliveryOutcome::kPermanentFailure);
  CHECK(Contains(echoed.error, "forbidden"));
  CHECK_FALSE(Contains(echoed.error, "LongWebhookSecretPart1234"));
}

TEST_CASE("notify: channels are validated without quoting their secrets", "[notify]") {
  ChannelConfig ok = Channel("slack", "https://hooks.slack.com/services/T/B/x");
  CHECK(ValidateChannel(ok).ok());
  CHECK(ValidateChannel(Channel("webhook", "http://127.0.0.1:9/x")).ok());

  CHECK_FALSE(ValidateChannel(Channel("pager", "https://x.example")).ok());
  CHECK(Contains(ValidateChannel(Channel("pager", "https://x.example")).message(), "unknown kind"));
  CHECK_FALSE(ValidateChannel(Channel("", "https://x.example")).ok());
  CHECK_FALSE(ValidateChannel(Channel("discord", "")).ok());
  const Status ftp = ValidateChannel(Channel("teams", "ftp://x.example/SecretPath"));
  CHECK(ftp.code() == Status::Code::kInvalidArgument);
  CHECK_FALSE(Contains(ftp.message(), "SecretPath"));

  ChannelConfig telegram = Channel("telegram", "");
  CHECK_FALSE(ValidateChannel(telegram).ok());
  telegram.token = "1:abc";
  CHECK(Contains(ValidateChannel(telegram).message(), "chat_id"));
  telegram.chat_id = "42";
  CHECK(ValidateChannel(telegram).ok());
  telegram.token = "1:abc/../x";
  CHECK_FALSE(ValidateChannel(telegram).ok());
  CHECK_FALSE(Contains(ValidateChannel(telegram).message(), "1:abc"));

  ChannelConfig email = Channel("email", "smtp://mail.example:587");
  CHECK_FALSE(ValidateChannel(email).ok());
  email.from = "Earshot <alerts@example.com>";
  email.to = "ops@example.com, Bob <bob@example.com>";
  CHECK(ValidateChannel(email).ok());
  email.password = "hunter22";
  CHECK_FALSE(ValidateChannel(email).ok());
  email.username = "alerts";
  CHECK(ValidateChannel(email).ok());
  email.to = "ops@example.com\r\nBcc: x@evil.example";
  CHECK_FALSE(ValidateChannel(email).ok());
  email.to = "ops@example.com";
  email.url = "https://mail.example";
  CHECK_FALSE(ValidateChannel(email).ok());

  const DeliveryResult invalid = Deliver(HttpClient(), Channel("pager", "https://x"), Sample());
  CHECK(invalid.outcome == DeliveryOutcome::kPermanentFailure);
}

TEST_CASE("notify: email headers are encoded and folded and cannot be injected", "[notify]") {
  CHECK(EncodeHeaderText("plain ascii") == "plain ascii");
  const std::string long_ru = "Жалоба: " + std::string(60, 'x') + " верните деньги сейчас же";
  const std::string encoded = EncodeHeaderText(long_ru);
  CHECK(encoded.rfind("=?UTF-8?B?", 0) == 0);
  std::string decoded;
  size_t at = 0;
  while (at < encoded.size()) {
    const size_t start = encoded.find("=?UTF-8?B?", at);
    REQUIRE(start != std::string::npos);
    const size_t end = encoded.find("?=", start + 10);
    CHECK(end + 2 - start < 76);
    decoded += Base64Decode(encoded.substr(start + 10, end - start - 10));
    at = end + 2;
    if (at < encoded.size()) {
      CHECK(encoded.compare(at, 3, "\r\n ") == 0);
    }
  }
  CHECK(decoded == long_ru);
  CHECK(FormatRfc5322Date(1751364000000) == "Tue, 01 Jul 2025 10:00:00 +0000");
  CHECK(MailboxAddresses(" a@x.example, Bob <b@y.example> ,, ") ==
        std::vector<std::string>{"a@x.example", "b@y.example"});

  AlertMessage m = Sample();
  m.summary = "line one\r\nBcc: victim@example.com";
  m.delivery_id = "has spaces/and<angles>";
  ChannelConfig channel = Channel("email", "smtp://127.0.0.1:1");
  channel.from = "alerts@example.com";
  channel.to = "ops@example.com";
  const std::string text = BuildEmailMessage(channel, m, 1751364000000);
  CHECK_FALSE(Contains(text, "\r\nBcc:"));
  CHECK(Contains(text, "\r\nMessage-ID: <x"));
  CHECK(Contains(text, "@example.com>\r\n"));
}

TEST_CASE("notify: email goes over SMTP with the envelope, headers and a plain-text body",
          "[notify]") {
  LocalSmtpServer smtp;
  ChannelConfig channel = Channel("email", smtp.Url());
  channel.from = "Earshot <alerts@example.com>";
  channel.to = "ops@example.com, Bob <bob@example.com>";
  AlertMessage m = Sample();
  m.summary = "Клиент требует возврат <script> *now*";
  const DeliveryResult result = Deliver(HttpClient(), channel, m);
  INFO(result.error);
  REQUIRE(result.outcome == DeliveryOutcome::kDelivered);

  const auto messages = smtp.messages();
  REQUIRE(messages.size() == 1);
  const SmtpMessage& mail = messages[0];
  CHECK(mail.mail_from == "alerts@example.com");
  CHECK(mail.rcpt_to == std::vector<std::string>{"ops@example.com", "bob@example.com"});

  const std::string& data = mail.data;
  const size_t split = data.find("\r\n\r\n");
  REQUIRE(split != std::string::npos);
  const std::string headers = "\r\n" + data.substr(0, split + 2);
  const std::string body = data.substr(split + 4);
  CHECK(Contains(headers, "\r\nFrom: Earshot <alerts@example.com>\r\n"));
  CHECK(Contains(headers, "\r\nTo: ops@example.com, Bob <bob@example.com>\r\n"));
  CHECK(Contains(headers, "\r\nDate: "));
  CHECK(Contains(headers, " +0000\r\n"));
  CHECK(Contains(headers, "\r\nMessage-ID: <dlv-42@example.com>\r\n"));
  CHECK(Contains(headers, "\r\nMIME-Version: 1.0\r\n"));
  CHECK(Contains(headers, "\r\nContent-Type: text/plain; charset=utf-8\r\n"));
  CHECK(Contains(headers, "\r\nContent-Transfer-Encoding: 8bit\r\n"));
  const size_t subject_at = headers.find("\r\nSubject: ");
  REQUIRE(subject_at != std::string::npos);
  std::string subject;
  for (size_t at = headers.find("=?UTF-8?B?", subject_at);
       at != std::string::npos && headers.compare(at, 10, "=?UTF-8?B?") == 0;) {
    const size_t end = headers.find("?=", at + 10);
    subject += Base64Decode(headers.substr(at + 10, end - at - 10));
    at = end + 2;
    if (headers.compare(at, 3, "\r\n ") != 0) break;
    at += 3;
  }
  CHECK(subject == "[earshot] CRITICAL refund_demands: Клиент требует возврат <script> *now*");

  CHECK(Contains(body, "🚨 CRITICAL · refund_demands\r\n"));
  CHECK(Contains(body, "Клиент требует возврат <script> *now*\r\n"));
  CHECK(Contains(body, std::string("\"<script>x</script> *terrible* _service_ @everyone *") +
                           kEvidence + "*!\"\r\n"));
  CHECK(Contains(body, "+2 more mentions:\r\n- second <b>one</b>\r\n- third one\r\n"));
  CHECK(Contains(body, "Post: https://example.com/post/1?a=1&b=(2)\r\n"));
  CHECK(Contains(body, "Case: https://earshot.example/case/7\r\n"));
  CHECK(Contains(body, "delivery dlv-42"));
}

TEST_CASE("notify: SMTP 4xx and a closed port retry, 5xx is permanent", "[notify]") {
  AlertMessage m = Sample();
  ChannelConfig channel = Channel("email", "");
  channel.from = "alerts@example.com";
  channel.to = "ops@example.com";
  {
    LocalSmtpServer smtp;
    smtp.set_data_reply("451 4.3.0 try again later");
    channel.url = smtp.Url();
    const DeliveryResult later = Deliver(HttpClient(), channel, m);
    CHECK(later.outcome == DeliveryOutcome::kRetry);
    CHECK(Contains(later.error, "451"));
  }
  {
    LocalSmtpServer smtp;
    smtp.set_rcpt_reply("550 5.1.1 no such user");
    channel.url = smtp.Url();
    const DeliveryResult refused = Deliver(HttpClient(), channel, m);
    CHECK(refused.outcome == DeliveryOutcome::kPermanentFailure);
    CHECK(Contains(refused.error, "550"));
    CHECK(smtp.messages().empty());
  }
  std::string closed;
  {
    LocalSmtpServer smtp;
    closed = smtp.Url();
  }
  channel.url = closed;
  channel.username = "alerts";
  channel.password = "SmtpPassw0rd";
  const DeliveryResult down = Deliver(HttpClient(), channel, m);
  CHECK(down.outcome == DeliveryOutcome::kRetry);
  CHECK_FALSE(Contains(down.error, "SmtpPassw0rd"));
}
