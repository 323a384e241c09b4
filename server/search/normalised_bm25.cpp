// NormalisedBM25Weight: BM25 (b = 0) whose wdf bound survives a wrapped collection frequency.
#include "normalised_bm25.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace kb::search {

NormalisedBM25Weight::NormalisedBM25Weight(double wdf_scale, double min_normlen)
    : Xapian::BM25Weight(wdf_scale, 0, 1, 0, min_normlen), wdf_scale_(wdf_scale), min_normlen_(min_normlen) {
  // The base's longest document: one number per query, not a document length per match.
  need_stat(DOC_LENGTH_MAX);
}

NormalisedBM25Weight* NormalisedBM25Weight::clone() const {
  return new NormalisedBM25Weight(wdf_scale_, min_normlen_);
}

std::string NormalisedBM25Weight::name() const { return "kb::NormalisedBM25Weight"; }

std::string NormalisedBM25Weight::serialise() const {
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%a %a", wdf_scale_, min_normlen_);  // exact, hexadecimal
  return buffer;
}

NormalisedBM25Weight* NormalisedBM25Weight::unserialise(const std::string& serialised) const {
  double scale = 0, min_normlen = 0;
  int used = 0;
  if (std::sscanf(serialised.c_str(), "%la %la%n", &scale, &min_normlen, &used) != 2 ||
      static_cast<std::size_t>(used) != serialised.size() || !(scale >= 1) || !(min_normlen >= 0)) {
    throw Xapian::SerialisationError("bad kb::NormalisedBM25Weight parameters");
  }
  return new NormalisedBM25Weight(scale, min_normlen);
}

double NormalisedBM25Weight::get_maxpart() const {
  // A document's length is the sum of its wdfs, so the longest bounds every wdf.
  const Xapian::termcount longest = get_doclength_upper_bound();
  Xapian::termcount bound = get_wdf_upper_bound();
  constexpr std::uint64_t kWrap = std::uint64_t{1} << 32;
  if (static_cast<std::uint64_t>(get_termfreq()) * longest >= kWrap) {
    bound = longest;  // the sum may have wrapped: Xapian's bound may be too low
  } else {
    bound = std::min(bound, longest);
  }
  // With b = 0 a term's part depends on its wdf alone, not on the document's length.
  return get_sumpart(bound, 0, 0);
}

}  // namespace kb::search
