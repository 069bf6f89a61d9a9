#include "tests/support/local_smtp_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace earshot::testing {
namespace {

// Waits for `fd` to be readable in short slices, so the server notices `stop`.
bool WaitReadable(int fd, const std::atomic<bool>& stop) {
  while (!stop) {
    pollfd p{fd, POLLIN, 0};
    const int n = poll(&p, 1, 50);
    if (n > 0) return true;
    if (n < 0) return false;
  }
  return false;
}

bool SendLine(int fd, const std::string& line) {
  const std::string out = line + "\r\n";
  size_t sent = 0;
  while (sent < out.size()) {
    const ssize_t n = send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::string Angle(const std::string& argument) {
  const size_t open = argument.find('<');
  const size_t close = argument.find('>', open);
  if (open == std::string::npos || close == std::string::npos) return argument;
  return argument.substr(open + 1, close - open - 1);
}

bool StartsWithNoCase(const std::string& s, const char* prefix) {
  return strncasecmp(s.c_str(), prefix, strlen(prefix)) == 0;
}

}  // namespace

LocalSmtpServer::LocalSmtpServer() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("LocalSmtpServer: socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listen_fd_, 8) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(listen_fd_);
    throw std::runtime_error("LocalSmtpServer: cannot listen on a loopback port");
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

LocalSmtpServer::~LocalSmtpServer() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  close(listen_fd_);
}

void LocalSmtpServer::set_data_reply(const std::string& reply) {
  std::lock_guard lock(mu_);
  data_reply_ = reply;
}

void LocalSmtpServer::set_rcpt_reply(const std::string& reply) {
  std::lock_guard lock(mu_);
  rcpt_reply_ = reply;
}

std::vector<SmtpMessage> LocalSmtpServer::messages() const {
  std::lock_guard lock(mu_);
  return messages_;
}

void LocalSmtpServer::Serve() {
  while (WaitReadable(listen_fd_, stop_)) {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    Session(fd);
    close(fd);
  }
}

void LocalSmtpServer::Session(int fd) {
  std::string buffer;
  // The next CRLF-terminated line, without its CRLF; false when the peer is gone.
  auto read_line = [&](std::string& line) {
    for (;;) {
      const size_t end = buffer.find("\r\n");
      if (end != std::string::npos) {
        line = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        return true;
      }
      if (!WaitReadable(fd, stop_)) return false;
      char chunk[4096];
      const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<size_t>(n));
    }
  };
  auto reply = [&](const std::string& which) {
    std::lock_guard lock(mu_);
    return which == "data" ? data_reply_ : rcpt_reply_;
  };

  if (!SendLine(fd, "220 127.0.0.1 ESMTP earshot-test")) return;
  SmtpMessage message;
  std::string line;
  while (read_line(line)) {
    if (StartsWithNoCase(line, "EHLO")) {
      message.helo = line.size() > 5 ? line.substr(5) : "";
      if (!SendLine(fd, "250-127.0.0.1 hello") || !SendLine(fd, "250-8BITMIME") ||
          !SendLine(fd, "250 SIZE 10485760")) {
        return;
      }
    } else if (StartsWithNoCase(line, "HELO")) {
      message.helo = line.size() > 5 ? line.substr(5) : "";
      if (!SendLine(fd, "250 127.0.0.1")) return;
    } else if (StartsWithNoCase(line, "MAIL FROM:")) {
      message.mail_from = Angle(line.substr(10));
      if (!SendLine(fd, "250 OK")) return;
    } else if (StartsWithNoCase(line, "RCPT TO:")) {
      const std::string answer = reply("rcpt");
      if (answer.rfind("250", 0) == 0) message.rcpt_to.push_back(Angle(line.substr(8)));
      if (!SendLine(fd, answer)) return;
    } else if (StartsWithNoCase(line, "DATA")) {
      if (!SendLine(fd, "354 end with <CRLF>.<CRLF>")) return;
      std::string data;
      bool ended = false;
      while (read_line(line)) {
        if (line == ".") {
          ended = true;
          break;
        }
        if (!line.empty() && line[0] == '.') line.erase(0, 1);
        data += line + "\r\n";
      }
      if (!ended) return;
      message.data = std::move(data);
      const std::string answer = reply("data");
      if (answer.rfind("250", 0) == 0) {
        std::lock_guard lock(mu_);
        messages_.push_back(message);
      }
      message = SmtpMessage{message.helo, "", {}, ""};
      if (!SendLine(fd, answer)) return;
    } else if (StartsWithNoCase(line, "RSET") || StartsWithNoCase(line, "NOOP")) {
      message = SmtpMessage{message.helo, "", {}, ""};
      if (!SendLine(fd, "250 OK")) return;
    } else if (StartsWithNoCase(line, "QUIT")) {
      SendLine(fd, "221 bye");
      return;
    } else {
      if (!SendLine(fd, "502 command not implemented")) return;
    }
  }
}

}  // namespace earshot::testing
