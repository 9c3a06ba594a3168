// wharf_bench_bare: the floor under wharf's per-task cost. Runs N trivial containers one
// after the other through the Engine API — create, start, wait, remove over one kept-alive
// connection, nothing else (no logs, no files, no scheduler) — and prints how long each took.
// tools/bench.sh sets `wharf dispatch --parallel 1` of the same tasks next to it: the ratio
// of the two is wharf's own overhead per task.
//
// Output (stdout, one line, for the script): "tasks=N median_ms=M mean_ms=A total_ms=T …";
// with --times FILE also each task's milliseconds, one per line, appended to FILE.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "wharf/connect/engine_route.hpp"
#include "wharf/engine/docker_host.hpp"
#include "wharf/engine/engine_client.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct BenchOptions {
  std::optional<std::string> host;
  std::string image = "wharf/worker:dev";
  std::size_t tasks = 50;
  std::optional<std::filesystem::path> times;
};

// One task the way a bare client would run it; fails with the first error.
wharf::Result<void> run_one(wharf::engine::EngineClient& engine, const std::string& image) {
  wharf::engine::ContainerSpec spec;
  spec.image = image;
  spec.cmd = {"true"};
  spec.network_mode = "none";
  auto created = engine.container_create(spec);
  if (!created) {
    return std::unexpected(created.error());
  }
  auto waited = [&]() -> wharf::Result<wharf::engine::WaitResult> {
    if (auto started = engine.container_start(created->id); !started) {
      return std::unexpected(started.error());
    }
    return engine.container_wait(created->id);
  }();
  // Removed whatever happened: a benchmark must not leave containers behind either.
  auto removed = engine.container_remove(created->id);
  if (!waited) {
    return std::unexpected(waited.error());
  }
  if (waited->exit_code != 0) {
    return wharf::fail(wharf::ErrorKind::remote, "the trivial task exited with code " +
                                                     std::to_string(waited->exit_code) + ".");
  }
  return removed;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const auto n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

int bench(const BenchOptions& options) {
  auto host = wharf::engine::resolve_docker_host(options.host,
                                                 wharf::engine::DockerEnvironment::from_process());
  if (!host) {
    std::fprintf(stderr, "wharf_bench_bare: %s\n", host.error().message.c_str());
    return 2;
  }
  auto engine = wharf::connect::connect_engine(*host);
  if (!engine) {
    std::fprintf(stderr, "wharf_bench_bare: %s\n", engine.error().message.c_str());
    return 3;
  }
  // One untimed task first, so the connection and the engine's caches are warm for all N,
  // as they are for all but the first task of a dispatch.
  if (auto warm = run_one(*engine, options.image); !warm) {
    std::fprintf(stderr, "wharf_bench_bare: %s\n", warm.error().message.c_str());
    return 3;
  }
  std::vector<double> ms;
  ms.reserve(options.tasks);
  const auto all_start = Clock::now();
  for (std::size_t i = 0; i < options.tasks; ++i) {
    const auto start = Clock::now();
    if (auto done = run_one(*engine, options.image); !done) {
      std::fprintf(stderr, "wharf_bench_bare: task %zu: %s\n", i + 1, done.error().message.c_str());
      return 3;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  const auto total = std::chrono::duration<double, std::milli>(Clock::now() - all_start).count();
  if (options.times) {
    std::ofstream out(*options.times, std::ios::app);
    for (const auto value : ms) {
      out << value << '\n';
    }
    if (!out) {
      std::fprintf(stderr, "wharf_bench_bare: cannot append to %s\n", options.times->c_str());
      return 3;
    }
  }
  const auto mean = std::accumulate(ms.begin(), ms.end(), 0.0) / static_cast<double>(ms.size());
  std::printf("tasks=%zu median_ms=%.1f mean_ms=%.1f total_ms=%.0f connections=%zu\n",
              options.tasks, median(ms), mean, total, engine->connections_opened());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Sequential create/start/wait/remove of trivial containers over one connection"};
  BenchOptions options;
  app.add_option("--host", options.host, "Docker engine; default: DOCKER_HOST or the local socket");
  app.add_option("--image", options.image, "Image of the trivial containers")
      ->capture_default_str();
  app.add_option("--tasks", options.tasks, "Containers to time")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--times", options.times, "Append each task's milliseconds to this file");
  CLI11_PARSE(app, argc, argv);
  return bench(options);
}
