#include "daemon/web/web_server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <sstream>

#include "core/mention_json.h"
#include "daemon/web/html.h"
#include "daemon/web/page_assets.h"

namespace earshot {
namespace {

constexpr const char* kCsp =
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

void SecurityHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy", kCsp);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-store");
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

void SendJsonError(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content("{\"error\":" + JsonString(message) + "}", "application/json");
}

// Reads an optional non-negative integer parameter; false when present but malformed.
bool IntParam(const httplib::Request& req, const char* name, int64_t* out) {
  if (!req.has_param(name)) return true;
  std::string v = req.get_param_value(name);
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), *out);
  return ec == std::errc() && ptr == v.data() + v.size() && *out >= 0;
}

std::string MentionRowJson(const StoredMention& row) {
  std::ostringstream out;
  out << "{\"id\":" << row.id << ",\"stored_at\":" << JsonString(FormatRfc3339(row.stored_at))
      << ",\"flagged\":" << (row.annotated.flagged ? "true" : "false")
      << ",\"flag_reason\":" << JsonString(row.annotated.flag_reason)
      << ",\"labels\":" << LabelsToJson(row.annotated.labels)
      << ",\"mention\":" << MentionToJson(row.annotated.mention) << "}";
  return out.str();
}

bool IsWebLink(const std::string& url) {
  return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

std::string RenderMention(const StoredMention& row) {
  const Mention& m = row.annotated.mention;
  std::ostringstream h;
  h << "<article class=\"mention" << (row.annotated.flagged ? " flagged" : "") << "\">";
  h << "<header><span class=\"source\">" << HtmlEscape(m.source) << "</span> ";
  if (!m.author.handle.empty() || !m.author.name.empty()) {
    h << "<span class=\"author\">"
      << HtmlEscape(m.author.handle.empty() ? m.author.name : m.author.handle) << "</span> ";
  }
  h << "<time>" << FormatRfc3339(m.created_at ? m.created_at : row.stored_at) << "</time>";
  if (IsWebLink(m.url)) {
    h << " <a href=\"" << HtmlEscape(m.url) << "\" rel=\"noopener noreferrer\">original</a>";
  }
  h << "</header>";
  if (!m.title.empty()) {
    h << "<h3>" << HighlightEvidence(m.title, row.annotated.labels, "title") << "</h3>";
  }
  h << "<p>" << HighlightEvidence(m.text, row.annotated.labels, "") << "</p><ul class=\"labels\">";
  for (const auto& l : row.annotated.labels) {
    h << "<li class=\"label " << HtmlEscape(l.kind) << "\">"
      << HtmlEscape(l.kind == "pattern" ? l.name : l.kind + ": " + l.name) << "</li>";
  }
  h << "</ul>";
  if (row.annotated.flagged) {
    h << "<p class=\"reason\">flagged: " << HtmlEscape(row.annotated.flag_reason) << "</p>";
  }
  h << "</article>";
  return h.str();
}

std::string RenderSources(const std::vector<SourceState>& sources) {
  std::ostringstream h;
  h << "<table class=\"sources\"><thead><tr><th>source</th><th>kind</th><th>mentions</th>"
       "<th>last success</th><th>failures</th><th>last error</th></tr></thead><tbody>";
  for (const auto& s : sources) {
    h << "<tr" << (s.consecutive_failures ? " class=\"failing\"" : "") << "><td>"
      << HtmlEscape(s.name) << "</td><td>" << HtmlEscape(s.kind) << "</td><td>" << s.mention_count
      << "</td><td>" << (s.last_success_at ? FormatRfc3339(s.last_success_at) : "never")
      << "</td><td>" << s.consecutive_failures << "</td><td>" << HtmlEscape(s.last_error)
      << "</td></tr>";
  }
  h << "</tbody></table>";
  return h.str();
}

}  // namespace

WebServer::WebServer(Store& store) : store_(store), server_(std::make_unique<httplib::Server>()) {}

WebServer::~WebServer() {
  Stop();
}

void WebServer::Routes() {
  server_->set_payload_max_length(1 << 20);
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  server_->Get("/static/app.css", [](const httplib::Request&, httplib::Response& res) {
    SecurityHeaders(res);
    res.set_content(kPageCss, "text/css");
  });
  server_->Get("/api/sources", [this](const httplib::Request&, httplib::Response& res) {
    auto sources = store_.ListSources();
    if (!sources.ok()) return SendJsonError(res, 500, sources.status().message());
    std::ostringstream out;
    out << "{\"sources\":[";
    for (size_t i = 0; i < sources->size(); ++i) {
      const auto& s = (*sources)[i];
      out << (i ? "," : "") << "{\"name\":" << JsonString(s.name)
          << ",\"kind\":" << JsonString(s.kind) << ",\"mentions\":" << s.mention_count
          << ",\"last_success_at\":"
          << (s.last_success_at ? JsonString(FormatRfc3339(s.last_success_at)) : "null")
          << ",\"consecutive_failures\":" << s.consecutive_failures
          << ",\"last_error\":" << JsonString(s.last_error) << "}";
    }
    out << "]}";
    res.set_content(out.str(), "application/json");
  });
  server_->Get("/api/mentions", [this](const httplib::Request& req, httplib::Response& res) {
    MentionQuery q;
    int64_t limit = 100, before = 0;
    if (!IntParam(req, "limit", &limit) || !IntParam(req, "before", &before) || limit == 0) {
      return SendJsonError(res, 400, "limit and before take positive integers");
    }
    q.limit = static_cast<size_t>(std::min<int64_t>(limit, 1000));
    q.before_id = before;
    q.flagged_only =
        req.get_param_value("flagged") == "true" || req.get_param_value("flagged") == "1";
    q.source = req.get_param_value("source");
    q.label = req.get_param_value("label");
    q.text_search = req.get_param_value("q");
    auto rows = store_.ListMentions(q);
    if (!rows.ok()) {
      bool bad_input = rows.status().code() == Status::Code::kInvalidArgument;
      return SendJsonError(res, bad_input ? 400 : 500, rows.status().message());
    }
    std::string out = "{\"mentions\":[";
    for (size_t i = 0; i < rows->size(); ++i)
      out += (i ? "," : "") + MentionRowJson((*rows)[i]);
    out += "],\"next_before\":";
    out += rows->size() == q.limit && !rows->empty() ? std::to_string(rows->back().id) : "null";
    out += "}";
    res.set_content(out, "application/json");
  });
  server_->Get("/", [this](const httplib::Request& req, httplib::Response& res) {
    SecurityHeaders(res);
    MentionQuery q;
    q.flagged_only = req.get_param_value("all") != "1";
    q.text_search = req.get_param_value("q");
    q.limit = 200;
    auto rows = store_.ListMentions(q);
    auto sources = store_.ListSources();
    auto flagged = store_.CountMentions(true);
    auto total = store_.CountMentions(false);
    std::ostringstream h;
    h << "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta http-equiv=\"refresh\" content=\"30\"><title>earshot review queue</title>"
         "<link rel=\"stylesheet\" href=\"/static/app.css\"></head><body><header class=\"top\">"
         "<h1>earshot</h1><p>"
      << (flagged.ok() ? *flagged : 0) << " flagged of " << (total.ok() ? *total : 0)
      << " mentions</p><nav><a href=\"/\">flagged</a> <a href=\"/?all=1\">all</a></nav>"
         "<form method=\"get\" action=\"/\"><input type=\"search\" name=\"q\" "
         "placeholder=\"search\" value=\""
      << HtmlEscape(q.text_search) << "\"><input type=\"hidden\" name=\"all\" value=\"1\"></form>"
      << "</header><main><section><h2>" << (q.flagged_only ? "Flagged for review" : "All mentions")
      << "</h2>";
    if (!rows.ok()) {
      h << "<p class=\"error\">" << HtmlEscape(rows.status().message()) << "</p>";
    } else if (rows->empty()) {
      h << "<p>Nothing here yet.</p>";
    } else {
      for (const auto& row : *rows)
        h << RenderMention(row);
    }
    h << "</section><section><h2>Sources</h2>" << (sources.ok() ? RenderSources(*sources) : "")
      << "</section></main></body></html>";
    res.set_content(h.str(), "text/html; charset=utf-8");
  });
}

Status WebServer::Start(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return Status::InvalidArgument("listen must be host:port");
  std::string host = listen.substr(0, colon);
  int port = 0;
  auto port_text = listen.substr(colon + 1);
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || port < 0 || port > 65535) {
    return Status::InvalidArgument("bad port in '" + listen + "'");
  }
  Routes();
  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
  } else {
    port_ = server_->bind_to_port(host, port) ? port : -1;
  }
  if (port_ <= 0) return Status::IoError("cannot listen on " + listen + " (address in use?)");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return Status::Ok();
}

void WebServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace earshot
