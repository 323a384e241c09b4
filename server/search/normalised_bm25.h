// The weighting since schema 3: BM25 without length normalisation on length-normalised
// wdfs (schema.h), with an upper bound that holds when a collection frequency wrapped.
#pragma once

#include <xapian.h>

#include <string>

namespace kb::search {

// Xapian::BM25Weight(k1 = wdf_scale, k2 = 0, k3 = 1, b = 0, min_normlen): the same weight for
// every document, read without any document length. Only get_maxpart() differs.
//
// Xapian 1.4 keeps a term's collection frequency (the sum of its wdfs) in 32 bits, and glass
// bounds a term's wdf by max(first wdf, collection frequency - first wdf). Length-normalised
// wdfs are about wdf_scale times the natural ones, so a common word's sum passes 2^32 in a
// large base (at a million articles "the" sums to 15 G) and wraps. A wrapped sum can bound
// the term below a wdf it has, and the matcher, trusting the bound, would then skip
// documents that belong in the results. For a term whose sum could have wrapped (its
// document count times the base's longest document reaches 2^32) the bound is the longest
// document's length instead, which no wdf exceeds; other terms keep Xapian's own bound.
//
// Thread-compatible like any Xapian::Weight: Xapian clones it for each term of a query.
class NormalisedBM25Weight : public Xapian::BM25Weight {
 public:
  explicit NormalisedBM25Weight(double wdf_scale, double min_normlen);

  NormalisedBM25Weight* clone() const override;
  double get_maxpart() const override;

  // Its own name and parameters, so that a registry or a remote backend rebuilds this weight
  // rather than a plain BM25Weight. unserialise() throws Xapian::SerialisationError on
  // anything serialise() did not write.
  std::string name() const override;
  std::string serialise() const override;
  NormalisedBM25Weight* unserialise(const std::string& serialised) const override;

 private:
  double wdf_scale_, min_normlen_;
};

}  // namespace kb::search
