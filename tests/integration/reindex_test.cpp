// Rebuilding the knowledge base while kb-server answers: no request fails, the new
// generation is served without a restart.
#include <doctest/doctest.h>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "process.h"
#include "temp_dir.h"

using nlohmann::json;

TEST_CASE("rebuilds while serving lose no request and go live without a restart") {
  kb::test::TempDir dir;
  const std::string kb = (dir / "kb").string();
  kb::test::copy_tree(std::string(KB_FIXTURES) + "/content", dir / "content");
  auto build = [&] {
    return kb::test::run_command({kb::test::kb_index_path(), "build", "--content",
                                  (dir / "content").string(), "--out", kb, "--quiet"});
  };
  REQUIRE(build().exit_code == 0);
  kb::test::ServerProcess server(kb);

  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0};
  std::mutex versions_mutex;
  std::set<std::string> versions;
  std::string first_failure;
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", server.port());
      client.set_keep_alive(t % 2 == 0);  // both kept-alive and fresh connections
      client.set_read_timeout(10, 0);
      const char* queries[] = {"/v1/search?q=password&lang=en", "/v1/search?q=WLAN+langsam",
                               "/v1/search?q=%E3%83%8D%E3%83%83%E3%83%88", "/health"};
      for (int i = 0; !stop && i < 100000; ++i) {
        auto res = client.Get(queries[i % 4]);
        if (res && res->status == 200) {
          ++ok;
          const auto body = json::parse(res->body, nullptr, false);
          if (!body.is_discarded() && body.contains("index_version")) {
            std::lock_guard<std::mutex> lock(versions_mutex);
            versions.insert(body["index_version"].get<std::string>());
          }
        } else {
          std::lock_guard<std::mutex> lock(versions_mutex);
          if (failed++ == 0) {
            first_failure = res ? std::to_string(res->status) + " " + res->body
                                : "transport error " + httplib::to_string(res.error());
          }
        }
      }
    });
  }

  // Five rebuilds, each adding an article, while the clients keep searching.
  for (int g = 2; g <= 6; ++g) {
    const std::string id = "rebuild-" + std::to_string(g);
    dir.write("content/en/" + id + ".md",
              "---\nid: " + id + "\nlang: en\ntitle: Rebuild marker " + id +
                  "\nsummary: Added by build " + std::to_string(g) + ".\ncategory: test\n---\n"
                  "Zebracorn " + id + ".\n");
    const auto r = build();
    REQUIRE(r.exit_code == 0);
  }

  // The last generation is served once the server notices it (bounded wait).
  httplib::Client probe("127.0.0.1", server.port());
  bool live = false;
  for (int i = 0; i < 200 && !live; ++i) {
    auto res = probe.Get("/v1/search?q=zebracorn+rebuild-6&lang=en");
    live = res && res->status == 200 && json::parse(res->body)["index_version"] == "gen-000006";
    if (!live) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop = true;
  for (auto& c : clients) c.join();

  MESSAGE("requests answered during the rebuilds: " << ok.load() << ", generations seen: " << versions.size());
  INFO("first failure: " << first_failure);
  CHECK(failed == 0);
  CHECK(ok > 0);
  CHECK(live);
  auto res = probe.Get("/v1/search?q=zebracorn+rebuild-6&lang=en");
  REQUIRE(res);
  CHECK(json::parse(res->body)["results"][0]["id"] == "rebuild-6");
  INFO("versions seen: " << versions.size());
  CHECK(versions.size() >= 2);
}

TEST_CASE("a failed build leaves the live knowledge base serving") {
  kb::test::TempDir dir;
  const std::string kb = (dir / "kb").string();
  kb::test::copy_tree(std::string(KB_FIXTURES) + "/content", dir / "content");
  REQUIRE(kb::test::run_command({kb::test::kb_index_path(), "build", "--content",
                                 (dir / "content").string(), "--out", kb})
              .exit_code == 0);
  kb::test::ServerProcess server(kb);
  dir.write("content/en/broken.md", "---\nid: broken\ntitle: [oops\n---\n");
  const auto r = kb::test::run_command({kb::test::kb_index_path(), "build", "--content",
                                        (dir / "content").string(), "--out", kb});
  CHECK(r.exit_code == 1);
  CHECK(kb::test::read_file(dir / "kb/live.stub") == "auto gen-000001\n");
  httplib::Client client("127.0.0.1", server.port());
  auto res = client.Get("/v1/search?q=password&lang=en");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(json::parse(res->body)["index_version"] == "gen-000001");
  CHECK(json::parse(res->body)["results"][0]["id"] == "reset-password");
}
