// NormalisedBM25Weight (schema 3's weighting): Xapian's BM25 (b = 0) weights, and an upper
// bound that still holds when a term's 32-bit collection frequency wrapped, on real Xapian
// databases on disk.
#include <doctest/doctest.h>

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "normalised_bm25.h"
#include "schema.h"
#include "temp_dir.h"

namespace {

using kb::search::NormalisedBM25Weight;

constexpr double kScale = 1024;

std::vector<std::pair<Xapian::docid, double>> top(const Xapian::Database& db, const Xapian::Query& q,
                                                  const Xapian::Weight& scheme, Xapian::doccount n) {
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(scheme);
  enquire.set_query(q);
  std::vector<std::pair<Xapian::docid, double>> out;
  // No check_at_least: the matcher prunes with the terms' bounds, as kb-server's searches do.
  const Xapian::MSet mset = enquire.get_mset(0, n, Xapian::doccount{0});
  for (auto it = mset.begin(); it != mset.end(); ++it) out.emplace_back(*it, it.get_weight());
  return out;
}

}  // namespace

TEST_CASE("a term whose collection frequency wrapped past 2^32 still finds its best documents") {
  kb::test::TempDir dir;
  const std::uint32_t big = (std::uint32_t{1} << 31) + 1;  // two of them sum to 2^32 + 2
  {
    Xapian::WritableDatabase db(dir.path().string(), Xapian::DB_CREATE_OR_OVERWRITE);
    auto add = [&](const std::string& term, Xapian::termcount wdf) {
      Xapian::Document d;
      d.add_term(term, wdf);
      db.add_document(d);
    };
    add("rare", 1024);    // 1: the only document with "rare", a good match
    add("common", 5);     // 2: the first posting of "common", a weak one
    add("common", big);   // 3 and 4: "common" nearly fills them, the best matches
    add("common", big);
    for (int i = 0; i < 96; ++i) add("filler", 1);
    db.commit();
  }
  const Xapian::Database db(dir.path().string());
  // The fixture's premise: the sum wrapped (5 + 2^32 + 2 is stored as 7), and Xapian's bound
  // for the term, max(first wdf, sum - first wdf), fell below the wdf it holds.
  REQUIRE(db.get_collection_freq("common") == 7);
  REQUIRE(db.get_wdf_upper_bound("common") < big);

  const Xapian::Query q(Xapian::Query::OP_OR, Xapian::Query("rare"), Xapian::Query("common"));
  const NormalisedBM25Weight normalised(kScale, kb::schema::kNormMinLength);
  const Xapian::BM25Weight plain(kScale, 0, 1, 0, kb::schema::kNormMinLength);
  // Every match, unpruned: document 3 is the best, "rare"'s document 1 after both bigs.
  const auto all = top(db, q, normalised, 10);
  REQUIRE(all.size() == 4);
  CHECK(all[0].first == 3);
  CHECK(all[2].first == 1);

  const auto best = top(db, q, normalised, 1);
  REQUIRE(best.size() == 1);
  CHECK(best[0].first == 3);
  CHECK(best[0].second == doctest::Approx(all[0].second));
  // Xapian's own BM25 trusts the wrapped bound: once document 1 is in, it skips "common"'s
  // documents as unable to beat it. Reported, not required (a later Xapian may fix it).
  const auto trusting = top(db, q, plain, 1);
  MESSAGE("Xapian's BM25 with the wrapped bound returns document " << (trusting.empty() ? 0 : trusting[0].first));

  // The bound itself, whether or not the matcher prunes: the best weight "common" reaches is
  // within the maximum the weight reports.
  for (const Xapian::Weight* scheme : {static_cast<const Xapian::Weight*>(&normalised),
                                       static_cast<const Xapian::Weight*>(&plain)}) {
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(*scheme);
    enquire.set_query(Xapian::Query("common"));
    const Xapian::MSet mset = enquire.get_mset(0, 10);
    REQUIRE(mset.size() == 3);
    if (scheme == &normalised) {
      CHECK(mset.get_max_attained() <= mset.get_max_possible());
    } else {
      MESSAGE("Xapian's BM25: best weight " << mset.get_max_attained() << ", its bound " << mset.get_max_possible());
    }
  }
}

TEST_CASE("the weights are BM25's with b = 0, and the bound is never below a weight") {
  kb::test::TempDir dir;
  {
    Xapian::WritableDatabase db(dir.path().string(), Xapian::DB_CREATE_OR_OVERWRITE);
    // Wdfs as a schema-3 build stores them: natural counts times a factor near 1024.
    for (Xapian::termcount i = 1; i <= 300; ++i) {
      Xapian::Document d;
      const Xapian::termcount factor = 700 + (i * 37) % 600;
      d.add_term("a", factor * (1 + i % 4));
      if (i % 3 == 0) d.add_term("b", factor * (1 + i % 7));
      if (i % 50 == 0) d.add_term("c", factor);
      d.add_term("pad" + std::to_string(i % 11), factor * 3);
      db.add_document(d);
    }
    db.commit();
  }
  const Xapian::Database db(dir.path().string());
  const NormalisedBM25Weight normalised(kScale, kb::schema::kNormMinLength);
  const Xapian::BM25Weight plain(kScale, 0, 1, 0, kb::schema::kNormMinLength);
  for (const auto& q : {Xapian::Query("a"), Xapian::Query("c"),
                        Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("b"), Xapian::Query("c")),
                        Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("a"), Xapian::Query("b"))}) {
    CAPTURE(q.get_description());
    const auto mine = top(db, q, normalised, 1000);
    const auto theirs = top(db, q, plain, 1000);
    REQUIRE(mine.size() == theirs.size());
    REQUIRE(!mine.empty());
    for (std::size_t i = 0; i < mine.size(); ++i) {
      CHECK(mine[i].first == theirs[i].first);
      CHECK(mine[i].second == doctest::Approx(theirs[i].second).epsilon(1e-12));
    }
  }
  // The bound: a single term's best weight never exceeds what the weight reports as its
  // maximum (MSet::get_max_possible), else the matcher would prune it.
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(normalised);
  for (const std::string term : {"a", "b", "c", "pad3"}) {
    CAPTURE(term);
    enquire.set_query(Xapian::Query(term));
    const Xapian::MSet mset = enquire.get_mset(0, 1);
    REQUIRE(mset.size() == 1);
    CHECK(mset.get_max_attained() <= mset.get_max_possible());
    CHECK(mset.get_max_possible() > 0);
  }
}

TEST_CASE("serialised and unserialised, the weight keeps its parameters and its bound") {
  const NormalisedBM25Weight weight(kScale, kb::schema::kNormMinLength);
  CHECK(weight.name() == "kb::NormalisedBM25Weight");
  const std::unique_ptr<NormalisedBM25Weight> back(weight.unserialise(weight.serialise()));
  REQUIRE(back);
  CHECK(back->serialise() == weight.serialise());
  const NormalisedBM25Weight other(256, 0.25);
  CHECK(std::unique_ptr<NormalisedBM25Weight>(weight.unserialise(other.serialise()))->serialise() == other.serialise());
  for (const std::string bad : {"", "1024", "x y", "0x1p+10 0x1p-1 extra", "0x0p+0 0x1p-1"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(std::unique_ptr<NormalisedBM25Weight>(weight.unserialise(bad)), Xapian::SerialisationError);
  }
}
