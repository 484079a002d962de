// Markdown to HTML for reports, through Debian's cmark-gfm (footnotes and
// tables; raw HTML from the input is never passed through), and the
// self-contained HTML5 page a report is printed from.
#ifndef PALERMO_SERVICES_REPORTING_MARKDOWN_HTML_H_
#define PALERMO_SERVICES_REPORTING_MARKDOWN_HTML_H_

#include <string>

#include "absl/status/statusor.h"

namespace palermo::reporting {

// GitHub-flavoured Markdown (footnotes `[^1]`, tables) to an HTML fragment.
// Raw HTML in `markdown` is escaped away (safe mode). INTERNAL when
// cmark-gfm fails.
absl::StatusOr<std::string> MarkdownToHtml(const std::string& markdown);

// A complete HTML5 page: `title` (escaped), `lang` ("fr", "en"), and
// `body_html` as the body. The CSS is embedded (no external resource) and
// made for print: A4 pages, serif text, small footnotes, no page break
// inside a paragraph.
std::string HtmlDocument(const std::string& title, const std::string& lang,
                         const std::string& body_html);

}  // namespace palermo::reporting

#endif  // PALERMO_SERVICES_REPORTING_MARKDOWN_HTML_H_
