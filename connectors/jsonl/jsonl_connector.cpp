// Follows a JSON Lines file like `tail -F`: the cursor names the file (device and inode) and the
// byte offset after the last complete line committed, so a restart resumes exactly there and
// a rotation (rename or copytruncate) is noticed.
#include "connectors/jsonl/jsonl_connector.h"

#include <sys/stat.h>

#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "core/content_hash.h"
#include "core/mention_json.h"
#include "core/time.h"

namespace earshot {
namespace {

constexpr size_t kMaxLinesPerPoll = 10'000;
constexpr size_t kReadChunk = 1 << 16;

struct FilePosition {
  uint64_t device = 0;
  uint64_t inode = 0;
  uint64_t offset = 0;
};

std::string FormatPosition(const FilePosition& p) {
  return "dev:" + std::to_string(p.device) + ":ino:" + std::to_string(p.inode) +
         ":off:" + std::to_string(p.offset);
}

std::optional<FilePosition> ParsePosition(const std::string& s) {
  FilePosition p;
  unsigned long long dev = 0, ino = 0, off = 0;
  if (std::sscanf(s.c_str(), "dev:%llu:ino:%llu:off:%llu", &dev, &ino, &off) != 3) {
    return std::nullopt;
  }
  p.device = dev;
  p.inode = ino;
  p.offset = off;
  return p;
}

// Turns one line into a mention, or a warning saying why not.
std::optional<Mention> LineToMention(std::string_view line, const SourceSpec& spec,
                                     const std::string& where, std::vector<std::string>* warnings) {
  auto parsed = MentionFromJson(line);
  if (!parsed.ok()) {
    warnings->push_back(where + ": " + parsed.status().message());
    return std::nullopt;
  }
  Mention m = std::move(parsed).value();
  m.source = spec.name;
  if (m.platform.empty()) m.platform = "jsonl";
  // Without an id, the line itself is the identity: re-reading it never duplicates it.
  if (m.external_id.empty()) m.external_id = "h:" + ContentHash(line) + std::to_string(line.size());
  if (m.lang.empty()) m.lang = spec.lang;
  m.fetched_at = NowMillis();
  return m;
}

class JsonlFileConnector : public Connector {
 public:
  explicit JsonlFileConnector(SourceSpec spec) : spec_(std::move(spec)) {
    path_ = spec_.settings.Get("path");
    max_line_ = static_cast<size_t>(spec_.settings.GetInt("max_line_bytes", 1 << 20));
    start_at_end_ = spec_.settings.Get("start_at", "beginning") == "end";
  }

  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>&) override {
    struct stat st {};
    if (stat(path_.c_str(), &st) != 0) {
      return Status::NotFound("cannot open " + path_ + " (waiting for it to appear)");
    }
    FilePosition now{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino), 0};
    auto saved = ParsePosition(cursor.position);
    PollResult result;
    if (saved && (saved->device != now.device || saved->inode != now.inode)) {
      // Rotated by rename: finish the old file if it still exists beside, then start the new one.
      if (auto rest = ReadRotatedRest(*saved, &result); rest.ok() && !result.mentions.empty()) {
        result.next_cursor.position = FormatPosition(*rest);
        result.has_more = true;
        return result;
      }
      saved.reset();
    }
    if (saved && static_cast<uint64_t>(st.st_size) < saved->offset) saved.reset();  // truncated
    if (saved) {
      now.offset = saved->offset;
    } else if (cursor.position.empty() && start_at_end_) {
      now.offset = static_cast<uint64_t>(st.st_size);
    }
    auto end = ReadLines(path_, now, &result);
    if (!end.ok()) return end.status();
    result.next_cursor.position = FormatPosition(*end);
    return result;
  }

 private:
  // A file renamed away keeps its inode; look for it as path.1 (logrotate's naming).
  Result<FilePosition> ReadRotatedRest(const FilePosition& saved, PollResult* result) {
    const std::string rotated = path_ + ".1";
    struct stat st {};
    if (stat(rotated.c_str(), &st) != 0 || static_cast<uint64_t>(st.st_ino) != saved.inode ||
        static_cast<uint64_t>(st.st_dev) != saved.device) {
      return Status::NotFound("rotated file not found");
    }
    auto end = ReadLines(rotated, saved, result);
    if (!end.ok()) return end.status();
    if (result->mentions.empty() && result->warnings.empty()) return Status::NotFound("done");
    return *end;
  }

  // Reads complete lines from `from`; the returned offset is just past the last newline read.
  Result<FilePosition> ReadLines(const std::string& path, FilePosition from, PollResult* result) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::IoError("cannot open " + path);
    in.seekg(static_cast<std::streamoff>(from.offset));
    std::vector<char> buf(kReadChunk);
    std::string line;
    bool too_long = false;
    uint64_t chunk_base = from.offset;
    size_t lines = 0;
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      const size_t got = static_cast<size_t>(in.gcount());
      if (got == 0) break;
      size_t start = 0;
      while (start < got) {
        const char* nl =
            static_cast<const char*>(std::memchr(buf.data() + start, '\n', got - start));
        const size_t stop = nl ? static_cast<size_t>(nl - buf.data()) : got;
        if (!too_long) {
          line.append(buf.data() + start, stop - start);
          if (line.size() > max_line_) {
            too_long = true;
            line.clear();
          }
        }
        if (!nl) break;
        const std::string where = path + " at byte " + std::to_string(from.offset);
        if (too_long) {
          result->warnings.push_back(where + ": line longer than " + std::to_string(max_line_) +
                                     " bytes skipped");
        } else if (line.find_first_not_of(" \t\r") != std::string::npos) {
          if (auto m = LineToMention(line, spec_, where, &result->warnings)) {
            result->mentions.push_back(std::move(*m));
          }
        }
        line.clear();
        too_long = false;
        from.offset = chunk_base + stop + 1;
        start = stop + 1;
        if (++lines >= kMaxLinesPerPoll) {
          result->has_more = true;
          return from;
        }
      }
      chunk_base += got;
    }
    return from;
  }

  SourceSpec spec_;
  std::string path_;
  size_t max_line_ = 1 << 20;
  bool start_at_end_ = false;
};

// Standard input cannot be re-read, so lines are queued by a reader thread and handed out as
// they come; a restart starts from whatever arrives next.
class JsonlStdinConnector : public Connector {
 public:
  explicit JsonlStdinConnector(SourceSpec spec) : spec_(std::move(spec)) {
    reader_ = std::thread([this] {
      std::string line;
      while (std::getline(std::cin, line)) {
        std::unique_lock lock(mu_);
        space_.wait(lock, [&] { return queue_.size() < kMaxLinesPerPoll; });
        queue_.push_back(std::move(line));
      }
    });
    reader_.detach();  // blocked in read(2) until EOF; the process exit ends it
  }

  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>&) override {
    PollResult result;
    std::deque<std::string> lines;
    {
      std::lock_guard lock(mu_);
      lines.swap(queue_);
    }
    space_.notify_all();
    unsigned long long count = 0;
    std::sscanf(cursor.position.c_str(), "lines:%llu", &count);
    for (const auto& line : lines) {
      ++count;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto m = LineToMention(line, spec_, "stdin line " + std::to_string(count), &result.warnings);
      if (m) result.mentions.push_back(std::move(*m));
    }
    result.next_cursor.position = "lines:" + std::to_string(count);
    return result;
  }

 private:
  SourceSpec spec_;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable space_;
  std::deque<std::string> queue_;
};

}  // namespace

ConnectorDescriptor JsonlConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = "jsonl";
  d.summary = "a file of one JSON mention per line, followed as it grows, or standard input";
  d.settings = {
      {"path", SettingType::kString, true, "", "the file to follow, or - for standard input"},
      {"max_line_bytes", SettingType::kInt, false, "1048576", "longer lines are skipped"},
      {"start_at", SettingType::kString, false, "beginning",
       "where a new source starts in an existing file: beginning or end"},
  };
  d.create = [](const SourceSpec& spec, HttpClient&) -> Result<std::unique_ptr<Connector>> {
    const std::string start_at = spec.settings.Get("start_at", "beginning");
    if (start_at != "beginning" && start_at != "end") {
      return Status::InvalidArgument("start_at must be beginning or end");
    }
    if (spec.settings.Get("path") == "-") {
      return std::unique_ptr<Connector>(new JsonlStdinConnector(spec));
    }
    return std::unique_ptr<Connector>(new JsonlFileConnector(spec));
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    SourceSpec spec;
    spec.name = source;
    std::vector<Mention> out;
    std::vector<std::string> warnings;
    size_t line_no = 0, start = 0;
    while (start <= body.size()) {
      size_t end = body.find('\n', start);
      if (end == std::string_view::npos) end = body.size();
      std::string_view line = body.substr(start, end - start);
      ++line_no;
      if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
        auto m = LineToMention(line, spec, "line " + std::to_string(line_no), &warnings);
        if (!m) return Status::ParseError(warnings.back());
        out.push_back(std::move(*m));
      }
      start = end + 1;
    }
    return out;
  };
  return d;
}

}  // namespace earshot
