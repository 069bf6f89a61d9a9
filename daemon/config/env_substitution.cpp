#include "daemon/config/env_substitution.h"

namespace earshot {

Result<std::string> SubstituteEnv(std::string_view text, const EnvLookup& env) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size()) {
      out += text[i];
      continue;
    }
    if (text[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    if (text[i + 1] != '{') {
      out += text[i];
      continue;
    }
    size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      return Status::InvalidArgument("unterminated ${ in value");
    }
    std::string_view inner = text.substr(i + 2, close - i - 2);
    std::string_view name = inner, fallback;
    bool has_fallback = false;
    if (auto dash = inner.find(":-"); dash != std::string_view::npos) {
      name = inner.substr(0, dash);
      fallback = inner.substr(dash + 2);
      has_fallback = true;
    }
    if (name.empty()) return Status::InvalidArgument("empty variable name in ${}");
    auto value = env(std::string(name));
    if (value && !value->empty()) {
      out += *value;
    } else if (has_fallback) {
      out += fallback;
    } else {
      return Status::InvalidArgument("environment variable " + std::string(name) + " is not set");
    }
    i = close;
  }
  return out;
}

}  // namespace earshot
