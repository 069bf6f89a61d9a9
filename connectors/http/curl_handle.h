// Owners for libcurl's handles, so every early return frees them. Internal to connectors/http.
#pragma once

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

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

struct MultiDeleter {
  void operator()(CURLM* handle) const { curl_multi_cleanup(handle); }
};
using Multi = std::unique_ptr<CURLM, MultiDeleter>;

// The easy handles on a multi handle; detaches whatever is still attached when it goes, which
// must be before the multi and easy handles themselves are freed (declare it after them).
class Attached {
 public:
  explicit Attached(CURLM* multi) : multi_(multi) {}
  ~Attached() {
    for (CURL* easy : easies_)
      curl_multi_remove_handle(multi_, easy);
  }
  Attached(const Attached&) = delete;
  Attached& operator=(const Attached&) = delete;

  bool Add(CURL* easy) {
    if (curl_multi_add_handle(multi_, easy) != CURLM_OK) return false;
    easies_.push_back(easy);
    return true;
  }
  void Remove(CURL* easy) {
    curl_multi_remove_handle(multi_, easy);
    easies_.erase(std::remove(easies_.begin(), easies_.end(), easy), easies_.end());
  }

 private:
  CURLM* multi_;
  std::vector<CURL*> easies_;
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
