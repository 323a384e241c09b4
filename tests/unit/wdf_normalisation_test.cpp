// Length-normalised wdfs (schema 3, schema.h): a base built with them and searched with
// BM25 (k1 = kWdfScale, b = 0) ranks as one built with natural wdfs and searched with
// Xapian's default BM25 (k1 = 1, b = 0.5), on real Xapian databases on disk.
#include <doctest/doctest.h>

#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "analyzer.h"
#include "builtin_importers.h"
#include "content_loader.h"
#include "document_builder.h"
#include "schema.h"
#include "temp_dir.h"

namespace {

struct Bases {
  kb::test::TempDir natural_dir, normalised_dir;
  Xapian::Database natural, normalised;
  double norm_length = 0;

  Bases() {
    const kb::plugins::ImporterRegistry registry;
    std::vector<kb::Article> articles;
    for (const std::string& root : {std::string(KB_CONTENT), std::string(KB_FIXTURES) + "/content"}) {
      auto set = kb::load_content(root, registry.importers());
      REQUIRE(set.ok());
      for (auto& a : set.articles) articles.push_back(std::move(a));
    }
    std::vector<std::size_t> order(articles.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    REQUIRE(articles.size() < 512);  // every article in the sample: the exact average
    norm_length = kb::estimate_norm_length(articles, order);
    Xapian::WritableDatabase a(natural_dir.path().string(), Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::WritableDatabase b(normalised_dir.path().string(), Xapian::DB_CREATE_OR_OVERWRITE);
    std::map<std::string, std::unique_ptr<kb::Analyzer>> analyzers;
    for (const auto& article : articles) {
      if (article.status == kb::Status::Draft) continue;
      auto& an = analyzers[article.lang];
      if (!an) an = std::make_unique<kb::Analyzer>(article.lang);
      a.add_document(kb::build_document(article, *an));
      b.add_document(kb::build_document(article, *an, nullptr, norm_length));
    }
    a.commit();
    b.commit();
    natural = Xapian::Database(natural_dir.path().string());
    normalised = Xapian::Database(normalised_dir.path().string());
  }
};

std::vector<std::pair<Xapian::docid, double>> ranked(const Xapian::Database& db, const Xapian::Query& q,
                                                     const Xapian::Weight* scheme) {
  Xapian::Enquire enquire(db);
  if (scheme) enquire.set_weighting_scheme(*scheme);
  enquire.set_query(q);
  std::vector<std::pair<Xapian::docid, double>> out;
  const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  for (auto it = mset.begin(); it != mset.end(); ++it) out.emplace_back(*it, it.get_weight());
  return out;
}

}  // namespace

TEST_CASE("normalised wdfs rank the bundled help center as BM25 (k1 1, b 0.5) on natural wdfs") {
  Bases bases;
  // The sample is the whole content here: its average is Xapian's own average length.
  CHECK(bases.norm_length == doctest::Approx(bases.natural.get_avlength()).epsilon(1e-9));
  const Xapian::BM25Weight search_scheme(kb::schema::kWdfScale, 0, 1, 0, kb::schema::kNormMinLength);
  const double scale = (kb::schema::kWdfScale + 1) / 2;

  // Every stem (and field stem) in 2 to 60 articles, alone and three together.
  std::vector<std::string> terms;
  for (auto t = bases.natural.allterms_begin(std::string(kb::schema::kStemmed));
       t != bases.natural.allterms_end(std::string(kb::schema::kStemmed)); ++t) {
    if (t.get_termfreq() >= 2 && t.get_termfreq() <= 60) terms.push_back(*t);
  }
  REQUIRE(terms.size() > 300);
  std::vector<Xapian::Query> queries;
  for (const auto& t : terms) queries.emplace_back(t);
  for (std::size_t i = 0; i + 2 < terms.size(); i += 37) {
    const std::vector<std::string> three = {terms[i], terms[i + 1], terms[(i * 7) % terms.size()]};
    queries.emplace_back(Xapian::Query::OP_OR, three.begin(), three.end());
  }
  std::size_t compared = 0, worst_order = 0;
  double worst = 0;
  for (const auto& q : queries) {
    CAPTURE(q.get_description());
    const auto before = ranked(bases.natural, q, nullptr);
    const auto after = ranked(bases.normalised, q, &search_scheme);
    REQUIRE(before.size() == after.size());
    std::map<Xapian::docid, double> weight_after(after.begin(), after.end());
    for (const auto& [did, w] : before) {
      REQUIRE(weight_after.count(did) == 1);
      const double ratio = weight_after[did] / scale / w;
      worst = std::max(worst, std::abs(ratio - 1));
      ++compared;
    }
    // The same order, but for weights within the rounding of each other.
    for (std::size_t i = 0; i < before.size(); ++i) {
      if (before[i].first != after[i].first &&
          std::abs(before[i].second - weight_after[before[i].first] / scale) > 0.005 * before[i].second) {
        ++worst_order;
      }
    }
  }
  CHECK(compared > 2000);
  MESSAGE("weights compared: " << compared << ", largest relative difference: " << worst);
  CHECK(worst < 0.01);  // a whole factor per article at a scale of 1024: well under 1 %
  CHECK(worst_order == 0);
}

TEST_CASE("an article's wdfs are its natural ones times one factor; positions and filters unchanged") {
  const kb::plugins::ImporterRegistry registry;
  auto set = kb::load_content(std::string(KB_FIXTURES) + "/content", registry.importers());
  REQUIRE(set.ok());
  const kb::Article& a = set.articles.front();
  kb::Analyzer an(a.lang);
  const Xapian::Document natural = kb::build_document(a, an);
  const double length = kb::natural_length(natural);
  REQUIRE(length > 10);
  // Three times the average length, shorter than half of it (BM25's floor), and ten
  // thousand times it (the factor's floor of 1).
  for (const double times : {3.0, 0.01, 10000.0}) {
    CAPTURE(times);
    const Xapian::Document normalised = kb::build_document(a, an, nullptr, length / times);
    const double norm = (1 - kb::schema::kNormB) + kb::schema::kNormB * std::max(times, kb::schema::kNormMinLength);
    const auto factor = static_cast<Xapian::termcount>(std::max(1.0, std::round(kb::schema::kWdfScale / norm)));
    CHECK(factor == (times == 3.0 ? 512u : times == 0.01 ? 1365u : 1u));
    auto n = normalised.termlist_begin();
    for (auto t = natural.termlist_begin(); t != natural.termlist_end(); ++t, ++n) {
      REQUIRE(n != normalised.termlist_end());
      CAPTURE(*t);
      REQUIRE(*n == *t);
      CHECK(n.get_wdf() == t.get_wdf() * factor);  // boolean terms: 0 either way
      const std::vector<Xapian::termpos> p1(t.positionlist_begin(), t.positionlist_end());
      const std::vector<Xapian::termpos> p2(n.positionlist_begin(), n.positionlist_end());
      CHECK(p1 == p2);
    }
    CHECK(n == normalised.termlist_end());
    CHECK(kb::schema::stored_data(normalised) == kb::schema::stored_data(natural));
  }
}
