// Load generator for push ingest: sends N signed mentions to POST /ingest/<source> of a running
// daemon, one request at a time per sender (keep-alive), and times each from just before it is
// sent to its 200 answer, which the daemon gives only after the store committed the mention.
// usage: webhook_bench --port P --secret S [--source hook] [--count 2000] [--senders 1]
//                      [--prefix id-prefix]
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

namespace {

std::string HmacHex(const std::string& key, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xF];
  }
  return hex;
}

// The same mix as bench/ingest: four languages, complaints, questions, praise and, now and then,
// a churn or legal threat that opens a case and queues an alert with the shipped rules.
std::string Body(const std::string& prefix, int i) {
  static const char* kOpeners[] = {"Voltwave", "@voltwave", "Hey Voltwave,", "So Voltwave"};
  static const char* kBodies[] = {
      "my bill doubled and I want a refund",
      "support was quick and friendly today",
      "internet is down again since this morning",
      "does roaming work in Canada?",
      "верните деньги за месяц, интернет не работает",
      "świetna obsługa w salonie",
      "die Lieferung kam nie an, ich will mein Geld zurück",
      "the app logs me out every day",
      "I'm cancelling and switching to another provider",
      "my lawyer will hear about this overcharge",
  };
  const std::string text = std::string(kOpeners[i % 4]) + " " + kBodies[(i * 7 + i / 10) % 10] +
                           " #" + std::to_string(i);
  return "{\"id\":\"" + prefix + std::to_string(i) + "\",\"author\":\"@user" +
         std::to_string(i % 997) + "\",\"text\":\"" + text + "\"}";
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double rank = p * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(rank);
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - static_cast<double>(lo));
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0, count = 2000, senders = 1;
  std::string secret, source = "hook", prefix = "w";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--port") {
      port = std::atoi(value.c_str());
    } else if (flag == "--secret") {
      secret = value;
    } else if (flag == "--source") {
      source = value;
    } else if (flag == "--count") {
      count = std::atoi(value.c_str());
    } else if (flag == "--senders") {
      senders = std::max(1, std::atoi(value.c_str()));
    } else if (flag == "--prefix") {
      prefix = value;
    }
  }
  if (port <= 0 || secret.empty() || count <= 0) {
    std::fprintf(stderr,
                 "usage: webhook_bench --port P --secret S [--source hook] [--count 2000] "
                 "[--senders 1] [--prefix p]\n");
    return 2;
  }
  const std::string path = "/ingest/" + source;
  std::vector<std::vector<double>> latencies(static_cast<size_t>(senders));
  std::atomic<int> next{0}, errors{0}, inserted{0};
  std::atomic<bool> printed_error{false};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int s = 0; s < senders; ++s) {
    threads.emplace_back([&, s] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);  // as curl and most HTTP clients do
      client.set_read_timeout(30, 0);
      auto& mine = latencies[static_cast<size_t>(s)];
      for (int i = next++; i < count; i = next++) {
        const std::string body = Body(prefix, i);
        const auto t0 = std::chrono::steady_clock::now();
        const std::string timestamp = std::to_string(std::time(nullptr));
        httplib::Headers headers = {
            {"X-Earshot-Timestamp", timestamp},
            {"X-Earshot-Signature", "sha256=" + HmacHex(secret, timestamp + "." + body)}};
        auto r = client.Post(path, headers, body, "application/json");
        const auto t1 = std::chrono::steady_clock::now();
        if (!r || r->status != 200) {
          ++errors;
          if (!printed_error.exchange(true)) {
            std::fprintf(stderr, "webhook_bench: push %d failed: %s\n", i,
                         r ? (std::to_string(r->status) + " " + r->body).c_str()
                           : httplib::to_string(r.error()).c_str());
          }
          continue;
        }
        if (r->body.find("\"inserted\":1") != std::string::npos) ++inserted;
        mine.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
    });
  }
  for (auto& t : threads)
    t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<double> all;
  for (const auto& l : latencies)
    all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  std::printf(
      "webhook %d sender(s): %d pushes in %.2fs -> %.0f pushes/s; latency ms: median %.2f, "
      "p90 %.2f, p99 %.2f, max %.2f (inserted %d, errors %d)\n",
      senders, count, seconds, static_cast<double>(all.size()) / seconds, Percentile(all, 0.5),
      Percentile(all, 0.9), Percentile(all, 0.99), all.empty() ? 0.0 : all.back(), inserted.load(),
      errors.load());
  return errors == 0 ? 0 : 1;
}
