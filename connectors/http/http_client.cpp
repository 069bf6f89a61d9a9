#include "connectors/http/http_client.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>

#include "connectors/http/curl_handle.h"
#include "connectors/http/redact.h"
#include "connectors/http/source_traffic.h"

namespace earshot {
namespace {

// How long one wait for socket activity may last before the cancel flag is looked at again.
constexpr int kPollSliceMs = 50;

struct Transfer {
  HttpResponse* response = nullptr;
  size_t max_body = 0;
  bool head = false;
  bool follow_redirects = false;
  const std::atomic<bool>* cancel = nullptr;
  int current_status = 0;
  std::optional<uint64_t> content_length;
  bool too_large = false;
};

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == '\r' || s.back() == '\n' || s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (n > t->max_body - std::min(t->max_body, t->response->body.size())) {
    t->too_large = true;
    return 0;  // libcurl fails the transfer with CURLE_WRITE_ERROR
  }
  t->response->body.append(data, n);
  return n;
}

// Called once per header line of every response in a redirect chain, status line included.
size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {  // a new response: only the final one's headers are kept
    t->response->headers.clear();
    t->response->body.clear();
    t->content_length.reset();
    t->current_status = 0;
    if (size_t space = line.find(' '); space != std::string_view::npos) {
      std::string_view code = line.substr(space + 1, 3);
      std::from_chars(code.data(), code.data() + code.size(), t->current_status);
    }
    return n;
  }
  if (Trim(line).empty()) {  // end of this response's headers: refuse a declared oversize body
    const bool has_body = !t->head && t->current_status != 304 && t->current_status >= 200 &&
                          !(t->follow_redirects && IsRedirect(t->current_status));
    if (has_body && t->content_length && *t->content_length > t->max_body) {
      t->too_large = true;
      return 0;
    }
    return n;
  }
  if ((line.front() == ' ' || line.front() == '\t') && !t->response->headers.empty()) {
    auto& value = t->response->headers.back().second;  // an obsolete folded continuation line
    value += ' ';
    value += Trim(line);
    return n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;
  std::string name = Lower(Trim(line.substr(0, colon)));
  std::string value(Trim(line.substr(colon + 1)));
  if (name == "content-length" && !t->content_length) {
    uint64_t length = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (ec == std::errc() && end == value.data() + value.size()) t->content_length = length;
  }
  t->response->headers.emplace_back(std::move(name), std::move(value));
  return n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return t->cancel && t->cancel->load() ? 1 : 0;
}

bool HasScheme(const std::string& url, std::string_view scheme) {
  return url.size() > scheme.size() && Lower(url.substr(0, scheme.size())) == scheme;
}

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// A request libcurl would send malformed, or that would smuggle extra header lines.
std::optional<std::string> WhyUnsendable(const HttpRequest& request) {
  if (!HasScheme(request.url, "http://") && !HasScheme(request.url, "https://")) {
    return "only http:// and https:// URLs are allowed";
  }
  if (request.method.empty() ||
      !std::all_of(request.method.begin(), request.method.end(), IsTokenChar)) {
    return "invalid method";
  }
  auto has_line_break = [](std::string_view s) {
    return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
  };
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar)) {
      return "invalid header name \"" + name + "\"";
    }
    if (has_line_break(value)) return "header " + name + " has a line break in its value";
  }
  for (const auto* value :
       {&request.url, &request.user_agent, &request.if_none_match, &request.if_modified_since}) {
    if (has_line_break(*value)) return "line break in the request";
  }
  return std::nullopt;
}

long ClampLong(int64_t v) {
  return static_cast<long>(std::clamp<int64_t>(v, 0, std::numeric_limits<long>::max()));
}

struct Failure {
  const HttpRequest& request;
  const Transfer& transfer;
  CURL* easy;
  const char* error_buffer;
  const std::string& multi_error;
};

std::string Explain(CURLcode rc, const Failure& f) {
  const HttpRequest& request = f.request;
  if (f.transfer.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    std::string m = "body larger than " + std::to_string(request.max_body_bytes) + " bytes";
    if (f.transfer.content_length) {
      m += " (Content-Length: " + std::to_string(*f.transfer.content_length) + ")";
    }
    return m;
  }
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    curl_off_t connect_us = 0;
    curl_easy_getinfo(f.easy, CURLINFO_CONNECT_TIME_T, &connect_us);
    if (connect_us == 0 && request.connect_timeout_ms < request.timeout_ms) {
      return std::string(curl_easy_strerror(rc)) + " after " +
             std::to_string(request.connect_timeout_ms) + " ms while connecting";
    }
    curl_off_t received = 0;
    curl_easy_getinfo(f.easy, CURLINFO_SIZE_DOWNLOAD_T, &received);
    return std::string(curl_easy_strerror(rc)) + " after " + std::to_string(request.timeout_ms) +
           " ms (" + std::to_string(received) + " bytes received)";
  }
  if (rc == CURLE_TOO_MANY_REDIRECTS) {
    return "more than " + std::to_string(request.max_redirects) + " redirects";
  }
  const std::string location = f.transfer.response->Header("location");
  if (rc == CURLE_UNSUPPORTED_PROTOCOL && IsRedirect(f.transfer.current_status) &&
      !location.empty()) {
    return "refused redirect to " + RedactUrl(location) + ": only http and https are allowed";
  }
  if (rc == CURLE_PARTIAL_FILE) {
    return "body cut short: " + RedactUrlsIn(f.error_buffer[0] ? f.error_buffer : "");
  }
  if (!f.multi_error.empty()) return f.multi_error;
  // libcurl's messages can quote URLs; never let them carry a secret out.
  return RedactUrlsIn(f.error_buffer[0] ? f.error_buffer : curl_easy_strerror(rc));
}

// One request on its way: its easy handle and everything libcurl points into while it runs, so
// it stays put (held by pointer) from Setup to Finish.
struct Exchange {
  const HttpRequest* request = nullptr;
  std::string where;  // "GET <redacted url>"
  curl::Easy easy;
  curl::HeaderList headers;
  HttpResponse response;
  Transfer transfer;
  char error[CURL_ERROR_SIZE] = {0};
  std::string multi_error;
  CURLcode rc = CURLE_FAILED_INIT;
  bool done = false;
  std::optional<Status> refused;  // never sent
  bool breaker_admitted = false;
};

// Whether the request may go out now: well-formed, not cancelled, and let through by the
// source's circuit breaker and request gate, in that order (an open circuit spends no budget).
std::optional<Status> Admit(Exchange& x, const std::atomic<bool>* cancel) {
  const HttpRequest& request = *x.request;
  if (auto why = WhyUnsendable(request)) return Status::InvalidArgument(x.where + ": " + *why);
  if (cancel && cancel->load()) return Status::Aborted(x.where + ": cancelled");
  if (SourceTraffic* traffic = ScopedSourceTraffic::Current()) {
    if (Status s = traffic->breaker().Allow(); !s.ok()) return s.WithContext(x.where);
    x.breaker_admitted = true;
    if (Status s = traffic->gate().Acquire(cancel); !s.ok()) {
      traffic->breaker().RecordAbandoned();
      x.breaker_admitted = false;
      return s.WithContext(x.where);
    }
  }
  return std::nullopt;
}

std::optional<Status> Setup(Exchange& x, const HttpClientOptions& options,
                            const std::atomic<bool>* cancel) {
  const HttpRequest& request = *x.request;
  x.easy.reset(curl_easy_init());
  if (!x.easy) return Status::NetworkError(x.where + ": cannot create a transfer");
  CURL* c = x.easy.get();
  const bool head = request.method == "HEAD";
  const int max_redirects = std::max(0, request.max_redirects);
  x.transfer.response = &x.response;
  x.transfer.max_body = request.max_body_bytes;
  x.transfer.head = head;
  x.transfer.follow_redirects = max_redirects > 0;
  x.transfer.cancel = cancel;

  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, x.error);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(c, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, max_redirects > 0 ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, static_cast<long>(max_redirects));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, ClampLong(request.connect_timeout_ms));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ClampLong(request.timeout_ms));
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl can undo
  const std::string& user_agent =
      request.user_agent.empty() ? options.user_agent : request.user_agent;
  curl_easy_setopt(c, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
  if (!options.ca_path.empty()) {
    std::error_code ec;
    const bool directory = std::filesystem::is_directory(options.ca_path, ec);
    curl_easy_setopt(c, directory ? CURLOPT_CAPATH : CURLOPT_CAINFO, options.ca_path.c_str());
  }
  if (!options.proxy.empty()) curl_easy_setopt(c, CURLOPT_PROXY, options.proxy.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &x.transfer);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &x.transfer);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &x.transfer);

  bool headers_ok = true;
  for (const auto& [name, value] : request.headers) {
    headers_ok &= x.headers.Append(name + ": " + value);
  }
  if (!request.if_none_match.empty()) {
    headers_ok &= x.headers.Append("If-None-Match: " + request.if_none_match);
  }
  if (!request.if_modified_since.empty()) {
    headers_ok &= x.headers.Append("If-Modified-Since: " + request.if_modified_since);
  }
  if (!headers_ok) return Status::NetworkError(x.where + ": out of memory for the headers");
  if (x.headers.get()) curl_easy_setopt(c, CURLOPT_HTTPHEADER, x.headers.get());

  if (head) {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
             request.method == "PATCH") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  if (request.method != "GET" && request.method != "POST" && !head) {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  return std::nullopt;
}

// Runs the transfers on one multi handle from this thread, at most `max_parallel` at a time, in
// short slices so a cancel is seen within kPollSliceMs even while every peer is silent.
void RunAll(const std::vector<Exchange*>& exchanges, const std::atomic<bool>* cancel,
            size_t max_parallel) {
  curl::Multi multi(curl_multi_init());
  auto fail_rest = [&](size_t from, CURLcode rc, const std::string& why) {
    for (size_t i = from; i < exchanges.size(); ++i) {
      Exchange& x = *exchanges[i];
      if (x.done) continue;
      x.rc = rc;
      x.multi_error = why;
      x.done = true;
    }
  };
  if (!multi) return fail_rest(0, CURLE_FAILED_INIT, "cannot start a transfer");
  curl::Attached attached(multi.get());
  size_t next = 0;
  size_t running_count = 0;
  auto start_more = [&] {
    while (next < exchanges.size() && running_count < std::max<size_t>(1, max_parallel)) {
      Exchange* x = exchanges[next++];
      if (!attached.Add(x->easy.get())) {
        x->multi_error = "cannot start a transfer";
        x->done = true;
        continue;
      }
      ++running_count;
    }
  };
  start_more();
  while (running_count > 0) {
    int running = 0;
    CURLMcode mc = curl_multi_perform(multi.get(), &running);
    if (mc != CURLM_OK) return fail_rest(0, CURLE_FAILED_INIT, curl_multi_strerror(mc));
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi.get(), &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      for (Exchange* x : exchanges) {
        if (x->easy.get() != msg->easy_handle) continue;
        x->rc = msg->data.result;
        x->done = true;
      }
      CURL* done = msg->easy_handle;
      attached.Remove(done);
      --running_count;
    }
    start_more();
    if (running_count == 0) break;
    if (cancel && cancel->load()) return fail_rest(0, CURLE_ABORTED_BY_CALLBACK, "");
    mc = curl_multi_poll(multi.get(), nullptr, 0, kPollSliceMs, nullptr);
    if (mc != CURLM_OK) return fail_rest(0, CURLE_FAILED_INIT, curl_multi_strerror(mc));
  }
  fail_rest(0, CURLE_FAILED_INIT, "transfer ended without a result");
}

// A transport failure or a 5xx counts against the source's circuit; a cancel or a body over the
// limit (the peer answered) does not.
void ReportToBreaker(const Exchange& x, const Result<HttpResponse>& result) {
  SourceTraffic* traffic = ScopedSourceTraffic::Current();
  if (!traffic || !x.breaker_admitted) return;
  CircuitBreaker& breaker = traffic->breaker();
  if (result.ok()) {
    traffic->ObserveRateLimit(*result);
    if (result->status >= 500) {
      breaker.RecordFailure("HTTP " + std::to_string(result->status));
    } else {
      breaker.RecordSuccess();
    }
    return;
  }
  if (result.status().code() == Status::Code::kAborted || x.transfer.too_large) {
    breaker.RecordAbandoned();
    return;
  }
  std::string why = result.status().message();
  if (why.rfind(x.where + ": ", 0) == 0) why.erase(0, x.where.size() + 2);
  breaker.RecordFailure(why);
}

Result<HttpResponse> Finish(Exchange& x) {
  const HttpRequest& request = *x.request;
  CURL* c = x.easy.get();
  HttpResponse& response = x.response;
  curl_off_t total_us = 0;
  curl_easy_getinfo(c, CURLINFO_TOTAL_TIME_T, &total_us);
  response.seconds = static_cast<double>(total_us) / 1e6;
  char* effective = nullptr;
  curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &effective);
  if (effective) response.effective_url = effective;

  if (x.rc != CURLE_OK) {
    if (x.rc == CURLE_ABORTED_BY_CALLBACK) return Status::Aborted(x.where + ": cancelled");
    std::string message =
        x.where + ": " + Explain(x.rc, {request, x.transfer, c, x.error, x.multi_error});
    long redirects = 0;
    curl_easy_getinfo(c, CURLINFO_REDIRECT_COUNT, &redirects);
    if (redirects > 0 && x.rc != CURLE_TOO_MANY_REDIRECTS && !response.effective_url.empty()) {
      message += " (redirected to " + RedactUrl(response.effective_url) + ")";
    }
    return Status::NetworkError(std::move(message));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return std::move(response);
}

}  // namespace

std::string HttpResponse::Header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return "";
}

HttpClient::HttpClient(HttpClientOptions options) : options_(std::move(options)) {
  curl::GlobalInit();
  if (options_.user_agent.empty()) options_.user_agent = std::string("earshot/") + EARSHOT_VERSION;
}

HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::Send(const HttpRequest& request,
                                      const std::atomic<bool>* cancel) const {
  return std::move(SendAll({request}, cancel, 1).front());
}

std::vector<Result<HttpResponse>> HttpClient::SendAll(const std::vector<HttpRequest>& requests,
                                                      const std::atomic<bool>* cancel,
                                                      int max_parallel) const {
  std::vector<std::unique_ptr<Exchange>> exchanges;
  std::vector<Exchange*> to_run;
  for (const HttpRequest& request : requests) {
    auto x = std::make_unique<Exchange>();
    x->request = &request;
    x->where = request.method + " " + RedactUrl(request.url);
    x->refused = Admit(*x, cancel);
    if (!x->refused) x->refused = Setup(*x, options_, cancel);
    if (!x->refused) to_run.push_back(x.get());
    exchanges.push_back(std::move(x));
  }
  if (!to_run.empty()) RunAll(to_run, cancel, static_cast<size_t>(std::max(1, max_parallel)));
  std::vector<Result<HttpResponse>> results;
  results.reserve(exchanges.size());
  for (auto& x : exchanges) {
    if (x->refused) {
      if (x->breaker_admitted) {
        if (SourceTraffic* traffic = ScopedSourceTraffic::Current())
          traffic->breaker().RecordAbandoned();
      }
      results.emplace_back(*x->refused);
      continue;
    }
    Result<HttpResponse> result = Finish(*x);
    ReportToBreaker(*x, result);
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace earshot
