#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace earshot::testing {

// One SMTP transaction as the server received it.
struct SmtpMessage {
  std::string helo;                  // the EHLO or HELO argument
  std::string mail_from;             // the address inside MAIL FROM:<...>
  std::vector<std::string> rcpt_to;  // the addresses inside RCPT TO:<...>
  std::string data;                  // the message after DATA, dot-stuffing undone, CRLFs kept
};

// A minimal SMTP receiver on 127.0.0.1 and a free port, for tests of email delivery: 220
// greeting, EHLO/HELO 250, MAIL FROM 250, RCPT TO 250, DATA 354, "." 250 (or the reply set with
// set_data_reply), RSET/NOOP 250, QUIT 221. No TLS, no AUTH. One connection at a time.
class LocalSmtpServer {
 public:
  LocalSmtpServer();  // listening once constructed; throws std::runtime_error when it cannot
  ~LocalSmtpServer();
  LocalSmtpServer(const LocalSmtpServer&) = delete;
  LocalSmtpServer& operator=(const LocalSmtpServer&) = delete;

  int port() const { return port_; }
  std::string Url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  // The whole reply line to the end of DATA, e.g. "451 4.3.0 try later"; default "250 OK".
  void set_data_reply(const std::string& reply);
  // The whole reply line to RCPT TO; default "250 OK".
  void set_rcpt_reply(const std::string& reply);
  std::vector<SmtpMessage> messages() const;

 private:
  void Serve();
  void Session(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::string data_reply_ = "250 OK";
  std::string rcpt_reply_ = "250 OK";
  std::vector<SmtpMessage> messages_;
};

}  // namespace earshot::testing
