// kb-server: serves a knowledge base over HTTP.
#include <csignal>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "errors.h"
#include "event_store.h"
#include "http_server.h"
#include "knowledge_base.h"
#include "server_config.h"

extern char** environ;

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::fputs(kb::server::server_usage().c_str(), stdout);
      return 0;
    }
  }
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    const auto eq = kv.find('=');
    if (eq != std::string::npos && kv.compare(0, 3, "KB_") == 0) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }

  // SIGTERM and SIGINT are taken by a dedicated thread (sigwait), so stopping is not done
  // inside a signal handler. Block them before any other thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  try {
    const kb::server::ServerConfig config = kb::server::load_server_config(args, env);
    kb::search::KnowledgeBase kb(config.kb_dir, config.search);
    kb.watch(std::chrono::milliseconds(config.reload_interval_ms));
    // Declared before the server, so it is destroyed after it: the last requests' events are
    // written before the process ends.
    std::unique_ptr<kb::events::EventStore> events;
    if (config.events.enabled && !config.events.path.empty()) {
      kb::events::StoreSettings s;
      s.path = config.events.path;
      s.retention_days = config.events.retention_days;
      s.queue_capacity = config.events.queue_capacity;
      s.flush_interval = std::chrono::milliseconds(config.events.flush_interval_ms);
      events = std::make_unique<kb::events::EventStore>(s);
    }
    kb::server::HttpServer server(config, kb, events.get());
    const int port = server.bind();
    std::printf("kb-server: listening on http://%s:%d (index %s)\n", config.host.c_str(), port,
                kb.version().c_str());
    std::fflush(stdout);

    std::thread stopper([&server, signals] {
      int sig = 0;
      sigwait(&signals, &sig);
      std::fprintf(stderr, "kb-server: signal %d, finishing requests in flight\n", sig);
      server.stop();
    });
    const bool ok = server.serve();
    // serve() also returns when the listening socket fails; wake the stopper either way.
    if (stopper.joinable()) {
      pthread_kill(stopper.native_handle(), SIGTERM);
      stopper.join();
    }
    std::fprintf(stderr, "kb-server: stopped\n");
    return ok ? 0 : 1;
  } catch (const kb::InvalidArgument& e) {
    std::fprintf(stderr, "kb-server: %s\n\n%s", e.what(), kb::server::server_usage().c_str());
    return 2;
  } catch (const kb::Error& e) {
    std::fprintf(stderr, "kb-server: %s: %s\n", e.code().c_str(), e.what());
    return 1;
  }
}
