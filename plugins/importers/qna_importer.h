// Chatbot Q&A exports (QnA Maker layout) as TSV or CSV (docs/importers.md).
#pragma once

#include "importer.h"

namespace kb::plugins {

// Reads `*.tsv` and `*.csv` files with a header row naming at least Question and Answer
// (Source, Metadata and QnaId are optional). Rows with the same answer (or the same QnaId, or
// the same `id:` metadata) become one item whose first question is the title and the others
// `questions`. Language from a language folder or a file-name suffix. Channels: the chat
// channels (botframework, dialogflow, slack). Stateless and thread-safe.
class QnaImporter final : public Importer {
 public:
  std::string_view name() const override { return "qna"; }
  bool accepts(std::string_view relative_path) const override;
  ImportResult import(const std::string& display_path, std::string_view bytes) const override;
};

}  // namespace kb::plugins
