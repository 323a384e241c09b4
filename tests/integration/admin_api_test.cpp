// The editors' API on a real kb-server: tokens, reindex jobs under search load, index counts.
#include <doctest/doctest.h>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "process.h"
#include "temp_dir.h"

using nlohmann::json;

namespace {

const std::string kToken = "editor-secret-token";

httplib::Headers editor(const std::string& token = kToken) { return {{"Authorization", "Bearer " + token}}; }

// Polls the job until it has finished (bounded; the job's own status is the signal).
json wait_for_job(httplib::Client& client, const std::string& url) {
  for (int i = 0; i < 600; ++i) {
    auto res = client.Get(url, editor());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    json job = json::parse(res->body)["job"];
    if (job["status"] == "succeeded" || job["status"] == "failed") return job;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL("job did not finish: " << url);
  return nullptr;
}

struct Fixture {
  kb::test::TempDir dir;
  std::string content = (dir / "content").string();
  std::string kb = (dir / "kb").string();
  Fixture() {
    kb::test::copy_tree(std::string(KB_FIXTURES) + "/import", dir / "content");
    // copy_tree follows links: make the fixture's symlinked duplicate a link again.
    std::filesystem::remove(dir / "content/help-center/en/billing-copy.html");
    std::filesystem::create_symlink("billing.html", dir / "content/help-center/en/billing-copy.html");
    const auto r = kb::test::run_command({kb::test::kb_index_path(), "build", "--content", content, "--out", kb, "--quiet"});
    REQUIRE(r.exit_code == 0);
  }
};

}  // namespace

TEST_CASE("editor endpoints need the editor token: 401 without, 403 with a wrong one") {
  Fixture f;
  kb::test::ServerProcess server(f.kb, {"--content", f.content}, {{"KB_EDITOR_TOKEN", kToken}});
  httplib::Client client("127.0.0.1", server.port());
  for (const char* path : {"/v1/admin/index", "/v1/admin/jobs/job-000001"}) {
    auto res = client.Get(path);
    REQUIRE(res);
    CHECK(res->status == 401);
    CHECK(json::parse(res->body)["error"]["code"] == "unauthorized");
    res = client.Get(path, editor("wrong"));
    REQUIRE(res);
    CHECK(res->status == 403);
    CHECK(json::parse(res->body)["error"]["code"] == "forbidden");
  }
  auto res = client.Post("/v1/admin/reindex", "", "application/json");
  REQUIRE(res);
  CHECK(res->status == 401);
  res = client.Get("/v1/admin/reindex", editor());
  REQUIRE(res);
  CHECK(res->status == 405);
  res = client.Get("/v1/admin/jobs/job-424242", editor());
  REQUIRE(res);
  CHECK(res->status == 404);
  CHECK(json::parse(res->body)["error"]["code"] == "not_found");

  // Without a configured editor token every token is refused.
  kb::test::ServerProcess closed(f.kb, {"--content", f.content});
  httplib::Client closed_client("127.0.0.1", closed.port());
  res = closed_client.Get("/v1/admin/index", editor());
  REQUIRE(res);
  CHECK(res->status == 403);
}

TEST_CASE("GET /v1/admin/index counts documents per language and channel") {
  Fixture f;
  kb::test::ServerProcess server(f.kb, {}, {{"KB_EDITOR_TOKEN", kToken}});
  httplib::Client client("127.0.0.1", server.port());
  auto res = client.Get("/v1/admin/index", editor());
  REQUIRE(res);
  REQUIRE(res->status == 200);
  const auto body = json::parse(res->body);
  CHECK(body["version"] == "gen-000001");
  CHECK(body["documents"] == 16);
  CHECK(body["languages"] == json{{"de", 5}, {"en", 9}, {"fr", 2}});
  CHECK(body["channels"]["agent"] == 16);
  CHECK(body["channels"]["web"] == 11);
  CHECK(body["audiences"] == json{{"internal", 2}, {"public", 14}});
  CHECK(body["content_dir"].is_null());
  CHECK_FALSE(body["built_at"].get<std::string>().empty());

  // No content folder configured: reindexing is unavailable, and says why.
  res = client.Post("/v1/admin/reindex", editor(), "", "application/json");
  REQUIRE(res);
  CHECK(res->status == 503);
  CHECK(json::parse(res->body)["error"]["code"] == "reindex_unavailable");
}

TEST_CASE("a reindex through the API under search load loses no request; a failed one changes nothing") {
  Fixture f;
  kb::test::ServerProcess server(f.kb, {"--content", f.content}, {{"KB_EDITOR_TOKEN", kToken}});
  httplib::Client admin("127.0.0.1", server.port());
  admin.set_read_timeout(30, 0);

  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0};
  std::mutex failure_mutex;
  std::string first_failure;
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", server.port());
      client.set_keep_alive(t % 2 == 0);
      client.set_read_timeout(10, 0);
      const char* queries[] = {"/v1/search?q=password&lang=en", "/v1/search?q=Mahngeb%C3%BChr&lang=de",
                               "/v1/suggest?q=rout&lang=en", "/health"};
      for (int i = 0; !stop && i < 100000; ++i) {
        auto res = client.Get(queries[i % 4]);
        if (res && res->status == 200) {
          ++ok;
        } else {
          std::lock_guard<std::mutex> lock(failure_mutex);
          if (failed++ == 0) {
            first_failure = res ? std::to_string(res->status) + " " + res->body : httplib::to_string(res.error());
          }
        }
      }
    });
  }

  // An editor changes a page, then asks for a reindex.
  {
    std::string page = kb::test::read_file(f.dir / "content/help-center/en/billing.html");
    page.replace(page.find("Direct debit"), 12, "Quokka debit");
    f.dir.write("content/help-center/en/billing.html", page);
  }
  auto res = admin.Post("/v1/admin/reindex", editor(), "", "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 202);
  const auto accepted = json::parse(res->body);
  CHECK(accepted["created"] == true);
  const std::string url = accepted["job"]["url"];
  CHECK(res->get_header_value("Location") == url);
  CHECK((accepted["job"]["status"] == "queued" || accepted["job"]["status"] == "running"));
  const json job = wait_for_job(admin, url);
  INFO(job.dump());
  CHECK(job["status"] == "succeeded");
  CHECK(job["result"]["generation"] == "gen-000002");
  CHECK(job["result"]["incremental"] == true);
  // The page, and the Zendesk export that gives a variant of one of its items.
  CHECK(job["result"]["files_imported"] == 2);
  CHECK(job["result"]["timings"]["total_ms"].get<double>() > 0);
  CHECK(job["error"].is_null());

  // Served right away (the job refreshes the server's view).
  auto found = admin.Get("/v1/search?q=quokka&lang=en");
  REQUIRE(found);
  const auto found_body = json::parse(found->body);
  CHECK(found_body["index_version"] == "gen-000002");
  REQUIRE(found_body["results"].size() == 1);
  CHECK(found_body["results"][0]["id"] == "billing.payment-methods");

  // A broken file: the job fails with the issue, the live base stays.
  f.dir.write("content/chatbot/broken.en.csv", "Question,Answer\n\"unclosed,answer\n");
  res = admin.Post("/v1/admin/reindex", editor(), "", "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 202);
  const json bad = wait_for_job(admin, json::parse(res->body)["job"]["url"]);
  CHECK(bad["status"] == "failed");
  CHECK(bad["error"]["code"] == "content_error");
  REQUIRE(bad["issues"].size() == 1);
  CHECK(bad["issues"][0]["file"] == "chatbot/broken.en.csv");
  CHECK(bad["issues"][0]["line"] == 2);
  CHECK(bad["issues"][0]["message"] == "quoted field is not closed");
  CHECK(kb::test::read_file(f.dir / "kb/live.stub") == "auto gen-000002\n");

  stop = true;
  for (auto& c : clients) c.join();
  MESSAGE("requests answered during the reindexes: " << ok.load());
  INFO("first failure: " << first_failure);
  CHECK(failed == 0);
  CHECK(ok > 0);
  auto index = admin.Get("/v1/admin/index", editor());
  REQUIRE(index);
  CHECK(json::parse(index->body)["version"] == "gen-000002");
}
