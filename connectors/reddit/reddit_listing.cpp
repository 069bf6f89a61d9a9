#include "connectors/reddit/reddit_listing.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "connectors/json_fields.h"
#include "core/utf8.h"

namespace earshot {
namespace {

constexpr const char* kSite = "https://www.reddit.com";

bool IsGone(const std::string& text) {
  return text == "[deleted]" || text == "[removed]";
}

Mention ThingToMention(const rapidjson::Value& data, bool is_post, const std::string& source) {
  Mention m;
  m.source = source;
  m.platform = "reddit";
  m.external_id = json::String(data, "name");
  const std::string permalink = json::String(data, "permalink");
  m.url = permalink.rfind("https://", 0) == 0 ? permalink : kSite + permalink;
  m.author.handle = json::String(data, "author");
  m.author.id = json::String(data, "author_fullname");
  if (!m.author.handle.empty() && !IsGone(m.author.handle)) {
    m.author.profile_url = std::string(kSite) + "/user/" + m.author.handle;
  }
  if (is_post) {
    m.title = json::String(data, "title");
    m.text = json::String(data, "selftext");
    m.thread_id = m.external_id;
    m.engagement.replies = json::Count(data, "num_comments");
  } else {
    m.text = json::String(data, "body");
    m.thread_id = json::String(data, "link_id");
    m.parent_id = json::String(data, "parent_id");
  }
  // The body is all the listing says of a deletion: the author's "[deleted]", a moderator's
  // "[removed]".
  if (IsGone(m.text)) {
    m.text.clear();
    m.deleted = true;
  }
  if (auto created = json::Double(data, "created_utc");
      created && *created > 0 && *created < 1e11) {
    m.created_at = static_cast<int64_t>(std::llround(*created * 1000));
  }
  // "edited" is false, or the edit's time in epoch seconds.
  if (auto edited = json::Double(data, "edited"); edited && *edited > 0 && *edited < 1e11) {
    m.edited_at = static_cast<int64_t>(std::llround(*edited * 1000));
  }
  m.engagement.likes = json::Count(data, "score");
  m.raw = json::Raw(data);
  return m;
}

// The listing's children array, or why there is none.
Result<const rapidjson::Value*> Children(const rapidjson::Value& listing) {
  if (!listing.IsObject()) {
    return Status::ParseError(std::string("expected a Listing object, got ") +
                              json::TypeName(listing));
  }
  const std::string kind = json::String(listing, "kind");
  if (kind != "Listing") {
    return Status::ParseError(kind.empty() ? "expected a Listing, got an object without \"kind\""
                                           : "expected a Listing, got kind \"" +
                                                 std::string(TruncateUtf8(kind, 40)) + "\"");
  }
  const rapidjson::Value* data = json::Member(listing, "data");
  if (!data || !data->IsObject()) return Status::ParseError("Listing without a \"data\" object");
  const rapidjson::Value* children = json::Member(*data, "children");
  if (!children || !children->IsArray()) {
    return Status::ParseError(std::string("Listing \"children\" is ") +
                              (children ? json::TypeName(*children) : "missing") +
                              ", not an array");
  }
  return children;
}

}  // namespace

Result<RedditListing> ParseRedditListing(std::string_view body, const std::string& source) {
  rapidjson::Document doc;
  if (Status parsed = json::Parse(body, &doc); !parsed.ok()) return parsed;
  std::vector<const rapidjson::Value*> listings;
  if (doc.IsArray()) {
    for (const auto& v : doc.GetArray())
      listings.push_back(&v);
  } else if (doc.IsObject()) {
    if (!json::Member(doc, "kind")) {
      if (std::string error = RedditErrorMessage(body); !error.empty()) {
        return Status::ParseError("an error, not a listing: " + error);
      }
    }
    listings.push_back(&doc);
  } else {
    return Status::ParseError(std::string("expected a Listing object, got ") + json::TypeName(doc));
  }

  RedditListing out;
  std::set<std::string> seen;
  // Children to read, with where they came from; replies nest, read without recursion.
  struct Pending {
    const rapidjson::Value* child;
    std::string where;
  };
  std::vector<const rapidjson::Value*> tops;
  for (size_t l = 0; l < listings.size(); ++l) {
    auto children = Children(*listings[l]);
    if (!children.ok()) return children.status();
    if (l == 0) {
      const rapidjson::Value& data = (*listings[l])["data"];
      out.after = json::String(data, "after");
      out.before = json::String(data, "before");
    }
    out.children += (*children)->Size();
    tops.push_back(*children);
  }
  // A stack: pushed last to first, so the listings' order comes out.
  std::vector<Pending> pending;
  for (size_t l = tops.size(); l-- > 0;) {
    const std::string prefix = tops.size() > 1 ? "listing " + std::to_string(l) + " " : "";
    for (rapidjson::SizeType i = tops[l]->Size(); i-- > 0;) {
      pending.push_back({&(*tops[l])[i], prefix + "child " + std::to_string(i)});
    }
  }
  while (!pending.empty()) {
    Pending next = std::move(pending.back());
    pending.pop_back();
    const rapidjson::Value& child = *next.child;
    if (!child.IsObject()) {
      out.warnings.push_back(next.where + " skipped: " + json::TypeName(child) + ", not an object");
      continue;
    }
    const std::string kind = json::String(child, "kind");
    if (kind == "more") continue;  // "load more comments" stubs
    const rapidjson::Value* data = json::Member(child, "data");
    if (kind != "t3" && kind != "t1") {
      out.warnings.push_back(next.where + " skipped: kind \"" +
                             std::string(TruncateUtf8(kind, 40)) + "\" is not a post or comment");
      continue;
    }
    if (!data || !data->IsObject()) {
      out.warnings.push_back(next.where + " skipped: no \"data\" object");
      continue;
    }
    // A comment's replies: a Listing, or "" when there are none.
    if (const rapidjson::Value* replies = json::Member(*data, "replies");
        replies && replies->IsObject()) {
      if (auto children = Children(*replies); children.ok()) {
        for (rapidjson::SizeType i = (*children)->Size(); i-- > 0;) {
          pending.push_back({&(**children)[i], next.where + " reply " + std::to_string(i)});
        }
      }
    }
    const std::string name = json::String(*data, "name");
    if (name.rfind(kind + "_", 0) != 0 || name.size() == kind.size() + 1) {
      out.warnings.push_back(next.where + " skipped: no fullname in \"name\"");
      continue;
    }
    Mention m = ThingToMention(*data, kind == "t3", source);
    const int64_t created = m.created_at / 1000;
    if (out.newest.empty() || created > out.newest_created) {
      out.newest = name;
      out.newest_created = created;
    }
    if (kind == "t1" && m.text.empty() && !m.deleted) continue;  // a comment without a body
    if (seen.insert(m.external_id).second) out.mentions.push_back(std::move(m));
  }
  return out;
}

std::string RedditErrorMessage(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return "";
  std::string message = json::String(doc, "message");
  if (message.empty()) message = json::String(doc, "error");
  for (const char* key : {"reason", "explanation", "error_description"}) {
    if (std::string more = json::String(doc, key); !more.empty() && more != message) {
      message += message.empty() ? more : ": " + more;
    }
  }
  // {"json": {"errors": [["CODE", "explanation", "field"]]}}
  if (const rapidjson::Value* wrapper = json::Member(doc, "json")) {
    if (const rapidjson::Value* errors = json::Member(*wrapper, "errors");
        errors && errors->IsArray()) {
      for (const auto& e : errors->GetArray()) {
        if (!e.IsArray()) continue;
        for (const auto& part : e.GetArray()) {
          if (!part.IsString()) continue;
          message += (message.empty() ? "" : " ") + json::Utf8(part);
          break;
        }
        if (e.Size() > 1 && e[1].IsString()) {
          message += ": " + json::Utf8(e[1]);
        }
      }
    }
  }
  return std::string(TruncateUtf8(CollapseWhitespace(message), 200));
}

}  // namespace earshot
