// Reindex jobs: a FIFO of at most one waiting job (a build reads the content when it starts,
// so a second waiting job would publish nothing new) served by one worker thread.
#include "admin_routes.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "build_pipeline.h"
#include "kb_writer.h"
#include "builtin_importers.h"
#include "errors.h"
#include "generation.h"
#include "generation_stats.h"
#include "knowledge_base.h"

namespace kb::server {
namespace {

using json = nlohmann::json;

constexpr std::size_t kJobsKept = 100;

struct Job {
  std::string id;
  std::string status = "queued";  // queued, running, succeeded, failed
  std::string created_at;
  std::string started_at;
  std::string finished_at;
  json result = nullptr;
  json issues = json::array();
  json error = nullptr;
};

json job_json(const Job& j) {
  return {{"id", j.id},
          {"status", j.status},
          {"created_at", j.created_at},
          {"started_at", j.started_at.empty() ? json(nullptr) : json(j.started_at)},
          {"finished_at", j.finished_at.empty() ? json(nullptr) : json(j.finished_at)},
          {"result", j.result},
          {"issues", j.issues},
          {"error", j.error},
          {"url", "/v1/admin/jobs/" + j.id}};
}

class ReindexJobs {
 public:
  ReindexJobs(const ServerConfig& config, search::KnowledgeBase& kb)
      : config_(config), kb_(kb), worker_([this] { run(); }) {}

  ~ReindexJobs() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    worker_.join();
  }
  ReindexJobs(const ReindexJobs&) = delete;
  ReindexJobs& operator=(const ReindexJobs&) = delete;

  // The job that will run the next build: a new one, or the one already waiting.
  std::pair<json, bool> submit() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!queue_.empty()) return {job_json(jobs_.at(queue_.back())), false};
    Job job;
    char id[32];
    std::snprintf(id, sizeof id, "job-%06llu", ++next_id_);
    job.id = id;
    job.created_at = utc_now_iso8601();
    order_.push_back(job.id);
    queue_.push_back(job.id);
    const json out = job_json(job);
    jobs_.emplace(job.id, std::move(job));
    while (order_.size() > kJobsKept) {
      const auto& oldest = order_.front();
      if (jobs_.at(oldest).status == "queued" || jobs_.at(oldest).status == "running") break;
      jobs_.erase(oldest);
      order_.pop_front();
    }
    cv_.notify_all();
    return {out, true};
  }

  std::optional<json> find(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = jobs_.find(id);
    if (it == jobs_.end()) return std::nullopt;
    return job_json(it->second);
  }

 private:
  void run() {
    const plugins::ImporterRegistry registry;
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      const std::string id = queue_.front();
      queue_.pop_front();
      jobs_.at(id).status = "running";
      jobs_.at(id).started_at = utc_now_iso8601();
      lock.unlock();

      Job outcome;
      try {
        const BuildResult built = build_knowledge_base(config_.content_dir, config_.kb_dir, registry.importers());
        for (const auto& i : built.issues) {
          outcome.issues.push_back({{"file", i.path},
                                    {"line", i.line},
                                    {"column", i.column},
                                    {"field", i.field},
                                    {"severity", i.severity == Severity::Error ? "error" : "warning"},
                                    {"message", i.message}});
        }
        json timings = {{"read_ms", built.timings.read_ms},
                        {"import_ms", built.timings.import_ms},
                        {"write_ms", built.timings.write_ms},
                        {"total_ms", built.timings.total_ms}};
        outcome.result = {{"files", built.files},
                          {"files_imported", built.files_imported},
                          {"articles", built.articles},
                          {"timings", timings}};
        if (built.published) {
          outcome.status = "succeeded";
          outcome.result["generation"] = built.publish.generation;
          outcome.result["documents"] = built.publish.documents;
          outcome.result["documents_written"] = built.documents_written;
          outcome.result["incremental"] = built.incremental;
          kb_.refresh();  // serve it now rather than at the next reload tick
        } else {
          outcome.status = "failed";
          outcome.error = {{"code", "content_error"},
                           {"message", "the content has errors; nothing was published, the live knowledge base is unchanged"}};
        }
      } catch (const Error& e) {
        outcome.status = "failed";
        outcome.error = {{"code", e.code()}, {"message", e.what()}};
      } catch (const std::exception& e) {
        outcome.status = "failed";
        outcome.error = {{"code", "internal"}, {"message", e.what()}};
      }

      lock.lock();
      Job& job = jobs_.at(id);
      job.status = outcome.status;
      job.finished_at = utc_now_iso8601();
      job.result = std::move(outcome.result);
      job.issues = std::move(outcome.issues);
      job.error = std::move(outcome.error);
    }
  }

  const ServerConfig& config_;
  search::KnowledgeBase& kb_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  unsigned long long next_id_ = 0;
  std::map<std::string, Job> jobs_;
  std::deque<std::string> order_;  // job ids, oldest first
  std::deque<std::string> queue_;  // waiting job ids
  std::thread worker_;             // last: starts once the members above exist
};

void authorise_editor(const httplib::Request& req, const ServerConfig& config) {
  require_token(req, config.editor_token, "editor endpoints need the editor token (Authorization: Bearer ...)",
                "the token does not allow editor endpoints");
}

}  // namespace

void install_admin_routes(RouteTable& routes, const ServerConfig& config, search::KnowledgeBase& kb) {
  // The handlers share the job list; it lives as long as the server keeps the handlers.
  auto jobs = std::make_shared<ReindexJobs>(config, kb);

  routes.post("/v1/admin/reindex", [jobs, &config](const httplib::Request& req, httplib::Response& res) {
    authorise_editor(req, config);
    check_params(req, {});
    if (config.content_dir.empty()) {
      write_error(res, "reindex_unavailable", "no content folder is configured (content_dir, KB_CONTENT_DIR or --content)",
                  503);
      return;
    }
    auto [job, created] = jobs->submit();
    res.set_header("Location", job["url"].get<std::string>());
    write_json(res, 202, {{"job", job}, {"created", created}});
  });

  routes.get(R"(/v1/admin/jobs/([^/]+))", [jobs, &config](const httplib::Request& req, httplib::Response& res) {
    authorise_editor(req, config);
    check_params(req, {});
    const std::string id = req.matches.size() > 1 ? req.matches[1].str() : "";
    auto job = jobs->find(id);
    if (!job) throw InvalidArgument("no job '" + id + "' (jobs are kept while the server runs)", "not_found");
    write_json(res, 200, {{"job", *job}});
  });

  routes.get("/v1/admin/index", [&config](const httplib::Request& req, httplib::Response& res) {
    authorise_editor(req, config);
    check_params(req, {});
    const auto live = read_live_generation(config.kb_dir);
    if (!live) throw IndexUnavailable("the knowledge base has no live generation");
    const GenerationStats s = read_generation_stats(*live);
    write_json(res, 200,
               {{"version", s.generation},
                {"built_at", s.built_at},
                {"documents", s.documents},
                {"languages", s.languages},
                {"channels", s.channels},
                {"audiences", s.audiences},
                {"content_dir", config.content_dir.empty() ? json(nullptr) : json(config.content_dir)}});
  });
}

}  // namespace kb::server
