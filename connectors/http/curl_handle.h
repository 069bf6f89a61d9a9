// Owners for libcurl's handles, so every early return frees them. Internal to connectors/http.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <string>

namespace earshot::curl {

// Initialises libcurl's global state once per process, from any thread. Never cleaned up: other
// threads may still be mid-transfer when the process exits.
inline void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;

// A multi handle driving one easy handle, so the caller can wait in short slices and look at its
// stop flag between them. Declare it after the Easy it drives: it detaches the easy handle first.
class MultiTransfer {
 public:
  explicit MultiTransfer(CURL* easy) : easy_(easy), multi_(curl_multi_init()) {
    if (multi_ && curl_multi_add_handle(multi_, easy_) == CURLM_OK) attached_ = true;
  }
  ~MultiTransfer() {
    if (attached_) curl_multi_remove_handle(multi_, easy_);
    if (multi_) curl_multi_cleanup(multi_);
  }
  MultiTransfer(const MultiTransfer&) = delete;
  MultiTransfer& operator=(const MultiTransfer&) = delete;

  bool ok() const { return attached_; }
  CURLM* get() const { return multi_; }

 private:
  CURL* easy_;
  CURLM* multi_;
  bool attached_ = false;
};

class HeaderList {
 public:
  HeaderList() = default;
  ~HeaderList() { curl_slist_free_all(list_); }
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;

  // False when libcurl could not allocate; the list keeps what it had.
  bool Append(const std::string& line) {
    curl_slist* grown = curl_slist_append(list_, line.c_str());
    if (!grown) return false;
    list_ = grown;
    return true;
  }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

}  // namespace earshot::curl
