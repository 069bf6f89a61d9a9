#include "connectors/youtube/youtube_comments.h"

#include <rapidjson/document.h>

#include "connectors/html_text.h"
#include "connectors/json_fields.h"
#include "connectors/url_query.h"
#include "core/time.h"
#include "core/utf8.h"

namespace earshot {
namespace {

bool IsYouTubeId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::optional<YouTubeError> ParseYouTubeError(std::string_view body) {
  return ParseGoogleApiError(body);
}

Result<YouTubeCommentPage> ParseYouTubeCommentThreads(std::string_view body,
                                                      const std::string& source) {
  rapidjson::Document doc;
  if (Status parsed = json::Parse(body, &doc); !parsed.ok()) return parsed;
  if (!doc.IsObject()) {
    return Status::ParseError(std::string("expected a commentThreads response object, got ") +
                              json::TypeName(doc));
  }
  const rapidjson::Value* items = json::Member(doc, "items");
  if (!items) {
    if (auto error = ParseYouTubeError(body)) {
      return Status::ParseError("an error, not comments: " + error->ToString());
    }
    return Status::ParseError("no \"items\" array: not a YouTube commentThreads response");
  }
  if (!items->IsArray()) {
    return Status::ParseError(std::string("\"items\" is ") + json::TypeName(*items) +
                              ", not an array");
  }
  YouTubeCommentPage page;
  page.items = items->Size();
  page.next_page_token = json::String(doc, "nextPageToken");
  for (rapidjson::SizeType i = 0; i < items->Size(); ++i) {
    const rapidjson::Value& thread = (*items)[i];
    const std::string where = "thread " + std::to_string(i);
    const rapidjson::Value* snippet = json::Member(thread, "snippet");
    const rapidjson::Value* top = json::Path(thread, {"snippet", "topLevelComment"});
    const rapidjson::Value* comment = top ? json::Member(*top, "snippet") : nullptr;
    if (!thread.IsObject() || !comment || !comment->IsObject()) {
      page.warnings.push_back(where + " skipped: no snippet.topLevelComment.snippet");
      continue;
    }
    std::string id = json::String(thread, "id");
    if (id.empty()) id = json::String(*top, "id");
    if (!IsYouTubeId(id)) {
      page.warnings.push_back(where + " skipped: no usable id");
      continue;
    }
    Mention m;
    m.source = source;
    m.platform = "youtube";
    m.external_id = id;
    std::string video = json::String(*comment, "videoId");
    if (video.empty()) video = json::String(*snippet, "videoId");
    std::string comment_id = json::String(*top, "id");
    if (comment_id.empty()) comment_id = id;
    if (!video.empty()) {
      m.url = "https://www.youtube.com/watch?v=" + PercentEncode(video) +
              "&lc=" + PercentEncode(comment_id);
      m.thread_id = video;
    } else if (std::string channel = json::String(*snippet, "channelId"); !channel.empty()) {
      m.url = "https://www.youtube.com/channel/" + PercentEncode(channel);
    }
    m.text = json::String(*comment, "textOriginal");
    if (m.text.empty()) m.text = HtmlToText(json::String(*comment, "textDisplay"));
    m.author.name = json::String(*comment, "authorDisplayName");
    if (m.author.name.rfind('@', 0) == 0) m.author.handle = m.author.name.substr(1);
    m.author.profile_url = json::String(*comment, "authorChannelUrl");
    if (const auto* channel = json::Member(*comment, "authorChannelId")) {
      m.author.id = json::String(*channel, "value");
    }
    if (auto t = ParseRfc3339(json::String(*comment, "publishedAt"))) m.created_at = *t;
    // updatedAt equals publishedAt until the author edits the comment.
    if (auto t = ParseRfc3339(json::String(*comment, "updatedAt")); t && *t > m.created_at) {
      m.edited_at = *t;
    }
    m.engagement.likes = json::Count(*comment, "likeCount");
    m.engagement.replies = json::Count(*snippet, "totalReplyCount");
    m.raw = json::Raw(thread);
    page.mentions.push_back(std::move(m));
  }
  return page;
}

}  // namespace earshot
