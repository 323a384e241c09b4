// Language tags: validation and the fallback chain used at query time.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kb {

// Validates a BCP 47 language tag and returns it lowercased with '-' separators
// ("de_CH" -> "de-ch"). Returns nullopt for malformed tags and for primary languages that
// ICU does not know ("xx", "english").
std::optional<std::string> normalise_language_tag(const std::string& tag);

// The primary language subtag: "de-ch" -> "de".
std::string primary_language(const std::string& normalised_tag);

// The languages to try for a request, most specific first, without duplicates:
// "de-ch" with defaults {"en"} -> {"de-ch", "de", "en"}.
std::vector<std::string> fallback_chain(const std::string& normalised_tag,
                                        const std::vector<std::string>& defaults);

}  // namespace kb
