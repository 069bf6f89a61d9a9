// The page: a static shell with its script and styles from /assets (no inline code, so the
// Content-Security-Policy stays strict), and /plain, a server-rendered list for no-script use.
#include <sstream>

#include "core/time.h"
#include "daemon/web/html.h"
#include "daemon/web/page_assets.h"
#include "daemon/web/page_script.h"
#include "daemon/web/web_context.h"

namespace earshot::web {
namespace {

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
  for (const auto& r : row.reviews) {
    h << "<p class=\"verdict\">" << HtmlEscape(r.verdict) << " by " << HtmlEscape(r.reviewer)
      << (r.corrected_label.empty() ? "" : " (" + HtmlEscape(r.corrected_label) + ")") << "</p>";
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

void Plain(WebContext& ctx, const httplib::Request& req, httplib::Response& res) {
  MentionQuery q;
  q.flagged_only = req.get_param_value("all") != "1";
  q.text_search = req.get_param_value("q");
  q.limit = 200;
  auto rows = ctx.store.ListMentions(q);
  auto sources = ctx.store.ListSources();
  auto flagged = ctx.store.CountMentions(true);
  auto total = ctx.store.CountMentions(false);
  std::ostringstream h;
  h << "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<title>earshot: plain list</title>"
       "<link rel=\"stylesheet\" href=\"/assets/app.css\"></head><body class=\"plain\">"
       "<header class=\"top\"><h1>earshot</h1><p>"
    << (flagged.ok() ? *flagged : 0) << " flagged of " << (total.ok() ? *total : 0)
    << " mentions</p><nav><a href=\"/plain\">flagged</a> <a href=\"/plain?all=1\">all</a> "
       "<a href=\"/\">the review page</a></nav>"
       "<form method=\"get\" action=\"/plain\"><input type=\"search\" name=\"q\" "
       "placeholder=\"search\" aria-label=\"search\" value=\""
    << HtmlEscape(q.text_search) << "\"><input type=\"hidden\" name=\"all\" value=\"1\"></form>"
    << "</header><main class=\"plain\"><section><h2>"
    << (q.flagged_only ? "Flagged for review" : "All mentions") << "</h2>";
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
}

}  // namespace

void AddPageRoutes(httplib::Server& server, WebContext& ctx) {
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  server.Get("/assets/app.css", [](const httplib::Request&, httplib::Response& res) {
    SecurityHeaders(res);
    res.set_content(kPageCss, "text/css; charset=utf-8");
  });
  server.Get("/assets/app.js", [](const httplib::Request&, httplib::Response& res) {
    SecurityHeaders(res);
    res.set_content(kAppJs, "text/javascript; charset=utf-8");
  });
  server.Get("/", [](const httplib::Request&, httplib::Response& res) {
    SecurityHeaders(res);
    res.set_content(kPageHtml, "text/html; charset=utf-8");
  });
  server.Get("/plain", Guarded(ctx, Permission::kRead,
                               [&ctx](const httplib::Request& req, httplib::Response& res,
                                      const Caller&) { Plain(ctx, req, res); }));
}

}  // namespace earshot::web
