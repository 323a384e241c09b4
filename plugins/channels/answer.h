// The canonical answer every channel renders from, and the explicit "no answer".
#pragma once

#include <string>
#include <vector>

namespace kb::plugins {

// A knowledge item the answer points to.
struct RelatedItem {
  std::string id;
  std::string title;
  std::string url;
};

// One knowledge item in one language, shaped as an answer. Plain value type; header-only
// so that third-party channel plugins need nothing but this header and channel.h.
struct Answer {
  std::string id;              // knowledge item id, e.g. "reset-password"
  std::string lang;            // language of the content, e.g. "en"
  std::string version;         // hash of the content: changes exactly when the content does
  std::string title;
  std::string short_answer;    // standalone answer in one or two sentences (plain text)
  std::vector<std::string> steps;  // plain text of the body's ordered-list items
  std::string body_markdown;   // the public body, CommonMark
  std::string url;             // where the full article lives
  std::vector<RelatedItem> related;
  std::vector<std::string> follow_ups;      // prompts the customer may ask next
  std::vector<std::string> internal_notes;  // Markdown; empty unless the channel may see them
  std::string updated;         // YYYY-MM-DD or ""
  std::string source;          // content file it came from
  double confidence = 0;       // 0..1
  std::string query;           // the question asked ("" for a direct article lookup)
};

// A candidate that was not sure enough to be the answer.
struct Candidate {
  std::string id;
  std::string lang;
  std::string title;
  std::string url;
  double confidence = 0;
};

// Where to send the customer when the knowledge base has no sure answer.
struct Handoff {
  std::string channel = "agent";  // who takes over
  std::string message;            // what to tell the customer
};

// An explicit "no sure answer": below the channel's confidence threshold, or nothing found.
struct NoAnswer {
  std::string query;
  std::string lang;                  // language of the prompts
  std::string reason;                // "no_match" or "low_confidence"
  double confidence = 0;             // the best candidate's confidence (0 without one)
  double threshold = 0;              // the channel's threshold that was not reached
  std::vector<Candidate> candidates;
  std::vector<std::string> clarifying_prompts;
  Handoff handoff;
};

}  // namespace kb::plugins
