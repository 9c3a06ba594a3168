// `wharf dispatch`: run a file of tasks as containers at the pinned worker image, in
// parallel, with retries, a results file and a summary; Ctrl-C leaves no container behind.
#include <fstream>
#include <iostream>

#include <unistd.h>

#include "wharf/dispatch/cancel_token.hpp"
#include "wharf/dispatch/progress_reporter.hpp"
#include "wharf/dispatch/results_file.hpp"
#include "wharf/dispatch/scheduler.hpp"
#include "wharf/local/engine_worker.hpp"
#include "wharf/local/warm_pool_worker.hpp"

#include "cli/commands.hpp"
#include "cli/task_setup.hpp"

namespace wharf::cli {
namespace {

struct DispatchOptions {
  TaskSetupOptions setup;
  std::filesystem::path tasks_file;
  std::size_t parallel = 4;
  unsigned retries = 0;
  std::optional<std::filesystem::path> results;
  std::optional<std::filesystem::path> logs;
  std::optional<std::size_t> warm;
};

Result<std::vector<dispatch::TaskSpec>> read_tasks(const std::filesystem::path& path) {
  std::ifstream input(path, std::ios::binary);
  if (!input) {
    return fail(ErrorKind::invalid_input,
                "cannot read the task file " + path.string() + " — check the --tasks path.");
  }
  auto tasks = dispatch::parse_task_file(input, path.string());
  if (tasks && tasks->empty()) {
    return fail(ErrorKind::invalid_input, "the task file " + path.string() +
                                              " holds no task — add one JSON object per line.");
  }
  return tasks;
}

nlohmann::json report_json(const dispatch::RunReport& report, const std::string& run_id,
                           const local::EnsuredImage& image) {
  nlohmann::json results = nlohmann::json::array();
  for (const auto& result : report.results) {
    results.push_back(dispatch::task_result_json(result));
  }
  return nlohmann::json{{"run_id", run_id},
                        {"image", image.reference},
                        {"image_digest", image.digest},
                        {"counts", dispatch::run_counts_json(report.counts)},
                        {"cancelled", report.cancelled},
                        {"wall_time_ms", report.wall_time.count()},
                        {"lost_workers", nlohmann::json::array()},
                        {"results", std::move(results)}};
}

Result<int> run_dispatch(const GlobalOptions& globals, const DispatchOptions& options,
                         const Console& console) {
  // The task file comes first: a typo must not cost a pull or start anything.
  auto tasks = read_tasks(options.tasks_file);
  if (!tasks) {
    return std::unexpected(tasks.error());
  }
  if (options.parallel == 0) {
    return fail(ErrorKind::invalid_input, "--parallel must be at least 1.");
  }
  if (options.warm && *options.warm == 0) {
    return fail(ErrorKind::invalid_input,
                "--warm must be at least 1 (the number of long-lived worker containers).");
  }
  auto setup = prepare_task_setup(globals, options.setup, console);
  if (!setup) {
    return std::unexpected(setup.error());
  }
  const auto run_id = local::new_run_id();
  std::optional<dispatch::ResultsFile> results_file;
  if (options.results) {
    auto opened = dispatch::ResultsFile::open(*options.results);
    if (!opened) {
      return std::unexpected(opened.error());
    }
    results_file.emplace(std::move(*opened));
  }

  // Absolute, so the paths in results and the summary work from any directory.
  const auto logs_dir = std::filesystem::absolute(
      options.logs ? *options.logs : globals.project_root() / ".wharf" / "logs" / run_id);
  std::shared_ptr<dispatch::Worker> worker;
  std::shared_ptr<local::WarmPoolWorker> pool;
  if (options.warm) {
    local::WarmPoolOptions pool_options;
    pool_options.size = *options.warm;
    pool_options.image = setup->image.reference;
    pool_options.image_digest = setup->image.digest;
    pool_options.logs_dir = logs_dir;
    auto created = local::WarmPoolWorker::create(setup->engine, std::move(pool_options));
    if (!created) {
      return std::unexpected(created.error());
    }
    pool = *created;
    worker = pool;
  } else {
    local::EngineWorkerOptions worker_options;
    worker_options.slots = options.parallel;
    worker_options.image = setup->image.reference;
    worker_options.image_digest = setup->image.digest;
    worker_options.logs_dir = logs_dir;
    worker = std::make_shared<local::EngineWorker>(setup->engine, std::move(worker_options));
  }
  const dispatch::Scheduler scheduler(
      {worker},
      dispatch::SchedulerOptions{
          .parallel = options.parallel, .retries = options.retries, .retry_failed_tasks = false});

  dispatch::ProgressReporter progress(
      std::cerr, dispatch::ProgressOptions{.live = ::isatty(STDERR_FILENO) != 0,
                                           .color = console.options().color});
  dispatch::EventFanout fanout = results_file ? dispatch::EventFanout{&progress, &*results_file}
                                              : dispatch::EventFanout{&progress};

  dispatch::CancelToken cancel;
  auto signals = dispatch::install_signal_cancellation(cancel);
  if (!signals) {
    return std::unexpected(signals.error());
  }
  console.note("run " + run_id + ": " + std::to_string(tasks->size()) + " tasks at " +
               setup->image.reference + " on " + setup->engine.host().address +
               (options.warm ? " in a warm pool of " + std::to_string(*options.warm) : ""));
  const auto report = scheduler.run(*tasks, run_id, cancel, &fanout);
  progress.finish();
  if (pool) {
    if (auto removed = pool->shutdown(); !removed) {
      console.error(removed.error());
    }
  }
  // Every attempt removes its own container; this sweep is the guarantee when one could not.
  auto swept = local::remove_run_containers(setup->engine, run_id);
  if (!swept) {
    console.error(swept.error());
  }

  if (console.json()) {
    auto document = report_json(report, run_id, setup->image);
    for (const auto& lost : report.lost_workers) {
      document["lost_workers"].push_back({{"name", lost.name}, {"error", lost.error}});
    }
    console.json(document);
  } else {
    console.table(dispatch::summary_table(
        report, tasks->size() > 50 ? dispatch::SummaryRows::problems : dispatch::SummaryRows::all));
  }
  console.note(dispatch::summary_line(report));
  if (results_file) {
    if (auto status = results_file->status(); !status) {
      console.error(status.error());
      return exit_error;
    }
  }
  return report.counts.all_succeeded() ? exit_ok : exit_check_failed;
}

}  // namespace

void set_dispatch_command(CLI::App& app, GlobalOptions& globals) {
  auto options = std::make_shared<DispatchOptions>();
  auto* dispatch = app.add_subcommand(
      "dispatch", "Run a file of tasks in worker containers at the pinned image");
  add_task_setup_options(*dispatch, options->setup);
  dispatch->add_option("--tasks", options->tasks_file, "JSON-lines task file")->required();
  dispatch->add_option("--parallel", options->parallel, "Tasks at once")->capture_default_str();
  dispatch
      ->add_option("--retries", options->retries, "Extra attempts after an infrastructure error")
      ->capture_default_str();
  dispatch->add_option("--results", options->results, "Write one JSON line per task here");
  dispatch->add_option("--logs", options->logs,
                       "Directory for <task>.log files (default: .wharf/logs/<run>)");
  dispatch->add_option(
      "--warm", options->warm,
      "Run tasks through exec in N long-lived containers (tasks in one container share its "
      "filesystem; at most N tasks at once)");
  dispatch->callback([&globals, options] {
    run_command(globals,
                [&](const Console& console) { return run_dispatch(globals, *options, console); });
  });
}

}  // namespace wharf::cli
