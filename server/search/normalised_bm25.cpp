// NormalisedBM25Weight: BM25 (b = 0) whose wdf bound survives a wrapped collection frequency.
#include "normalised_bm25.h"

#include <algorithm>
#include <cstdint>

namespace kb::search {

NormalisedBM25Weight::NormalisedBM25Weight(double wdf_scale, double min_normlen)
    : Xapian::BM25Weight(wdf_scale, 0, 1, 0, min_normlen), wdf_scale_(wdf_scale), min_normlen_(min_normlen) {
  // The base's longest document: one number per query, not a document length per match.
  need_stat(DOC_LENGTH_MAX);
}

NormalisedBM25Weight* NormalisedBM25Weight::clone() const {
  return new NormalisedBM25Weight(wdf_scale_, min_normlen_);
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
