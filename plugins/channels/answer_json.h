// The canonical JSON form of Answer and NoAnswer (the `json` channel, and metadata slots).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "answer.h"

namespace kb::plugins {

// Every field of `answer`; "internal_notes" only when `with_internal_notes`.
nlohmann::json answer_to_json(const Answer& answer, bool with_internal_notes);

// Every field of `no_answer`, with "kind": "no_answer".
nlohmann::json no_answer_to_json(const NoAnswer& no_answer);

// {"article", "lang", "version", "confidence", "answered": true}: what every channel carries
// in its metadata slot.
nlohmann::json answer_metadata(const Answer& answer);

// {"answered": false, "reason", "lang", "confidence", "handoff"} for a no-answer.
nlohmann::json no_answer_metadata(const NoAnswer& no_answer);

// Compact JSON; invalid UTF-8 in strings is replaced, never thrown on.
std::string dump_json(const nlohmann::json& value);

}  // namespace kb::plugins
