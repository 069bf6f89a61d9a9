// Mentions: the review queue's list, one mention in full, and reviewers' verdicts.
#include <algorithm>

#include "daemon/web/api_json.h"
#include "daemon/web/web_context.h"

namespace earshot::web {
namespace {

constexpr size_t kAuthorMentions = 20;

bool NameParam(const httplib::Request& req, httplib::Response& res, const char* name,
               std::string* out) {
  *out = req.get_param_value(name);
  if (out->size() > 100 || std::any_of(out->begin(), out->end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20;
      })) {
    SendJsonError(res, 400, std::string(name) + " is not a valid name");
    return false;
  }
  return true;
}

void ListMentions(WebContext& ctx, const httplib::Request& req, httplib::Response& res) {
  MentionQuery q;
  int64_t limit = 100, before = 0;
  if (!IntParam(req, res, "limit", 1, 1000, &limit)) return;
  // "cursor" is the documented name; "before" the older one.
  if (!IntParam(req, res, "before", 0, INT64_MAX, &before)) return;
  if (!IntParam(req, res, "cursor", 0, INT64_MAX, &before)) return;
  if (!BoolParam(req, res, "flagged", &q.flagged_only)) return;
  if (!BoolParam(req, res, "unreviewed", &q.unreviewed_only)) return;
  if (!NameParam(req, res, "source", &q.source) || !NameParam(req, res, "label", &q.label) ||
      !NameParam(req, res, "intent", &q.intent) || !NameParam(req, res, "lang", &q.lang)) {
    return;
  }
  q.text_search = req.get_param_value("q");
  if (q.text_search.size() > 500) return SendJsonError(res, 400, "q is too long");
  q.limit = static_cast<size_t>(limit);
  q.before_id = before;
  auto rows = ctx.store.ListMentions(q);
  if (!rows.ok()) return SendStoreError(res, rows.status());
  JsonWriter w;
  w.BeginObject().Key("mentions").BeginArray();
  for (const auto& row : *rows)
    WriteMentionRow(w, row);
  w.EndArray().Key("next_cursor");
  if (rows->size() == q.limit && !rows->empty()) {
    w.Int(rows->back().id);
  } else {
    w.Null();
  }
  // The older name of next_cursor, kept for existing callers.
  w.Key("next_before");
  if (rows->size() == q.limit && !rows->empty()) {
    w.Int(rows->back().id);
  } else {
    w.Null();
  }
  w.EndObject();
  SendJson(res, w.Finish());
}

void GetMention(WebContext& ctx, const httplib::Request& req, httplib::Response& res) {
  int64_t id = 0;
  if (!PathId(req, res, &id)) return;
  auto row = ctx.store.GetMention(id);
  if (!row.ok()) return SendStoreError(res, row.status());
  if (!*row) return SendJsonError(res, 404, "no mention " + std::to_string(id));
  MentionQuery same;
  same.same_author_as = id;
  same.limit = kAuthorMentions;
  std::vector<StoredMention> others;
  if (!(*row)->annotated.mention.author.handle.empty() ||
      !(*row)->annotated.mention.author.id.empty() ||
      !(*row)->annotated.mention.author.name.empty()) {
    auto found = ctx.store.ListMentions(same);
    if (!found.ok()) return SendStoreError(res, found.status());
    others = std::move(found).value();
  }
  JsonWriter w;
  w.BeginObject().Key("mention");
  WriteMentionRow(w, **row, /*with_revisions=*/true);
  w.Key("author_mentions").BeginArray();
  for (const auto& other : others)
    WriteMentionRow(w, other);
  w.EndArray().EndObject();
  SendJson(res, w.Finish());
}

void PostReview(WebContext& ctx, const httplib::Request& req, httplib::Response& res,
                const Caller& caller) {
  int64_t id = 0;
  if (!PathId(req, res, &id)) return;
  JsonBody body;
  if (!body.Parse(req, res)) return;
  Review review;
  review.mention_id = id;
  review.reviewer = caller.who.name;
  review.at = NowMillis();
  if (!body.String(res, "verdict", 32, &review.verdict, true) ||
      !body.String(res, "corrected_label", 100, &review.corrected_label) ||
      !body.String(res, "note", 4000, &review.note)) {
    return;
  }
  if (review.verdict != "confirmed" && review.verdict != "false_positive" &&
      review.verdict != "not_relevant") {
    return SendJsonError(res, 400, "verdict must be confirmed, false_positive or not_relevant");
  }
  if (Status s = ctx.store.AddReview(review); !s.ok()) return SendStoreError(res, s);
  auto row = ctx.store.GetMention(id);
  if (!row.ok()) return SendStoreError(res, row.status());
  if (!*row) return SendJsonError(res, 404, "no mention " + std::to_string(id));
  JsonWriter w;
  w.BeginObject().Field("mention_id", id).Key("reviews").BeginArray();
  for (const auto& r : (*row)->reviews)
    WriteReview(w, r);
  w.EndArray().EndObject();
  SendJson(res, w.Finish(), 201);
}

}  // namespace

void AddMentionRoutes(httplib::Server& server, WebContext& ctx) {
  server.Get("/api/mentions", Guarded(ctx, Permission::kRead,
                                      [&ctx](const httplib::Request& req, httplib::Response& res,
                                             const Caller&) { ListMentions(ctx, req, res); }));
  server.Get(R"(/api/mentions/([^/]+))",
             Guarded(ctx, Permission::kRead,
                     [&ctx](const httplib::Request& req, httplib::Response& res, const Caller&) {
                       GetMention(ctx, req, res);
                     }));
  server.Post(R"(/api/mentions/([^/]+)/review)",
              Guarded(ctx, Permission::kReview,
                      [&ctx](const httplib::Request& req, httplib::Response& res,
                             const Caller& caller) { PostReview(ctx, req, res, caller); }));
}

}  // namespace earshot::web
