// Markdown to HTML through cmark-gfm, and the printable HTML5 page.
#include "services/reporting/markdown_html.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace palermo::reporting {
namespace {

// Safe mode: raw HTML and dangerous links are dropped (cmark-gfm's default
// without CMARK_OPT_UNSAFE; CMARK_OPT_SAFE is kept for older releases).
constexpr int kOptions = CMARK_OPT_FOOTNOTES | CMARK_OPT_SAFE |
                         CMARK_OPT_VALIDATE_UTF8;

std::string EscapeHtml(const std::string& text) {
  return absl::StrReplaceAll(text, {{"&", "&amp;"},
                                    {"<", "&lt;"},
                                    {">", "&gt;"},
                                    {"\"", "&quot;"}});
}

constexpr char kStyle[] = R"css(
@page { size: A4; margin: 2.5cm 2cm 2.5cm 2cm; }
html { font-family: "Times New Roman", Times, "Liberation Serif", serif;
       font-size: 11pt; line-height: 1.35; color: #000; background: #fff; }
body { max-width: 17cm; margin: 0 auto; }
h1, h2, h3 { font-weight: bold; page-break-after: avoid; break-after: avoid; }
h1 { font-size: 14pt; text-align: center; }
h2 { font-size: 12pt; }
h3 { font-size: 11pt; }
p, li, blockquote, tr { page-break-inside: avoid; break-inside: avoid;
                        orphans: 3; widows: 3; }
p { text-align: justify; margin: 0 0 0.6em 0; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border: 0.5pt solid #000; padding: 2pt 4pt; vertical-align: top; }
sup, .footnote-ref { font-size: 75%; line-height: 0; }
.footnotes, section.footnotes { font-size: 9pt; border-top: 0.5pt solid #000;
                                margin-top: 1.5em; padding-top: 0.3em; }
.footnotes ol { padding-left: 1.5em; }
a { color: inherit; text-decoration: none; }
)css";

}  // namespace

absl::StatusOr<std::string> MarkdownToHtml(const std::string& markdown) {
  cmark_gfm_core_extensions_ensure_registered();
  cmark_parser* parser = cmark_parser_new(kOptions);
  if (parser == nullptr) return absl::InternalError("cmark-gfm: no parser");
  for (const char* name : {"table", "strikethrough"}) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser, ext);
    }
  }
  cmark_parser_feed(parser, markdown.data(), markdown.size());
  cmark_node* document = cmark_parser_finish(parser);
  if (document == nullptr) {
    cmark_parser_free(parser);
    return absl::InternalError("cmark-gfm could not parse the Markdown");
  }
  char* html = cmark_render_html(document, kOptions,
                                 cmark_parser_get_syntax_extensions(parser));
  cmark_node_free(document);
  cmark_parser_free(parser);
  if (html == nullptr) return absl::InternalError("cmark-gfm rendered nothing");
  std::string out(html);
  std::free(html);
  return out;
}

std::string HtmlDocument(const std::string& title, const std::string& lang,
                         const std::string& body_html) {
  return absl::StrCat("<!DOCTYPE html>\n<html lang=\"", EscapeHtml(lang),
                      "\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
                      EscapeHtml(title), "</title>\n<style>", kStyle,
                      "</style>\n</head>\n<body>\n", body_html,
                      "</body>\n</html>\n");
}

}  // namespace palermo::reporting
