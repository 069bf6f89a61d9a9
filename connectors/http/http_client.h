// A small blocking HTTP client over libcurl for the connectors: bounded in time, size and
// redirects, TLS verified, compressed transfer, conditional requests; several requests at once
// from one thread over a libcurl multi handle. One instance may be used from several threads at
// once (each call has its own handles). Requests sent on a thread with a SourceTraffic in scope
// pass that source's circuit breaker and request gate, and report back to them.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace earshot {

struct HttpClientOptions {
  std::string user_agent;  // empty: "earshot/<version>"
  std::string ca_path;     // CA bundle file or directory; empty: the system's
  std::string proxy;       // empty: libcurl reads http_proxy/https_proxy/no_proxy
  bool verify_tls = true;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // http:// or https:// only, as are redirects
  std::vector<std::pair<std::string, std::string>> headers;
  std::string user_agent;  // empty: the client's
  std::string body;
  std::string if_none_match;      // ETag from the last 200
  std::string if_modified_since;  // Last-Modified from the last 200
  int64_t connect_timeout_ms = 10'000;
  int64_t timeout_ms = 30'000;
  size_t max_body_bytes = 16 << 20;  // after decoding; larger bodies fail with a clear error
  int max_redirects = 5;             // 0: a 3xx is returned as it is
};

struct HttpResponse {
  int status = 0;
  // The final response's, after redirects; names lower-cased, in order.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;           // decoded (gzip/deflate undone)
  std::string effective_url;  // after redirects
  double seconds = 0;

  // First header with this (lower-case) name, or "".
  std::string Header(const std::string& lower_name) const;
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Any HTTP status is a successful Result; the caller decides what a 4xx/5xx means. Fails
  // (NetworkError) on DNS/connect/TLS errors, timeouts, too many or refused redirects, cut-short
  // bodies and bodies over the limit; Aborted soon after `cancel` is set; InvalidArgument for a
  // request that cannot be sent. Messages start with the method and the redacted URL.
  Result<HttpResponse> Send(const HttpRequest& request,
                            const std::atomic<bool>* cancel = nullptr) const;
  // Sends the requests concurrently from this thread, at most `max_parallel` in flight, and
  // returns one result per request, in their order, each as Send would.
  std::vector<Result<HttpResponse>> SendAll(const std::vector<HttpRequest>& requests,
                                            const std::atomic<bool>* cancel = nullptr,
                                            int max_parallel = 4) const;

 private:
  HttpClientOptions options_;
};

}  // namespace earshot
