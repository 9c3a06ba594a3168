// `wharf dispatch`: run a file of tasks as containers at the pinned worker image, in
// parallel, with retries, a results file and a summary; Ctrl-C leaves no container behind.
#include <fstream>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "wharf/backends/engine/engine_worker.hpp"
#include "wharf/backends/engine/warm_pool_worker.hpp"
#include "wharf/core/wording.hpp"
#include "wharf/dispatch/cancel_token.hpp"
#include "wharf/dispatch/log_retention.hpp"
#include "wharf/dispatch/progress_reporter.hpp"
#include "wharf/dispatch/results_file.hpp"
#include "wharf/dispatch/scheduler.hpp"

#include "cli/commands.hpp"
#include "cli/task_setup.hpp"
#include "cli/worker_setup.hpp"

namespace wharf::cli {
namespace {

struct DispatchOptions {
  TaskSetupOptions setup;
  std::filesystem::path tasks_file;
  std::optional<std::size_t> parallel;
  unsigned retries = 0;
  std::optional<std::filesystem::path> results;
  std::optional<std::filesystem::path> logs;
  std::optional<std::size_t> warm;
  std::size_t keep_logs = dispatch::kDefaultKeptRunLogs;
  WorkerSetupOptions workers;
};

// Tasks at once on one engine without --parallel.
constexpr std::size_t kDefaultParallel = 4;

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

// One engine tasks run on, with the image ensured there.
struct Target {
  std::string name;  ///< The worker's name in results ("local" without an inventory).
  engine::EngineClient engine;
  backends::EnsuredImage image;
  std::size_t slots = 1;
  std::shared_ptr<ssh::SshConnector> ssh;  ///< Keeps an SSH worker's transport alive.
};

nlohmann::json report_json(const dispatch::RunReport& report, const std::string& run_id,
                           const std::vector<Target>& targets,
                           const std::vector<dispatch::LostWorker>& skipped) {
  nlohmann::json results = nlohmann::json::array();
  for (const auto& result : report.results) {
    results.push_back(dispatch::task_result_json(result));
  }
  nlohmann::json workers = nlohmann::json::array();
  for (const auto& target : targets) {
    workers.push_back({{"name", target.name},
                       {"address", target.engine.host().address},
                       {"slots", target.slots},
                       {"image_digest", target.image.digest}});
  }
  nlohmann::json skipped_json = nlohmann::json::array();
  for (const auto& worker : skipped) {
    skipped_json.push_back({{"name", worker.name}, {"error", worker.error}});
  }
  nlohmann::json lost = nlohmann::json::array();
  for (const auto& worker : report.lost_workers) {
    lost.push_back({{"name", worker.name}, {"error", worker.error}});
  }
  return nlohmann::json{{"run_id", run_id},
                        {"image", targets.front().image.reference},
                        {"image_digest", targets.front().image.digest},
                        {"workers", std::move(workers)},
                        {"counts", dispatch::run_counts_json(report.counts)},
                        {"cancelled", report.cancelled},
                        {"wall_time_ms", report.wall_time.count()},
                        {"lost_workers", std::move(lost)},
                        {"skipped_workers", std::move(skipped_json)},
                        {"results", std::move(results)}};
}

// The one engine of --host / DOCKER_HOST.
Result<std::vector<Target>> single_engine(const GlobalOptions& globals,
                                          const DispatchOptions& options, const Console& console) {
  auto setup = prepare_task_setup(globals, options.setup, console);
  if (!setup) {
    return std::unexpected(setup.error());
  }
  std::vector<Target> targets;
  targets.push_back(Target{"local", std::move(setup->engine), std::move(setup->image),
                           options.warm.value_or(options.parallel.value_or(kDefaultParallel)),
                           nullptr});
  return targets;
}

// Every reachable worker of the inventory that has (or got) the image. A worker that cannot
// be reached or cannot get the image is reported and left out; the others carry on.
Result<std::vector<Target>> inventory_engines(const GlobalOptions& globals,
                                              const DispatchOptions& options,
                                              const Console& console,
                                              std::vector<dispatch::LostWorker>& skipped) {
  auto policy = dispatch::parse_pull_policy(options.setup.pull);
  if (!policy) {
    return std::unexpected(policy.error());
  }
  auto image = pinned_worker_image(globals, options.setup.image, options.setup.allow_unpinned);
  if (!image) {
    return std::unexpected(image.error());
  }
  auto connected = connect_inventory(globals, options.workers);
  if (!connected) {
    return std::unexpected(connected.error());
  }
  std::vector<std::optional<Result<backends::EnsuredImage>>> ensured(connected->size());
  {
    std::vector<std::jthread> threads;
    for (std::size_t index = 0; index < connected->size(); ++index) {
      if (!(*connected)[index].engine) {
        continue;
      }
      threads.emplace_back([&, index] {
        auto& worker = (*connected)[index];
        bool announced = false;
        ensured[index] = backends::ensure_image(
            *worker.engine, *image, *policy, [&](const engine::PullProgress& /*progress*/) {
              if (!announced) {
                console.note("pulling " + image->familiar() + " on worker " + worker.entry.name);
                announced = true;
              }
            });
      });
    }
  }
  std::vector<Target> targets;
  for (std::size_t index = 0; index < connected->size(); ++index) {
    auto& worker = (*connected)[index];
    if (!worker.engine) {
      console.error(*worker.error);
      skipped.push_back({worker.entry.name, worker.error->message});
      continue;
    }
    if (!*ensured[index]) {
      auto error = ensured[index]->error();
      error.message = "worker " + worker.entry.name + ": " + error.message;
      console.error(error);
      skipped.push_back({worker.entry.name, error.message});
      continue;
    }
    targets.push_back(Target{worker.entry.name, std::move(*worker.engine),
                             std::move(**ensured[index]), worker.entry.slots, worker.ssh});
  }
  if (targets.empty()) {
    return fail(ErrorKind::unavailable,
                "no worker of the inventory can run tasks (see the errors above) — fix them, "
                "then check with `wharf workers check`.");
  }
  return targets;
}

Result<int> run_dispatch(const GlobalOptions& globals, const DispatchOptions& options,
                         const Console& console) {
  // The task file comes first: a typo must not cost a pull or start anything.
  auto tasks = read_tasks(options.tasks_file);
  if (!tasks) {
    return std::unexpected(tasks.error());
  }
  if (options.parallel && *options.parallel == 0) {
    return fail(ErrorKind::invalid_input, "--parallel must be at least 1.");
  }
  if (options.warm && *options.warm == 0) {
    return fail(ErrorKind::invalid_input,
                "--warm must be at least 1 (the number of long-lived worker containers).");
  }
  const bool use_inventory = options.workers.workers.has_value();
  if (use_inventory && options.warm) {
    return fail(ErrorKind::invalid_input,
                "--warm works on one engine only for now — drop --warm or --workers.");
  }
  std::vector<dispatch::LostWorker> skipped;  // Inventory workers left out at the start.
  auto targets = use_inventory ? inventory_engines(globals, options, console, skipped)
                               : single_engine(globals, options, console);
  if (!targets) {
    return std::unexpected(targets.error());
  }
  const auto run_id = backends::new_run_id();
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
      options.logs ? *options.logs
                   : dispatch::default_run_logs_dir(globals.project_root(), run_id));
  std::vector<std::shared_ptr<dispatch::Worker>> workers;
  std::shared_ptr<backends::WarmPoolWorker> pool;
  for (auto& target : *targets) {
    if (options.warm) {
      backends::WarmPoolOptions pool_options;
      pool_options.name = target.name;
      pool_options.size = *options.warm;
      pool_options.image = target.image.reference;
      pool_options.image_digest = target.image.digest;
      pool_options.logs_dir = logs_dir;
      auto created = backends::WarmPoolWorker::create(target.engine, std::move(pool_options));
      if (!created) {
        return std::unexpected(created.error());
      }
      pool = *created;
      workers.push_back(pool);
      continue;
    }
    backends::EngineWorkerOptions worker_options;
    worker_options.name = target.name;
    worker_options.slots = target.slots;
    worker_options.image = target.image.reference;
    worker_options.image_digest = target.image.digest;
    worker_options.logs_dir = logs_dir;
    workers.push_back(
        std::make_shared<backends::EngineWorker>(target.engine, std::move(worker_options)));
  }
  // Without --parallel an inventory runs as many tasks as its workers have slots.
  const dispatch::Scheduler scheduler(
      workers, dispatch::SchedulerOptions{.parallel = options.parallel.value_or(0),
                                          .retries = options.retries,
                                          .retry_failed_tasks = false});

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
  std::string where;
  for (const auto& target : *targets) {
    where += (where.empty() ? "" : ", ") +
             (use_inventory ? target.name + " (" + target.engine.host().address + ")"
                            : target.engine.host().address);
  }
  console.note("run " + run_id + ": " + counted(tasks->size(), "task") + " at " +
               targets->front().image.reference + " on " + where +
               (options.warm ? " in a warm pool of " + std::to_string(*options.warm) : ""));
  const auto report = scheduler.run(*tasks, run_id, cancel, &fanout);
  progress.finish();
  if (pool) {
    if (auto removed = pool->shutdown(); !removed) {
      console.error(removed.error());
    }
  }
  // Every attempt removes its own container; this sweep is the guarantee when one could not
  // (a lost SSH host is tried again here: its session reconnects if the host is back).
  std::vector<std::optional<Error>> sweep_errors(targets->size());
  {
    // All at once: a host that went away costs its connect timeout once, not once per host.
    std::vector<std::jthread> sweepers;
    for (std::size_t index = 0; index < targets->size(); ++index) {
      sweepers.emplace_back([&, index] {
        if (auto swept = backends::remove_run_containers((*targets)[index].engine, run_id);
            !swept) {
          sweep_errors[index] = swept.error();
        }
      });
    }
  }
  for (std::size_t index = 0; index < targets->size(); ++index) {
    if (auto& error = sweep_errors[index]) {
      error->message = "could not remove the containers of run " + run_id + " on " +
                       (*targets)[index].name + ": " + error->message +
                       " Remove them later with label wharf.run=" + run_id + ".";
      console.error(*error);
    }
  }

  if (console.json()) {
    console.json(report_json(report, run_id, *targets, skipped));
  } else {
    console.table(dispatch::summary_table(
        report, tasks->size() > 50 ? dispatch::SummaryRows::problems : dispatch::SummaryRows::all));
  }
  console.note(dispatch::summary_line(report));
  if (std::filesystem::exists(logs_dir)) {
    console.note("task logs: " + logs_dir.string());
  }
  if (!options.logs) {
    // Only the default folder is wharf's to tidy; a --logs folder belongs to the user.
    if (auto pruned = dispatch::prune_run_logs(logs_dir.parent_path(), options.keep_logs, run_id);
        !pruned) {
      console.error(pruned.error());
    }
  }
  if (results_file) {
    if (auto status = results_file->status(); !status) {
      console.error(status.error());
      return exit_error;
    }
  }
  if (report.cancelled) {
    return signals->exit_code_after_signal(exit_check_failed);
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
  dispatch->add_option("--parallel", options->parallel,
                       "Tasks at once (default: 4 on one engine, the slots of all workers "
                       "with --workers)");
  dispatch->add_option("--workers", options->workers.workers,
                       "Spread the tasks over the workers of this inventory "
                       "(e.g. docker/workers.json)");
  add_worker_setup_options(*dispatch, options->workers, false);
  dispatch
      ->add_option("--retries", options->retries, "Extra attempts after an infrastructure error")
      ->capture_default_str();
  dispatch->add_option("--results", options->results, "Write one JSON line per task here");
  dispatch->add_option("--logs", options->logs,
                       "Directory for <task>.log files (default: .wharf/logs/<run> in the "
                       "project, of which the newest --keep-logs runs are kept)");
  dispatch
      ->add_option("--keep-logs", options->keep_logs,
                   "Runs whose logs stay in the default logs folder (0 keeps all)")
      ->capture_default_str();
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
