#include "connectors/discourse/discourse_posts.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <map>

#include "connectors/html_text.h"
#include "connectors/json_fields.h"
#include "core/time.h"
#include "core/utf8.h"

namespace earshot {
namespace {

struct Topic {
  std::string title;
  std::string slug;
};

Mention PostToMention(const rapidjson::Value& post, int64_t id, const Topic& topic,
                      bool search_result, const std::string& source, const std::string& base) {
  Mention m;
  m.source = source;
  m.platform = "discourse";
  m.external_id = std::to_string(id);
  const std::string topic_id = json::Id(post, "topic_id");
  const std::string post_number = json::Id(post, "post_number");
  if (!topic_id.empty()) {
    m.url = base + "/t/" + (topic.slug.empty() ? "-" : topic.slug) + "/" + topic_id;
    if (!post_number.empty()) m.url += "/" + post_number;
    m.thread_id = topic_id;
  } else {
    m.url = base + "/p/" + m.external_id;
  }
  m.title = CollapseWhitespace(HtmlToText(topic.title));
  m.author.handle = json::String(post, "username");
  m.author.id = json::Id(post, "user_id");
  if (m.author.id.empty()) m.author.id = m.author.handle;
  m.author.name = json::String(post, "name");
  if (!m.author.handle.empty()) m.author.profile_url = base + "/u/" + m.author.handle;
  if (search_result) {
    m.text = HtmlToText(json::String(post, "blurb"));
  } else {
    m.text = json::String(post, "raw");
    if (m.text.empty()) m.text = HtmlToText(json::String(post, "cooked"));
  }
  m.created_at = ParseRfc3339(json::String(post, "created_at")).value_or(0);
  // updated_at also moves with likes and replies; a version above 1 says the text was edited.
  if (json::Int(post, "version").value_or(1) > 1) {
    m.edited_at = ParseRfc3339(json::String(post, "updated_at")).value_or(0);
  }
  const rapidjson::Value* deleted = json::Member(post, "deleted_at");
  m.deleted = (deleted && !deleted->IsNull()) || json::Bool(post, "hidden").value_or(false);
  m.engagement.likes = json::Count(post, "like_count");
  m.engagement.replies = json::Count(post, "reply_count");
  m.raw = json::Raw(post);
  return m;
}

}  // namespace

Result<DiscoursePage> ParseDiscoursePosts(std::string_view body, const std::string& source,
                                          const std::string& base_url) {
  rapidjson::Document doc;
  if (Status parsed = json::Parse(body, &doc); !parsed.ok()) return parsed;
  if (doc.IsArray()) {
    return Status::ParseError(
        "an array of result groups: the search format of Discourse before 2016, not supported");
  }
  if (!doc.IsObject()) {
    return Status::ParseError(std::string("expected a search or posts object, got ") +
                              json::TypeName(doc));
  }
  const rapidjson::Value* posts = json::Member(doc, "latest_posts");
  const bool search = posts == nullptr;
  if (search) posts = json::Member(doc, "posts");
  if (!posts) {
    if (std::string error = DiscourseErrorMessage(body); !error.empty()) {
      return Status::ParseError("an error, not posts: " + error);
    }
    return Status::ParseError("no \"posts\" or \"latest_posts\" array");
  }
  if (!posts->IsArray()) {
    return Status::ParseError(std::string(search ? "\"posts\"" : "\"latest_posts\"") + " is " +
                              json::TypeName(*posts) + ", not an array");
  }
  std::map<std::string, Topic> topics;
  if (const rapidjson::Value* list = json::Member(doc, "topics"); list && list->IsArray()) {
    for (const auto& t : list->GetArray()) {
      const std::string id = json::Id(t, "id");
      if (!id.empty()) topics[id] = {json::String(t, "title"), json::String(t, "slug")};
    }
  }
  DiscoursePage page;
  page.posts = posts->Size();
  if (const rapidjson::Value* grouped = json::Member(doc, "grouped_search_result")) {
    page.more = json::Bool(*grouped, "more_full_page_results").value_or(false) ||
                json::Bool(*grouped, "more_posts").value_or(false);
  }
  for (rapidjson::SizeType i = 0; i < posts->Size(); ++i) {
    const rapidjson::Value& post = (*posts)[i];
    const std::string where = "post " + std::to_string(i);
    if (!post.IsObject()) {
      page.warnings.push_back(where + " skipped: " + json::TypeName(post) + ", not an object");
      continue;
    }
    const auto id = json::Int(post, "id");
    if (!id || *id <= 0) {
      page.warnings.push_back(where + " skipped: no \"id\"");
      continue;
    }
    page.lowest_id = page.lowest_id == 0 ? *id : std::min(page.lowest_id, *id);
    if (json::Int(post, "post_type").value_or(1) == 3) continue;  // "closed the topic"
    Topic topic;
    if (auto it = topics.find(json::Id(post, "topic_id")); it != topics.end()) topic = it->second;
    if (topic.slug.empty()) topic.slug = json::String(post, "topic_slug");
    if (topic.title.empty()) topic.title = json::String(post, "topic_title");
    page.mentions.push_back(PostToMention(post, *id, topic, search, source, base_url));
    page.ids.push_back(*id);
  }
  return page;
}

std::string DiscourseErrorMessage(std::string_view body) {
  rapidjson::Document doc;
  if (!json::Parse(body, &doc).ok() || !doc.IsObject()) return "";
  std::string message = json::String(doc, "error_type");
  if (const rapidjson::Value* errors = json::Member(doc, "errors");
      errors && errors->IsArray() && !errors->Empty()) {
    const std::string first = json::Utf8((*errors)[0]);
    if (!first.empty()) message += message.empty() ? first : ": " + first;
  }
  if (message.empty()) message = json::String(doc, "error");
  return std::string(TruncateUtf8(CollapseWhitespace(message), 200));
}

}  // namespace earshot
