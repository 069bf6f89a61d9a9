#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace earshot::testing {

// Variables set (or replaced) in a child's environment, on top of the test's own.
using Environment = std::vector<std::pair<std::string, std::string>>;

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

// Runs a program to completion, capturing stdout and stderr (through files, so big outputs
// cannot deadlock a pipe).
ProcessResult RunProcess(const std::vector<std::string>& argv);

// A program running in the background, its stderr going to a file that can be read at any time.
class BackgroundProcess {
 public:
  explicit BackgroundProcess(const std::vector<std::string>& argv);
  // With `stdout_too`, standard output goes to the same file as stderr (for programs that report
  // on stdout, such as the port they picked).
  BackgroundProcess(const std::vector<std::string>& argv, bool stdout_too);
  BackgroundProcess(const std::vector<std::string>& argv, const Environment& env);
  ~BackgroundProcess();  // kills it if still running
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  std::string Stderr() const;
  // Polls stderr until `needle` appears or `timeout_ms` passes.
  bool WaitForStderr(const std::string& needle, int timeout_ms) const;
  void Signal(int sig) const;
  // Waits for exit; returns the exit code, or -1 when it died by a signal or timed out.
  int Wait(int timeout_ms);

 private:
  pid_t pid_ = -1;
  std::string err_path_;
  bool exited_ = false;
};

}  // namespace earshot::testing
