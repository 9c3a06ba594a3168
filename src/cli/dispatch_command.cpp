// `wharf dispatch`: run a file of tasks as containers at the pinned worker image, in
// parallel, with retries, a results file and a summary; Ctrl-C leaves no container behind.
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "wharf/backends/engine/engine_worker.hpp"
#include "wharf/backends/worker_factory.hpp"
#include "wharf/core/wording.hpp"
#include "wharf/dispatch/cancel_token.hpp"
#include "wharf/dispatch/fleet.hpp"
#include "wharf/dispatch/log_retention.hpp"
#include "wharf/dispatch/progress_reporter.hpp"
#include "wharf/dispatch/results_file.hpp"
#include "wharf/dispatch/scheduler.hpp"

#include "cli/commands.hpp"
#include "cli/engine_setup.hpp"
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

nlohmann::json report_json(const dispatch::RunReport& report, const std::string& run_id,
                           const dispatch::Fleet& fleet) {
  nlohmann::json results = nlohmann::json::array();
  for (const auto& result : report.results) {
    results.push_back(dispatch::task_result_json(result));
  }
  nlohmann::json workers = nlohmann::json::array();
  for (const auto& member : fleet.members()) {
    workers.push_back({{"name", member.name},
                       {"address", member.address},
                       {"slots", member.worker->slots()},
                       {"image_digest", member.image.digest}});
  }
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& worker : fleet.skipped()) {
    skipped.push_back({{"name", worker.name}, {"error", worker.error.message}});
  }
  nlohmann::json lost = nlohmann::json::array();
  for (const auto& worker : report.lost_workers) {
    lost.push_back({{"name", worker.name}, {"error", worker.error}});
  }
  return nlohmann::json{{"run_id", run_id},
                        {"image", fleet.members().front().image.reference},
                        {"image_digest", fleet.members().front().image.digest},
                        {"workers", std::move(workers)},
                        {"counts", dispatch::run_counts_json(report.counts)},
                        {"cancelled", report.cancelled},
                        {"wall_time_ms", report.wall_time.count()},
                        {"lost_workers", std::move(lost)},
                        {"skipped_workers", std::move(skipped)},
                        {"results", std::move(results)}};
}

// The report as JSON on stdout, or as a table; then the summary line.
void print_report(const Console& console, const dispatch::RunReport& report,
                  const std::string& run_id, const dispatch::Fleet& fleet, std::size_t tasks) {
  if (console.json()) {
    console.json(report_json(report, run_id, fleet));
  } else {
    console.table(dispatch::summary_table(
        report, tasks > 50 ? dispatch::SummaryRows::problems : dispatch::SummaryRows::all));
  }
  console.note(dispatch::summary_line(report));
}

// The flags that contradict each other or cannot work, before anything is contacted.
Result<void> check_options(const DispatchOptions& options) {
  if (options.parallel && *options.parallel == 0) {
    return fail(ErrorKind::invalid_input, "--parallel must be at least 1.");
  }
  if (options.warm && *options.warm == 0) {
    return fail(ErrorKind::invalid_input,
                "--warm must be at least 1 (the number of long-lived worker containers).");
  }
  if (options.workers.workers && options.warm) {
    return fail(ErrorKind::invalid_input,
                "--warm works on one engine only for now — drop --warm or --workers.");
  }
  return {};
}

// The workers the tasks run on, with the image ready on each: the one engine of --host /
// DOCKER_HOST (its failure fails the run), or every reachable worker of the inventory that
// has or got the image (the others are reported and left out).
Result<dispatch::Fleet> ready_fleet(const GlobalOptions& globals, const DispatchOptions& options,
                                    const backends::WorkerSettings& settings,
                                    const Console& console) {
  auto plan = plan_image(globals, options.setup);
  if (!plan) {
    return std::unexpected(plan.error());
  }
  const bool use_inventory = options.workers.workers.has_value();
  std::vector<dispatch::FleetCandidate> candidates;
  if (use_inventory) {
    auto connected = connect_inventory(globals, options.workers);
    if (!connected) {
      return std::unexpected(connected.error());
    }
    candidates = backends::inventory_workers(*connected, settings);
  } else {
    auto client = connect_engine(globals.host);
    if (!client) {
      return std::unexpected(client.error());
    }
    candidates.push_back(backends::engine_worker(
        *client, "local", options.parallel.value_or(kDefaultParallel), settings));
  }
  dispatch::Fleet fleet(std::move(candidates));
  auto prepared =
      fleet.prepare(plan->image, plan->pull,
                    use_inventory ? dispatch::PrepareFailure::skips_the_worker
                                  : dispatch::PrepareFailure::fails_the_run,
                    [&](const dispatch::FleetCandidate& worker) {
                      console.note("pulling " + plan->image.familiar() + " on " +
                                   (use_inventory ? "worker " + worker.name : worker.address));
                    });
  for (const auto& skipped : fleet.skipped()) {
    console.error(skipped.error);
  }
  if (!prepared) {
    return std::unexpected(prepared.error());
  }
  return fleet;
}

// "run <id>: 3 tasks at <image> on <where>" — the workers by name with --workers.
std::string run_line(const DispatchOptions& options, const std::string& run_id, std::size_t tasks,
                     const dispatch::Fleet& fleet) {
  std::string where;
  for (const auto& member : fleet.members()) {
    where += (where.empty() ? "" : ", ") +
             (options.workers.workers ? member.name + " (" + member.address + ")" : member.address);
  }
  return "run " + run_id + ": " + counted(tasks, "task") + " at " +
         fleet.members().front().image.reference + " on " + where +
         (options.warm ? " in a warm pool of " + std::to_string(*options.warm) : "");
}

// Runs the tasks on the fleet's workers, the progress on stderr and each result also in the
// results file when there is one.
dispatch::RunReport run_tasks(const std::vector<dispatch::TaskSpec>& tasks,
                              const std::string& run_id, const DispatchOptions& options,
                              const dispatch::Fleet& fleet, dispatch::ResultsFile* results_file,
                              const dispatch::CancelToken& cancel, const Console& console) {
  // Without --parallel an inventory runs as many tasks as its workers have slots.
  const dispatch::Scheduler scheduler(
      fleet.workers(), dispatch::SchedulerOptions{.parallel = options.parallel.value_or(0),
                                                  .retries = options.retries,
                                                  .retry_failed_tasks = false});
  dispatch::ProgressReporter progress(
      std::cerr, dispatch::ProgressOptions{.live = ::isatty(STDERR_FILENO) != 0,
                                           .color = console.options().color});
  dispatch::EventFanout fanout = results_file ? dispatch::EventFanout{&progress, results_file}
                                              : dispatch::EventFanout{&progress};
  auto report = scheduler.run(tasks, run_id, cancel, &fanout);
  progress.finish();
  return report;
}

// Says where the task logs are, and tidies the default logs folder (a --logs folder belongs
// to the user).
void finish_logs(const DispatchOptions& options, const std::filesystem::path& logs_dir,
                 const std::string& run_id, const Console& console) {
  if (std::filesystem::exists(logs_dir)) {
    console.note("task logs: " + logs_dir.string());
  }
  if (!options.logs) {
    if (auto pruned = dispatch::prune_run_logs(logs_dir.parent_path(), options.keep_logs, run_id);
        !pruned) {
      console.error(pruned.error());
    }
  }
}

Result<int> run_dispatch(const GlobalOptions& globals, const DispatchOptions& options,
                         const Console& console) {
  // The task file comes first: a typo must not cost a pull or start anything.
  auto tasks = read_tasks(options.tasks_file);
  if (!tasks) {
    return std::unexpected(tasks.error());
  }
  if (auto checked = check_options(options); !checked) {
    return std::unexpected(checked.error());
  }
  const auto run_id = backends::new_run_id();
  // Absolute, so the paths in results and the summary work from any directory.
  const auto logs_dir = std::filesystem::absolute(
      options.logs ? *options.logs
                   : dispatch::default_run_logs_dir(globals.project_root(), run_id));
  backends::WorkerSettings settings;
  settings.logs_dir = logs_dir;
  settings.warm = options.warm;
  auto fleet = ready_fleet(globals, options, settings, console);
  if (!fleet) {
    return std::unexpected(fleet.error());
  }
  std::optional<dispatch::ResultsFile> results_file;
  if (options.results) {
    auto opened = dispatch::ResultsFile::open(*options.results);
    if (!opened) {
      return std::unexpected(opened.error());
    }
    results_file.emplace(std::move(*opened));
  }
  dispatch::CancelToken cancel;
  auto signals = dispatch::install_signal_cancellation(cancel);
  if (!signals) {
    return std::unexpected(signals.error());
  }
  console.note(run_line(options, run_id, tasks->size(), *fleet));
  const auto report = run_tasks(*tasks, run_id, options, *fleet,
                                results_file ? &*results_file : nullptr, cancel, console);
  // Every attempt removes its own container; the sweep is the guarantee when one could not
  // (a lost SSH host is tried again here: its session reconnects if the host is back).
  for (const auto& error : fleet->stop()) {
    console.error(error);
  }
  for (const auto& error : fleet->sweep(run_id)) {
    console.error(error);
  }
  print_report(console, report, run_id, *fleet, tasks->size());
  finish_logs(options, logs_dir, run_id, console);
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
