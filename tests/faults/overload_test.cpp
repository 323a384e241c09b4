// More searches at once than the search pool runs and queues (search_concurrency,
// search_queue): the extra ones are answered at once with 503 "overloaded" and Retry-After,
// the others normally, /health all along, and the server stays up.
#include <doctest/doctest.h>

#include <httplib.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.h"
#include "temp_dir.h"

using nlohmann::json;

TEST_CASE("searches beyond the search pool's queue get 503 overloaded with Retry-After; the rest are answered") {
  kb::test::TempDir dir;
  const auto built = kb::test::run_command({kb::test::kb_index_path(), "build", "--content",
                                            std::string(KB_FIXTURES) + "/content", "--out", (dir / "kb").string(),
                                            "--quiet"});
  INFO(built.err);
  REQUIRE(built.exit_code == 0);
  // One search at a time and none waiting: every search that meets another one is shed.
  dir.write("kb.yaml", "search_concurrency: 1\nsearch_queue: 0\ncache_entries: 0\naccess_log: false\n");
  kb::test::ServerProcess server(dir / "kb", {"--config", (dir / "kb.yaml").string()});

  const std::vector<std::string> queries = {"reset+password", "invoice+payment+failed", "wifi+router+slow",
                                            "cancel+my+subscription", "change+email+address"};
  std::atomic<int> ok{0}, shed{0}, wrong{0};
  std::atomic<bool> health_failed{false};
  std::vector<std::thread> clients;
  for (int t = 0; t < 12; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", server.port());
      client.set_read_timeout(30, 0);
      for (int i = 0; i < 60; ++i) {
        const std::string path = "/v1/search?lang=en&q=" + queries[(t + i) % queries.size()] + "&page=" +
                                 std::to_string(1 + i % 3);
        auto res = client.Get(path.c_str());
        if (res && res->status == 200 && json::parse(res->body).contains("results")) {
          ++ok;
        } else if (res && res->status == 503 && res->get_header_value("Retry-After") == "1" &&
                   json::parse(res->body)["error"]["code"] == "overloaded") {
          ++shed;
        } else {
          ++wrong;
        }
      }
    });
  }
  clients.emplace_back([&] {
    httplib::Client client("127.0.0.1", server.port());
    for (int i = 0; i < 20; ++i) {
      auto res = client.Get("/health");
      if (!res || res->status != 200) health_failed = true;
    }
  });
  for (auto& c : clients) c.join();
  INFO("answered " << ok.load() << ", shed " << shed.load() << ", other " << wrong.load());
  CHECK(wrong == 0);
  CHECK(ok > 0);
  CHECK(shed > 0);  // 12 clients at once against one worker and no queue
  CHECK_FALSE(health_failed);
  // Still up, and a search alone gets through.
  httplib::Client client("127.0.0.1", server.port());
  auto res = client.Get("/v1/search?lang=en&q=reset+password");
  REQUIRE(res);
  CHECK(res->status == 200);
}
