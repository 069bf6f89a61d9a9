// Finds which of a set of literals occur in a text, ignoring case the way RE2's case-insensitive
// matching does. An Aho-Corasick automaton over case-folded bytes, built whole up front: unlike
// a lazily built DFA it costs nothing to warm up, and a text is read once for all literals.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace earshot {

// Where a literal occurs: its index, and the offset in the text where it ends.
struct LiteralEnd {
  int literal;
  size_t end;
};

class LiteralScanner {
 public:
  LiteralScanner() = default;
  // The last `located` literals are reported with where they end, at every occurrence.
  explicit LiteralScanner(const std::vector<std::string>& literals, size_t located = 0);

  // Replaces `found` with the index of every other literal in `text`, each once, in increasing
  // order, and `ends` with every occurrence of a located literal, by where it ends. May also
  // report a literal that RE2 would not match (a few letters fold wider here); never misses one
  // it would.
  void Scan(std::string_view text, std::vector<int>* found,
            std::vector<LiteralEnd>* ends = nullptr) const;

 private:
  // An edge is where the next state's row starts in the table, over 4; see the constructor.
  template <typename Edge>
  uint32_t Step(const Edge* delta, uint32_t edge, unsigned char byte) const {
    return delta[edge * 4 + class_of_[byte]];
  }
  template <typename Edge>
  void ScanWith(const Edge* delta, std::string_view text, std::vector<int>* found,
                std::vector<LiteralEnd>* ends) const;
  // Steps through the folded character; reports the literals ending there, at `end`.
  template <typename Edge>
  uint32_t Feed(const Edge* delta, uint32_t edge, int32_t codepoint, size_t end,
                std::vector<int>* found, std::vector<LiteralEnd>* ends) const;
  void Report(uint32_t edge, size_t end, std::vector<int>* found,
              std::vector<LiteralEnd>* ends) const;

  // The folded UTF-8 of each two-byte character, by code point - 0x80: Scan looks them up.
  struct Folded {
    uint8_t size;
    std::array<unsigned char, 4> bytes;
  };
  std::vector<Folded> two_byte_;
  std::array<uint8_t, 256> class_of_{};  // byte -> column of a row; 0: in no literal
  uint32_t classes_ = 1;
  uint32_t stride_ = 4;                  // entries in a row: classes_ rounded up to a multiple of 4
  uint32_t first_reporting_ = 0;         // edges from here on lead to states where literals end
  std::vector<uint16_t> narrow_;         // row + class -> edge, when every edge fits 16 bits
  std::vector<uint32_t> wide_;           // otherwise
  std::vector<uint32_t> output_begin_;   // by state, into outputs_; one more than the states
  std::vector<int> outputs_;             // the literals that end at each state
  std::vector<uint32_t> located_begin_;  // likewise, into located_
  std::vector<int> located_;
};

}  // namespace earshot
