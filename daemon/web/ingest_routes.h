// Push ingest: POST /ingest/<source> for sources of kind webhook. A request is checked in this
// order, and nothing is stored unless every check passes:
//   404  no live webhook source of that name (503 while the daemon is not ready)
//   413  Content-Length (or the body read so far) over the source's max_body_bytes, or more
//        than 1000 mentions
//   401  X-Earshot-Signature: sha256=HMAC(secret, X-Earshot-Timestamp + "." + body) wrong, or
//        the timestamp more than 5 minutes off; or X-Hub-Signature-256: sha256=HMAC(secret,
//        body) wrong; or no signature and the source does not allow unsigned requests. With
//        allow_unsigned, an unsigned request needs an admin bearer token when tokens are set
//        (403 for another role) and Content-Type application/json (415), so a web page cannot
//        post one from a browser.
//   400  invalid UTF-8, malformed JSON (with line and column), a mention without text
//   200  {"inserted","duplicates","flagged","cases_opened","alerts_queued","filtered","dropped"}
//        once the mentions are committed: a replay answers 200 with duplicates.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <string_view>

namespace earshot::web {

struct WebContext;

void AddIngestRoutes(httplib::Server& server, WebContext& ctx);

// True for the paths AddIngestRoutes serves, whose bodies have their own, larger limits.
bool IsIngestPath(std::string_view path);

// How far X-Earshot-Timestamp may be from the server's clock.
inline constexpr int64_t kIngestClockSkewSeconds = 300;

}  // namespace earshot::web
