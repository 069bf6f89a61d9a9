#include "connectors/feed/xml_feed.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>

#include "connectors/feed/feed_text.h"
#include "connectors/html_entities.h"
#include "connectors/html_text.h"
#include "core/time.h"
#include "core/utf8.h"

namespace earshot {
namespace {

constexpr const char* kContentNs = "http://purl.org/rss/1.0/modules/content/";
constexpr const char* kAtom03Ns = "http://purl.org/atom/ns#";

struct DocDeleter {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct CtxtDeleter {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};
struct XmlCharDeleter {
  void operator()(xmlChar* s) const { xmlFree(s); }
};

std::string_view Name(const xmlNode* n) {
  return reinterpret_cast<const char*>(n->name);
}

bool Is(const xmlNode* n, std::string_view local) {
  return n && n->type == XML_ELEMENT_NODE && Name(n) == local;
}

std::string NsHref(const xmlNode* n) {
  return n->ns && n->ns->href ? reinterpret_cast<const char*>(n->ns->href) : "";
}

std::string Content(const xmlNode* n) {
  if (!n) return "";
  std::unique_ptr<xmlChar, XmlCharDeleter> s(xmlNodeGetContent(n));
  return s ? std::string(reinterpret_cast<const char*>(s.get())) : "";
}

std::string Attr(const xmlNode* n, const char* name) {
  std::unique_ptr<xmlChar, XmlCharDeleter> s(xmlGetProp(n, reinterpret_cast<const xmlChar*>(name)));
  return s ? std::string(reinterpret_cast<const char*>(s.get())) : "";
}

const xmlNode* Child(const xmlNode* parent, std::string_view local, const char* ns = nullptr) {
  for (const xmlNode* c = parent->children; c; c = c->next) {
    if (Is(c, local) && (!ns || NsHref(c) == ns)) return c;
  }
  return nullptr;
}

std::string ChildText(const xmlNode* parent, std::string_view local, const char* ns = nullptr) {
  return CollapseWhitespace(Content(Child(parent, local, ns)));
}

std::string InnerXml(const xmlNode* n) {
  std::string out;
  std::unique_ptr<xmlBuffer, decltype(&xmlBufferFree)> buf(xmlBufferCreate(), &xmlBufferFree);
  for (const xmlNode* c = n->children; c; c = c->next) {
    xmlBufferEmpty(buf.get());
    xmlNodeDump(buf.get(), n->doc, const_cast<xmlNode*>(c), 0, 0);
    out.append(reinterpret_cast<const char*>(xmlBufferContent(buf.get())),
               static_cast<size_t>(xmlBufferLength(buf.get())));
  }
  return out;
}

std::string Resolve(const xmlNode* n, const std::string& href, const std::string& fallback_base) {
  if (href.empty()) return "";
  std::unique_ptr<xmlChar, XmlCharDeleter> base(xmlNodeGetBase(n->doc, n));
  std::string base_text = base ? reinterpret_cast<const char*>(base.get()) : fallback_base;
  if (base_text.empty()) return href;
  std::unique_ptr<xmlChar, XmlCharDeleter> full(
      xmlBuildURI(reinterpret_cast<const xmlChar*>(href.c_str()),
                  reinterpret_cast<const xmlChar*>(base_text.c_str())));
  return full ? reinterpret_cast<const char*>(full.get()) : href;
}

// Atom text constructs: type="text" (default), "html" (escaped markup) or "xhtml" (inline).
std::string AtomText(const xmlNode* n) {
  if (!n) return "";
  std::string type = Attr(n, "type");
  if (type == "xhtml" || type == "application/xhtml+xml") return HtmlToText(InnerXml(n));
  if (type == "html" || type == "text/html" || Attr(n, "mode") == "escaped") {
    return HtmlToText(Content(n));
  }
  return HtmlToText(Content(n));  // plain text may still carry entities
}

void FinishItem(Mention* m, const std::string& date_text, const std::string& feed_lang) {
  m->created_at = ParseAnyDate(date_text).value_or(0);
  if (m->lang.empty()) m->lang = feed_lang;
  if (m->external_id.empty()) m->external_id = m->url;
  if (m->external_id.empty()) m->external_id = FallbackItemId(*m, date_text);
}

Mention RssItem(const xmlNode* item, const std::string& source, const std::string& feed_link,
                const std::string& feed_lang) {
  Mention m;
  m.source = source;
  m.platform = "rss";
  m.title = HtmlToText(ChildText(item, "title"));
  std::string body = Content(Child(item, "encoded", kContentNs));
  if (body.empty()) body = Content(Child(item, "description"));
  m.text = HtmlToText(body);
  m.url = Resolve(item, CollapseWhitespace(Content(Child(item, "link"))), feed_link);
  if (const xmlNode* guid = Child(item, "guid")) {
    m.external_id = CollapseWhitespace(Content(guid));
    if (m.url.empty() && Attr(guid, "isPermaLink") != "false" &&
        m.external_id.rfind("http", 0) == 0) {
      m.url = m.external_id;
    }
  }
  std::string rdf_about = Attr(item, "about");
  if (m.external_id.empty() && !rdf_about.empty()) m.external_id = rdf_about;
  m.author.name = ChildText(item, "creator");
  if (m.author.name.empty()) m.author.name = ChildText(item, "author");
  m.lang = NormaliseLanguage(ChildText(item, "language"));
  std::string comments = ChildText(item, "comments", "http://purl.org/rss/1.0/modules/slash/");
  if (!comments.empty() && std::isdigit(static_cast<unsigned char>(comments[0]))) {
    m.engagement.replies = std::stoll(comments.substr(0, 15));
  }
  std::string date = ChildText(item, "pubDate");
  if (date.empty()) date = ChildText(item, "date");
  FinishItem(&m, date, feed_lang);
  return m;
}

Mention AtomEntry(const xmlNode* entry, const std::string& source, const std::string& feed_link,
                  const std::string& feed_lang) {
  Mention m;
  m.source = source;
  m.platform = "rss";
  m.title = AtomText(Child(entry, "title"));
  const xmlNode* content = Child(entry, "content");
  m.text = AtomText(content);
  if (m.text.empty()) m.text = AtomText(Child(entry, "summary"));
  std::string alternate, first;
  for (const xmlNode* c = entry->children; c; c = c->next) {
    if (!Is(c, "link")) continue;
    std::string href = Attr(c, "href");
    std::string rel = Attr(c, "rel");
    if (first.empty()) first = href;
    if ((rel.empty() || rel == "alternate") && alternate.empty()) alternate = href;
  }
  m.url = Resolve(entry, alternate.empty() ? first : alternate, feed_link);
  m.external_id = ChildText(entry, "id");
  if (const xmlNode* author = Child(entry, "author")) {
    m.author.name = ChildText(author, "name");
    m.author.profile_url = ChildText(author, "uri");
    if (m.author.name.empty()) m.author.name = ChildText(author, "email");
  }
  std::unique_ptr<xmlChar, XmlCharDeleter> lang(xmlNodeGetLang(entry));
  if (lang) m.lang = NormaliseLanguage(reinterpret_cast<const char*>(lang.get()));
  std::string date;
  for (const char* name : {"published", "issued", "created", "updated", "modified"}) {
    date = ChildText(entry, name);
    if (!date.empty()) break;
  }
  FinishItem(&m, date, feed_lang);
  return m;
}

// Real feeds use HTML entities that XML does not define and bare '&' in URLs; both are fatal
// to a conforming parser. Rewrite them as numeric references / &amp; first. Only for
// ASCII-compatible encodings: UTF-16/32 bodies are left alone.
std::string RepairAmpersands(std::string_view body) {
  std::string out;
  out.reserve(body.size() + 64);
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '&') {
      out += body[i];
      continue;
    }
    size_t semi = body.find(';', i + 1);
    std::string_view name = semi != std::string_view::npos && semi - i <= 12
                                ? body.substr(i + 1, semi - i - 1)
                                : std::string_view();
    bool xml_ok = name == "amp" || name == "lt" || name == "gt" || name == "quot" ||
                  name == "apos" || (!name.empty() && name[0] == '#');
    if (xml_ok) {
      out += '&';
    } else if (uint32_t cp = name.empty() ? 0 : NamedEntityCodepoint(name)) {
      out += "&#" + std::to_string(cp) + ";";
      i = semi;
    } else {
      out += "&amp;";
    }
  }
  return out;
}

bool AsciiCompatible(std::string_view body) {
  if (body.size() >= 2 &&
      ((body[0] == '\xFF' && body[1] == '\xFE') || (body[0] == '\xFE' && body[1] == '\xFF'))) {
    return false;
  }
  return body.size() < 2 || (body[0] != '\0' && body[1] != '\0');
}

std::string DeclaredEncoding(std::string_view body) {
  std::string_view head = body.substr(0, std::min<size_t>(body.size(), 200));
  if (head.rfind("<?xml", 0) != 0 && head.rfind("\xEF\xBB\xBF<?xml", 0) != 0) return "";
  size_t end = head.find("?>");
  size_t enc = head.find("encoding");
  if (enc == std::string_view::npos || (end != std::string_view::npos && enc > end)) return "";
  size_t quote = head.find_first_of("\"'", enc);
  if (quote == std::string_view::npos) return "";
  size_t close = head.find(head[quote], quote + 1);
  if (close == std::string_view::npos) return "";
  std::string name(head.substr(quote + 1, close - quote - 1));
  for (auto& c : name)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

}  // namespace

Result<ParsedFeed> ParseXmlFeed(std::string_view body, const std::string& source,
                                const std::string& encoding_hint) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });

  std::string prepared;
  const char* encoding = nullptr;
  if (AsciiCompatible(body)) {
    const std::string declared = DeclaredEncoding(body);
    const bool utf8 = declared.empty() ? (encoding_hint.empty() || encoding_hint == "utf-8")
                                       : (declared == "utf-8" || declared == "utf8");
    // A UTF-8 feed with a few bad bytes is still worth reading.
    prepared = RepairAmpersands(utf8 ? SanitizeUtf8(body) : std::string(body));
    if (declared.empty() && !encoding_hint.empty()) encoding = encoding_hint.c_str();
  } else {
    prepared = std::string(body);
  }
  if (prepared.find("<!ENTITY") != std::string::npos) {
    return Status::ParseError("feeds that declare XML entities are refused (entity expansion)");
  }

  std::unique_ptr<xmlParserCtxt, CtxtDeleter> ctxt(xmlNewParserCtxt());
  if (!ctxt) return Status::ParseError("cannot create an XML parser");
  const int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR |
                      XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS;
  std::unique_ptr<xmlDoc, DocDeleter> doc(xmlCtxtReadMemory(
      ctxt.get(), prepared.data(), static_cast<int>(prepared.size()), nullptr, encoding, options));
  if (!doc || !ctxt->wellFormed) {
    const xmlError* e = xmlCtxtGetLastError(ctxt.get());
    std::string where =
        e ? "line " + std::to_string(e->line) + ", column " + std::to_string(e->int2) : "";
    std::string message = e && e->message ? CollapseWhitespace(e->message) : "malformed XML";
    return Status::ParseError("malformed feed" + (where.empty() ? "" : " at " + where) + ": " +
                              message);
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!root) return Status::ParseError("empty document");

  ParsedFeed feed;
  std::string feed_lang;
  if (Is(root, "rss") || Is(root, "RDF")) {
    // A channel-less <rss> is broken but harmless: it simply has no items.
    const xmlNode* channel = Child(root, "channel");
    feed.format = Is(root, "RDF") ? "rss1.0" : "rss" + Attr(root, "version");
    if (feed.format == "rss") feed.format = "rss2.0";
    if (channel) {
      feed.title = HtmlToText(ChildText(channel, "title"));
      feed.link = ChildText(channel, "link");
      feed_lang = NormaliseLanguage(ChildText(channel, "language"));
    }
    // RSS 1.0 puts items beside the channel; RSS 0.9x/2.0 inside it.
    for (const xmlNode* parent : {channel, root}) {
      for (const xmlNode* c = parent ? parent->children : nullptr; c; c = c->next) {
        if (Is(c, "item")) feed.items.push_back(RssItem(c, source, feed.link, feed_lang));
      }
    }
  } else if (Is(root, "feed")) {
    feed.format =
        NsHref(root) == kAtom03Ns || Attr(root, "version") == "0.3" ? "atom0.3" : "atom1.0";
    feed.title = AtomText(Child(root, "title"));
    for (const xmlNode* c = root->children; c; c = c->next) {
      if (Is(c, "link") && (Attr(c, "rel").empty() || Attr(c, "rel") == "alternate")) {
        feed.link = Resolve(root, Attr(c, "href"), "");
        break;
      }
    }
    std::unique_ptr<xmlChar, XmlCharDeleter> lang(xmlNodeGetLang(root));
    if (lang) feed_lang = NormaliseLanguage(reinterpret_cast<const char*>(lang.get()));
    for (const xmlNode* c = root->children; c; c = c->next) {
      if (Is(c, "entry")) feed.items.push_back(AtomEntry(c, source, feed.link, feed_lang));
    }
  } else {
    return Status::ParseError("not a feed: the document's root element is <" +
                              std::string(Name(root)) + ">");
  }
  for (auto& item : feed.items) {
    item.title = SanitizeUtf8(item.title);
    item.text = SanitizeUtf8(item.text);
  }
  return feed;
}

}  // namespace earshot
