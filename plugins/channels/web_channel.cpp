// web: a sanitised HTML fragment plus schema.org FAQPage JSON-LD.
#include <string>

#include "answer_json.h"
#include "builtin_channels.h"
#include "labels.h"
#include "markdown.h"
#include "text.h"

namespace kb::plugins {
namespace {

using json = nlohmann::json;

// JSON inside <script> must not contain "</script>" or "<!--": escape <, > and & (they can
// only occur inside strings, where \u escapes mean the same).
std::string script_safe_json(const json& value) {
  const std::string raw = dump_json(value);
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else out.push_back(c);
  }
  return out;
}

std::string attr(std::string_view s) { return xml_escape(collapse_whitespace(s)); }

// Only http(s) and site-relative links become hrefs; anything else is not a link.
bool safe_href(std::string_view url) {
  return is_absolute_url(url) || (url.size() > 1 && url[0] == '/' && url[1] != '/');
}

class WebChannel final : public Channel {
 public:
  std::string name() const override { return "web"; }
  double default_threshold() const override { return 0.35; }

  Rendered render(const Answer& a, const RenderContext&) const override {
    const Labels& l = labels_for(a.lang);
    std::string html = "<article class=\"kb-answer\" lang=\"" + attr(a.lang) +
                       "\" data-kb-article=\"" + attr(a.id) + "\" data-kb-lang=\"" + attr(a.lang) +
                       "\" data-kb-version=\"" + attr(a.version) + "\" data-kb-confidence=\"" +
                       confidence_text(a.confidence) + "\">\n";
    html += "<h2>" + xml_escape(collapse_whitespace(a.title)) + "</h2>\n";
    if (!a.short_answer.empty()) {
      html += "<p class=\"kb-short-answer\">" + xml_escape(collapse_whitespace(a.short_answer)) + "</p>\n";
    }
    html += "<div class=\"kb-body\">\n" + markdown_to_safe_html(a.body_markdown) + "</div>\n";
    if (!a.related.empty()) {
      html += "<nav class=\"kb-related\">\n<h3>" + xml_escape(l.related) + "</h3>\n<ul>\n";
      for (const auto& r : a.related) {
        const std::string title = xml_escape(collapse_whitespace(r.title));
        html += safe_href(r.url) ? "<li><a href=\"" + xml_escape(r.url) + "\">" + title + "</a></li>\n"
                                 : "<li>" + title + "</li>\n";
      }
      html += "</ul>\n</nav>\n";
    }
    if (!a.updated.empty()) {
      html += "<p class=\"kb-updated\"><time datetime=\"" + attr(a.updated) + "\">" +
              xml_escape(a.updated) + "</time></p>\n";
    }
    html += "</article>\n";

    json accepted = {{"@type", "Answer"}, {"text", collapse_whitespace(a.short_answer)}};
    if (is_absolute_url(a.url)) accepted["url"] = a.url;
    json question = {{"@type", "Question"},
                     {"name", collapse_whitespace(a.title)},
                     {"acceptedAnswer", std::move(accepted)}};
    json faq = {{"@context", "https://schema.org"},
                {"@type", "FAQPage"},
                {"inLanguage", a.lang},
                {"mainEntity", json::array({std::move(question)})}};
    if (!a.updated.empty()) faq["dateModified"] = a.updated;
    html += "<script type=\"application/ld+json\">" + script_safe_json(faq) + "</script>\n";
    return {"text/html; charset=utf-8", std::move(html)};
  }

  Rendered render_no_answer(const NoAnswer& n, const RenderContext&) const override {
    const Labels& l = labels_for(n.lang);
    std::string html = "<section class=\"kb-no-answer\" lang=\"" + attr(n.lang) +
                       "\" data-kb-answered=\"false\" data-kb-reason=\"" + attr(n.reason) +
                       "\" data-kb-confidence=\"" + confidence_text(n.confidence) + "\">\n";
    html += "<p>" + xml_escape(l.no_answer) + "</p>\n";
    if (!n.candidates.empty()) {
      html += "<p>" + xml_escape(l.did_you_mean) + "</p>\n<ul class=\"kb-candidates\">\n";
      for (const auto& c : n.candidates) {
        const std::string title = xml_escape(collapse_whitespace(c.title));
        html += safe_href(c.url) ? "<li><a href=\"" + xml_escape(c.url) + "\">" + title + "</a></li>\n"
                                 : "<li>" + title + "</li>\n";
      }
      html += "</ul>\n";
    }
    // With candidates the prompts are their titles, already listed above.
    if (n.candidates.empty()) {
      for (const auto& p : n.clarifying_prompts) {
        html += "<p class=\"kb-prompt\">" + xml_escape(collapse_whitespace(p)) + "</p>\n";
      }
    }
    html += "<p class=\"kb-handoff\" data-kb-handoff=\"" + attr(n.handoff.channel) + "\">" +
            xml_escape(collapse_whitespace(n.handoff.message)) + "</p>\n</section>\n";
    return {"text/html; charset=utf-8", std::move(html)};
  }
};

}  // namespace

std::unique_ptr<Channel> make_web_channel() { return std::make_unique<WebChannel>(); }

}  // namespace kb::plugins
