// The few words channels add around an answer ("Read more", "Did you mean"), per language.
#pragma once

#include <string_view>

namespace kb::plugins {

struct Labels {
  const char* read_more;        // button or link to the full article
  const char* related;          // heading over related items
  const char* steps;            // heading over the steps
  const char* more;             // prefix of a link in plain text ("More: https://...")
  const char* no_answer;        // first sentence of a no-answer
  const char* did_you_mean;     // before the candidates
  const char* rephrase;         // clarifying prompt when there are no candidates
  const char* handoff;          // button: hand over to a person
  const char* handoff_message;  // sentence offering a person
};

// Labels for the primary language of `lang` ("de-ch" → German); English when the language
// has none. Thread-safe (static data).
const Labels& labels_for(std::string_view lang);

}  // namespace kb::plugins
