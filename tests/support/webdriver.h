#pragma once

#include <rapidjson/document.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace httplib {
class Client;
}

namespace earshot::testing {

class BackgroundProcess;

// Where Chromium and ChromeDriver are: $EARSHOT_CHROMIUM and $EARSHOT_CHROMEDRIVER, else Debian's
// /usr/bin/chromium and /usr/bin/chromedriver. A path is empty when that program is missing.
struct BrowserTools {
  std::string chromium;
  std::string chromedriver;
  bool found() const { return !chromium.empty() && !chromedriver.empty(); }
};
BrowserTools FindBrowserTools();

// A WebDriver command the driver answered with an error; `error` is its W3C error code
// ("no such element", "stale element reference", ...).
class WebDriverError : public std::runtime_error {
 public:
  WebDriverError(std::string error, const std::string& message)
      : std::runtime_error(error + ": " + message), error_(std::move(error)) {}
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

// A headless Chromium driven through ChromeDriver's W3C WebDriver HTTP API: ChromeDriver starts
// on a port it picks, with one session; the destructor ends the session and ChromeDriver.
// Element references are the strings WebDriver hands out. The Wait* calls poll every 50 ms and
// throw std::runtime_error when `timeout_ms` passes.
class HeadlessBrowser {
 public:
  HeadlessBrowser(const BrowserTools& tools, const std::string& user_data_dir, int width = 1280,
                  int height = 900);
  ~HeadlessBrowser();
  HeadlessBrowser(const HeadlessBrowser&) = delete;
  HeadlessBrowser& operator=(const HeadlessBrowser&) = delete;

  void Navigate(const std::string& url);
  std::optional<std::string> FindElement(const std::string& css);
  std::vector<std::string> FindElements(const std::string& css);
  std::string Text(const std::string& element);
  void Click(const std::string& element);
  void SendKeys(const std::string& element, const std::string& text);
  // Key presses to whatever has the focus, through the actions API (`keys` are single
  // characters or WebDriver key codes such as "\xEE\x80\x87" for Enter).
  void PressKeys(const std::string& keys);
  // Runs `script` (a function body; `arguments` are the JSON array `args_json`) and returns its
  // value as a JSON document.
  rapidjson::Document Execute(const std::string& script, const std::string& args_json = "[]");
  // The page as PNG bytes.
  std::string Screenshot();

  // The first element matching `css` that is displayed.
  std::string WaitForElement(const std::string& css, int timeout_ms = 10'000);
  // Until the text of the first element matching `css` contains `needle`; returns the text.
  std::string WaitForText(const std::string& css, const std::string& needle,
                          int timeout_ms = 10'000);
  // Until `script` returns true.
  void WaitUntil(const std::string& script, const std::string& what, int timeout_ms = 10'000);
  // Finds and clicks, again when the page re-rendered the element in between.
  void ClickWhenReady(const std::string& css, int timeout_ms = 10'000);

  // ChromeDriver's own output, for failure messages.
  std::string DriverLog() const;

 private:
  rapidjson::Document Command(const std::string& method, const std::string& path,
                              const std::string& body = "{}");
  std::string SessionPath(const std::string& rest) const;
  bool Displayed(const std::string& element);

  std::unique_ptr<BackgroundProcess> driver_;
  std::unique_ptr<httplib::Client> client_;
  std::string session_;
};

}  // namespace earshot::testing
