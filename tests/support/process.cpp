#include "tests/support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "tests/support/temp_dir.h"

namespace earshot::testing {
namespace {

std::string TempPath(const char* tag) {
  static int counter = 0;
  return (std::filesystem::temp_directory_path() /
          ("earshot-proc-" + std::to_string(getpid()) + "-" + std::to_string(++counter) + tag))
      .string();
}

// The test's environment with `env` set on top, built before fork: the child only execs.
std::vector<std::string> MergedEnvironment(const Environment& env) {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const auto& [n, v] : env)
      replaced |= n == name;
    if (!replaced) out.push_back(std::move(entry));
  }
  for (const auto& [n, v] : env)
    out.push_back(n + "=" + v);
  return out;
}

pid_t Spawn(const std::vector<std::string>& argv, const std::string& out_path,
            const std::string& err_path, const Environment& env = {}) {
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const std::vector<std::string> merged = MergedEnvironment(env);
  std::vector<char*> envp;
  for (const auto& e : merged)
    envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int in = open("/dev/null", O_RDONLY);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    // Both to one file: one open file description, so the two streams append, not overwrite.
    int out =
        out_path == err_path ? err : open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    // Children start with default signal handling even if the test runner blocked signals.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  return pid;
}

int DecodeStatus(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv) {
  std::string out_path = TempPath(".out"), err_path = TempPath(".err");
  pid_t pid = Spawn(argv, out_path, err_path);
  int status = 0;
  waitpid(pid, &status, 0);
  ProcessResult r{DecodeStatus(status), ReadFile(out_path), ReadFile(err_path)};
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return r;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv)
    : err_path_(TempPath(".err")) {
  pid_ = Spawn(argv, "/dev/null", err_path_);
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv, bool stdout_too)
    : err_path_(TempPath(".err")) {
  pid_ = Spawn(argv, stdout_too ? err_path_ : "/dev/null", err_path_);
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv, const Environment& env)
    : err_path_(TempPath(".err")) {
  pid_ = Spawn(argv, "/dev/null", err_path_, env);
}

BackgroundProcess::~BackgroundProcess() {
  if (!exited_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove(err_path_, ignored);
}

std::string BackgroundProcess::Stderr() const {
  // The child may not have opened the file yet.
  return std::filesystem::exists(err_path_) ? ReadFile(err_path_) : std::string();
}

bool BackgroundProcess::WaitForStderr(const std::string& needle, int timeout_ms) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (Stderr().find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

void BackgroundProcess::Signal(int sig) const {
  kill(pid_, sig);
}

int BackgroundProcess::Wait(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      return DecodeStatus(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

}  // namespace earshot::testing
