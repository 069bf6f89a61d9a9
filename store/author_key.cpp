#include "store/author_key.h"

#include "store/store.h"

namespace earshot {

std::string AuthorKey(const Author& a) {
  if (!a.id.empty()) return "id:" + a.id;
  if (!a.handle.empty()) return "handle:" + a.handle;
  if (!a.name.empty()) return "name:" + a.name;
  return "";
}

std::string CustomerKey(const Mention& m) {
  std::string key = AuthorKey(m.author);
  return key.empty() ? key : m.platform + ":" + key;
}

}  // namespace earshot
