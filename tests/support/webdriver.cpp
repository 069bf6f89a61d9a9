#include "tests/support/webdriver.h"

#include <httplib.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "tests/support/process.h"

namespace earshot::testing {
namespace {

constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";

std::string Executable(const char* env, const char* fallback) {
  const char* set = std::getenv(env);
  std::string path = set && *set ? set : fallback;
  return access(path.c_str(), X_OK) == 0 ? path : std::string();
}

std::string Quote(const std::string& s) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return buffer.GetString();
}

std::string Str(const rapidjson::Value& v) {
  return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : std::string();
}

std::string DecodeBase64(const std::string& in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned int buffer = 0;
  int bits = 0;
  for (char c : in) {
    size_t v = kAlphabet.find(c);
    if (v == std::string::npos) continue;  // '=', line breaks
    buffer = (buffer << 6) | static_cast<unsigned int>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

using Clock = std::chrono::steady_clock;

void Pause() {
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

}  // namespace

BrowserTools FindBrowserTools() {
  return {Executable("EARSHOT_CHROMIUM", "/usr/bin/chromium"),
          Executable("EARSHOT_CHROMEDRIVER", "/usr/bin/chromedriver")};
}

HeadlessBrowser::HeadlessBrowser(const BrowserTools& tools, const std::string& user_data_dir,
                                 int width, int height) {
  // Port 0: ChromeDriver picks a free one and says which on stdout.
  driver_ = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{tools.chromedriver, "--port=0"}, /*stdout_too=*/true);
  const std::string marker = "was started successfully on port ";
  if (!driver_->WaitForStderr(marker, 10'000)) {
    throw std::runtime_error("chromedriver did not start: " + driver_->Stderr());
  }
  std::string log = driver_->Stderr();
  int port = std::atoi(log.c_str() + log.find(marker) + marker.size());
  if (port <= 0) throw std::runtime_error("chromedriver's port is not in: " + log);
  client_ = std::make_unique<httplib::Client>("127.0.0.1", port);
  client_->set_connection_timeout(5);
  client_->set_read_timeout(60);
  client_->set_write_timeout(10);

  const std::string size = std::to_string(width) + "," + std::to_string(height);
  rapidjson::Document created = Command("POST", "/session",
                                        R"({"capabilities":{"alwaysMatch":{
      "browserName":"chrome","goog:chromeOptions":{"binary":)" +
                                            Quote(tools.chromium) +
                                            R"(,"args":[
      "--headless=new","--no-sandbox","--disable-gpu","--disable-dev-shm-usage",
      "--no-first-run","--no-default-browser-check","--disable-extensions",
      "--window-size=)" + size + R"(","--user-data-dir=)" +
                                            user_data_dir + R"("]}}}})");
  if (!created.IsObject() || !created.HasMember("sessionId")) {
    throw std::runtime_error("chromedriver created no session: " + DriverLog());
  }
  session_ = Str(created["sessionId"]);
}

HeadlessBrowser::~HeadlessBrowser() {
  if (client_) {
    client_->set_read_timeout(10);
    if (!session_.empty()) client_->Delete("/session/" + session_);  // closes Chromium
    client_->Get("/shutdown");
  }
  if (driver_) {
    if (driver_->Wait(5'000) == -1) {
      driver_->Signal(SIGTERM);
      driver_->Wait(2'000);
    }
  }
}

std::string HeadlessBrowser::DriverLog() const {
  return driver_ ? driver_->Stderr() : std::string();
}

std::string HeadlessBrowser::SessionPath(const std::string& rest) const {
  return "/session/" + session_ + rest;
}

rapidjson::Document HeadlessBrowser::Command(const std::string& method, const std::string& path,
                                             const std::string& body) {
  httplib::Result res = method == "GET"      ? client_->Get(path)
                        : method == "DELETE" ? client_->Delete(path)
                                             : client_->Post(path, body, "application/json");
  if (!res) {
    throw std::runtime_error("chromedriver: " + method + " " + path +
                             " failed: " + httplib::to_string(res.error()));
  }
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("value")) {
    throw std::runtime_error("chromedriver: " + method + " " + path + ": " + res->body);
  }
  rapidjson::Document value;
  value.CopyFrom(doc["value"], value.GetAllocator());
  if (res->status != 200) {
    std::string error = value.IsObject() && value.HasMember("error") ? Str(value["error"]) : "";
    std::string message =
        value.IsObject() && value.HasMember("message") ? Str(value["message"]) : res->body;
    throw WebDriverError(error.empty() ? "HTTP " + std::to_string(res->status) : error,
                         message.substr(0, message.find('\n')));
  }
  return value;
}

void HeadlessBrowser::Navigate(const std::string& url) {
  Command("POST", SessionPath("/url"), "{\"url\":" + Quote(url) + "}");
}

std::optional<std::string> HeadlessBrowser::FindElement(const std::string& css) {
  try {
    auto found = Command("POST", SessionPath("/element"),
                         "{\"using\":\"css selector\",\"value\":" + Quote(css) + "}");
    return Str(found[kElementKey]);
  } catch (const WebDriverError& e) {
    if (e.error() == "no such element") return std::nullopt;
    throw;
  }
}

std::vector<std::string> HeadlessBrowser::FindElements(const std::string& css) {
  auto found = Command("POST", SessionPath("/elements"),
                       "{\"using\":\"css selector\",\"value\":" + Quote(css) + "}");
  std::vector<std::string> elements;
  for (const auto& e : found.GetArray())
    elements.push_back(Str(e[kElementKey]));
  return elements;
}

std::string HeadlessBrowser::Text(const std::string& element) {
  return Str(Command("GET", SessionPath("/element/" + element + "/text")));
}

bool HeadlessBrowser::Displayed(const std::string& element) {
  auto shown = Command("GET", SessionPath("/element/" + element + "/displayed"));
  return shown.IsBool() && shown.GetBool();
}

void HeadlessBrowser::Click(const std::string& element) {
  Command("POST", SessionPath("/element/" + element + "/click"));
}

void HeadlessBrowser::SendKeys(const std::string& element, const std::string& text) {
  Command("POST", SessionPath("/element/" + element + "/value"), "{\"text\":" + Quote(text) + "}");
}

void HeadlessBrowser::PressKeys(const std::string& keys) {
  // One key is one UTF-8 character.
  std::string actions;
  for (size_t i = 0; i < keys.size();) {
    size_t len = 1;
    auto lead = static_cast<unsigned char>(keys[i]);
    if (lead >= 0xF0)
      len = 4;
    else if (lead >= 0xE0)
      len = 3;
    else if (lead >= 0xC0)
      len = 2;
    std::string key = Quote(keys.substr(i, len));
    i += len;
    if (!actions.empty()) actions += ",";
    actions += R"({"type":"keyDown","value":)" + key + R"(},{"type":"keyUp","value":)" + key + "}";
  }
  Command("POST", SessionPath("/actions"),
          R"({"actions":[{"type":"key","id":"keyboard","actions":[)" + actions + "]}]}");
}

rapidjson::Document HeadlessBrowser::Execute(const std::string& script,
                                             const std::string& args_json) {
  return Command("POST", SessionPath("/execute/sync"),
                 "{\"script\":" + Quote(script) + ",\"args\":" + args_json + "}");
}

std::string HeadlessBrowser::Screenshot() {
  return DecodeBase64(Str(Command("GET", SessionPath("/screenshot"))));
}

std::string HeadlessBrowser::WaitForElement(const std::string& css, int timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string last_error;
  do {
    try {
      for (const auto& e : FindElements(css))
        if (Displayed(e)) return e;
    } catch (const WebDriverError& e) {
      last_error = e.what();  // stale: re-rendered while we looked
    }
    Pause();
  } while (Clock::now() < deadline);
  throw std::runtime_error("no displayed element '" + css + "' within " +
                           std::to_string(timeout_ms) + " ms " + last_error);
}

std::string HeadlessBrowser::WaitForText(const std::string& css, const std::string& needle,
                                         int timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string last;
  do {
    try {
      if (auto e = FindElement(css)) {
        last = Text(*e);
        if (last.find(needle) != std::string::npos) return last;
      }
    } catch (const WebDriverError&) {
    }
    Pause();
  } while (Clock::now() < deadline);
  throw std::runtime_error("'" + css + "' did not show '" + needle + "' within " +
                           std::to_string(timeout_ms) + " ms; its text: '" + last + "'");
}

void HeadlessBrowser::WaitUntil(const std::string& script, const std::string& what,
                                int timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  do {
    auto v = Execute(script);
    if (v.IsBool() && v.GetBool()) return;
    Pause();
  } while (Clock::now() < deadline);
  throw std::runtime_error("not within " + std::to_string(timeout_ms) + " ms: " + what);
}

void HeadlessBrowser::ClickWhenReady(const std::string& css, int timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string last_error;
  do {
    try {
      if (auto e = FindElement(css); e && Displayed(*e)) {
        Click(*e);
        return;
      }
    } catch (const WebDriverError& e) {
      last_error = e.what();  // stale or covered: re-rendered in between
    }
    Pause();
  } while (Clock::now() < deadline);
  throw std::runtime_error("could not click '" + css + "' within " + std::to_string(timeout_ms) +
                           " ms " + last_error);
}

}  // namespace earshot::testing
