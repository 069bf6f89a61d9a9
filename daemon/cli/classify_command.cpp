#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "classifiers/triage_classifier.h"
#include "core/utf8.h"
#include "daemon/cli/options.h"

namespace earshot::cli {
namespace {

struct Input {
  std::string id_json;  // the id exactly as given: a string or a number
  Mention mention;
};

std::string Show(std::string_view text, const Span& span) {
  if (span.end <= span.begin || span.end > text.size()) return "";
  return "\"" + std::string(text.substr(span.begin, span.end - span.begin)) + "\"";
}

int ClassifyOne(const TriageClassifier& classifier, const std::string& text,
                const std::string& lang, std::optional<double> rating) {
  Mention m;
  m.text = SanitizeUtf8(text);
  m.lang = lang;
  m.rating = rating;
  std::vector<Label> labels;
  classifier.Analyse(m, &labels);
  for (const auto& l : labels) {
    std::printf("%-9s %-18s %+.3f\n", l.kind.c_str(), l.name.c_str(), l.score);
    for (const auto& e : l.evidence) {
      std::string where = Show(m.text, e.span);
      std::printf(
          "            %-40s %s%s\n", e.source.c_str(), where.c_str(),
          e.weight != 0 ? (" (" + std::to_string(e.weight).substr(0, 6) + ")").c_str() : "");
    }
  }
  return kExitOk;
}

// Texts are read, classified and written a batch at a time, so a file of any size is
// classified in bounded memory, and the results' storage is reused rather than grown.
constexpr size_t kBatchSize = 4096;

// Reads up to kBatchSize inputs into `batch`; empty when the file is done.
Status ReadBatch(std::istream& in, const std::string& path, size_t* line_no,
                 std::vector<Input>* batch) {
  batch->clear();
  std::string line;
  while (batch->size() < kBatchSize && std::getline(in, line)) {
    ++*line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::string clean = SanitizeUtf8(line);
    rapidjson::Document doc;
    doc.Parse(clean.c_str(), clean.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("id") || !doc.HasMember("text") ||
        !doc["text"].IsString()) {
      return Status::ParseError(path + ":" + std::to_string(*line_no) +
                                ": expected {\"id\": ..., \"text\": \"...\"}");
    }
    Input& input = batch->emplace_back();
    rapidjson::StringBuffer id;
    rapidjson::Writer<rapidjson::StringBuffer> w(id);
    doc["id"].Accept(w);
    input.id_json = id.GetString();
    input.mention.text = doc["text"].GetString();
    if (doc.HasMember("lang") && doc["lang"].IsString())
      input.mention.lang = doc["lang"].GetString();
    if (doc.HasMember("rating") && doc["rating"].IsNumber())
      input.mention.rating = doc["rating"].GetDouble();
  }
  return Status::Ok();
}

void WriteList(rapidjson::Writer<rapidjson::StringBuffer>& w, const std::vector<std::string>& v) {
  w.StartArray();
  for (const auto& s : v)
    w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
  w.EndArray();
}

void WritePrediction(const std::string& id_json, const Triage& r, std::ostream& out) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("id");
  w.RawValue(id_json.c_str(), id_json.size(), rapidjson::kStringType);
  w.Key("score");
  w.Double(r.sentiment);
  w.Key("label");
  w.String(r.sentiment_label.c_str());
  w.Key("lang");
  w.String(r.lang.c_str());
  w.Key("complaint");
  w.Bool(r.complaint);
  w.Key("intents");
  WriteList(w, r.intents);
  w.Key("urgency");
  w.String(r.urgency.c_str());
  w.Key("topics");
  WriteList(w, r.topics);
  w.EndObject();
  out << buf.GetString() << "\n";
}

// Classifies `batch` into `results` on `threads` threads; returns the seconds it took.
double ClassifyBatch(const TriageClassifier& classifier, const std::vector<Input>& batch,
                     unsigned threads, std::vector<Triage>* results) {
  const auto start = std::chrono::steady_clock::now();
  const size_t n = batch.size();
  auto work = [&](size_t first) {
    for (size_t i = first; i < n; i += threads)
      classifier.Analyse(batch[i].mention, nullptr, &(*results)[i]);
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t)
      workers.emplace_back(work, t);
    for (auto& w : workers)
      w.join();
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int ClassifyFile(const TriageClassifier& classifier, const std::string& in_path,
                 const std::string& out_path, unsigned threads) {
  std::ifstream in(in_path, std::ios::binary);
  if (!in) {
    std::cerr << "earshot classify: cannot open " << in_path << "\n";
    return kExitFailure;
  }
  std::ofstream out(out_path, std::ios::binary);
  if (!out) {
    std::cerr << "earshot classify: cannot write " << out_path << "\n";
    return kExitFailure;
  }
  std::vector<Input> batch;
  std::vector<Triage> results(kBatchSize);
  size_t line_no = 0, count = 0;
  double seconds = 0;  // classifying only: not reading, parsing or writing
  while (true) {
    if (Status s = ReadBatch(in, in_path, &line_no, &batch); !s.ok()) {
      std::cerr << "earshot classify: " << s.message() << "\n";
      out.close();
      // No half-written predictions to mistake for whole ones; only a file, never a device such
      // as /dev/null that the predictions were sent to.
      std::error_code ignored;
      if (std::filesystem::is_regular_file(out_path, ignored))
        std::filesystem::remove(out_path, ignored);
      return kExitFailure;
    }
    if (batch.empty()) break;
    seconds += ClassifyBatch(classifier, batch, threads, &results);
    for (size_t i = 0; i < batch.size(); ++i)
      WritePrediction(batch[i].id_json, results[i], out);
    count += batch.size();
  }
  out.flush();
  if (!out) {
    std::cerr << "earshot classify: cannot write " << out_path << "\n";
    return kExitFailure;
  }
  std::fprintf(stderr, "[peers] peer=earshot count=%zu seconds=%.6f texts_per_sec=%.1f\n", count,
               seconds, seconds > 0 ? static_cast<double>(count) / seconds : 0.0);
  return kExitOk;
}

}  // namespace

int Classify(const Args& args) {
  po::options_description options("options");
  options.add_options()("text", po::value<std::string>(), "the text to classify")(
      "lang", po::value<std::string>()->default_value(""), "en, ru, pl or de (default: detect)")(
      "rating", po::value<double>(), "star rating 1-5, when the text is a review")(
      "in", po::value<std::string>(), "JSONL input: {\"id\", \"text\", \"lang\"?} per line")(
      "out", po::value<std::string>(), "JSONL predictions, one line per input line")(
      "threads", po::value<unsigned>()->default_value(1), "worker threads for --in");
  po::positional_options_description positional;
  positional.add("text", 1);
  po::variables_map vm;
  if (auto exit = ParseOptions(
          "classify", "\"TEXT\" [--lang xx] | --in FILE.jsonl --out PRED.jsonl [--threads N]",
          options, positional, args, &vm)) {
    return *exit;
  }
  auto classifier = TriageClassifier::Create();
  if (!classifier.ok()) {
    std::cerr << "earshot classify: " << classifier.status().ToString() << "\n";
    return kExitFailure;
  }
  if (vm.count("in")) {
    if (!vm.count("out")) {
      std::cerr << "earshot classify: --in needs --out\n";
      return kExitUsage;
    }
    unsigned threads = std::max(1u, vm["threads"].as<unsigned>());
    return ClassifyFile(**classifier, vm["in"].as<std::string>(), vm["out"].as<std::string>(),
                        threads);
  }
  if (!vm.count("text")) {
    std::cerr << "earshot classify: give a text, or --in and --out\n";
    return kExitUsage;
  }
  std::optional<double> rating;
  if (vm.count("rating")) rating = vm["rating"].as<double>();
  return ClassifyOne(**classifier, vm["text"].as<std::string>(), vm["lang"].as<std::string>(),
                     rating);
}

}  // namespace earshot::cli
