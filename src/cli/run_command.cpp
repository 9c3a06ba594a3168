// `wharf run`: one command in a fresh worker container, its output streamed live, its exit
// code passed through — the quick way to try something at the pinned image. With --json the
// task's output goes to stderr and stdout carries one results-file line describing the run.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include <nlohmann/json.hpp>

#include "wharf/backends/engine/attempt_outcome.hpp"
#include "wharf/backends/engine/engine_worker.hpp"
#include "wharf/backends/worker_factory.hpp"
#include "wharf/core/quote.hpp"
#include "wharf/core/utf8.hpp"
#include "wharf/dispatch/cancel_token.hpp"
#include "wharf/dispatch/results_file.hpp"

#include "cli/commands.hpp"
#include "cli/engine_setup.hpp"
#include "cli/task_setup.hpp"

namespace wharf::cli {
namespace {

// Exit codes for a task that produced none of its own, after docker run and timeout(1);
// a task stopped by a signal to wharf exits 128 + that signal (130 Ctrl-C, 143 SIGTERM).
constexpr int exit_task_timed_out = 124;
constexpr int exit_task_not_run = 125;
constexpr int exit_task_cancelled = 130;

struct RunOptions {
  TaskSetupOptions setup;
  std::vector<std::string> env;
  std::optional<double> timeout_seconds;
  std::vector<std::string> command;
};

// The Engine API carries argv and env as JSON strings, which must be UTF-8: other bytes
// cannot reach the container unchanged, so they are refused before anything starts.
Result<void> require_utf8(std::string_view value, const std::string& what) {
  if (const auto offset = first_invalid_utf8(value)) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(value[*offset]));
    return fail(ErrorKind::invalid_input,
                what + ", " + quote_value(value) + ", is not UTF-8 text (byte " + byte +
                    " at offset " + std::to_string(*offset) +
                    "): the Engine API carries it as a JSON string, so it cannot reach the "
                    "container unchanged — pass UTF-8 text (encode binary data, e.g. as base64, "
                    "and decode it in the task).");
  }
  return {};
}

Result<dispatch::TaskSpec> make_task(const RunOptions& options) {
  dispatch::TaskSpec task;
  task.id = "run";
  task.args = options.command;
  for (std::size_t index = 0; index < task.args.size(); ++index) {
    if (auto valid = require_utf8(task.args[index],
                                  "argument " + std::to_string(index + 1) + " of the command");
        !valid) {
      return std::unexpected(valid.error());
    }
  }
  for (const auto& entry : options.env) {
    const auto equals = entry.find('=');
    const auto name = entry.substr(0, equals);
    if (!dispatch::is_valid_env_name(name)) {
      return fail(ErrorKind::invalid_input, "-e " + quote_value(entry) + ": " + quote_value(name) +
                                                " is not a variable name — use -e NAME=value.");
    }
    std::string value;
    if (equals != std::string::npos) {
      value = entry.substr(equals + 1);
    } else if (const char* inherited = std::getenv(name.c_str()); inherited != nullptr) {
      // Like docker: a bare NAME passes this process's value through.
      value = inherited;
    } else {
      continue;
    }
    if (auto valid = require_utf8(value, "the value of -e " + name); !valid) {
      return std::unexpected(valid.error());
    }
    task.env[name] = std::move(value);
  }
  if (options.timeout_seconds) {
    if (!(*options.timeout_seconds > 0)) {
      return fail(ErrorKind::invalid_input, "--timeout must be a positive number of seconds.");
    }
    task.timeout = std::chrono::milliseconds(
        static_cast<std::int64_t>(*options.timeout_seconds * 1000.0 + 0.999));
  }
  return task;
}

// docker run's exit status for an attempt that produced no exit code of its own.
int exit_code_without_task_status(const dispatch::Attempt& attempt) {
  if (attempt.status == dispatch::AttemptStatus::failed_to_start) {
    return backends::command_exit_code(attempt.error).value_or(exit_task_not_run);
  }
  return exit_task_not_run;
}

// With --json, stdout carries this whatever happened, also when the task never started.
void print_result(const Console& console, const dispatch::Attempt& attempt) {
  if (console.json()) {
    console.json(dispatch::task_result_json(dispatch::TaskResult{
        .id = "run", .last = attempt, .attempts = 1, .workers_tried = {attempt.worker}}));
  }
}

// The engine of --host as a worker with the image ready on it, saying so when it pulls.
Result<std::shared_ptr<dispatch::Worker>> ready_worker(const GlobalOptions& globals,
                                                       const RunOptions& options,
                                                       const Console& console,
                                                       engine::LogSink live_output) {
  auto plan = plan_image(globals, options.setup);
  if (!plan) {
    return std::unexpected(plan.error());
  }
  auto client = connect_engine(globals.host);
  if (!client) {
    return std::unexpected(client.error());
  }
  backends::WorkerSettings settings;
  settings.live_output = std::move(live_output);
  auto candidate = backends::engine_worker(*client, "local", 1, settings);
  bool announced = false;
  auto prepared = candidate.worker->prepare(
      plan->image, plan->pull, [&](const dispatch::PrepareProgress& /*progress*/) {
        if (!announced) {
          console.note("pulling " + plan->image.familiar() + " on " + candidate.address);
          announced = true;
        }
      });
  if (!prepared) {
    return std::unexpected(prepared.error());
  }
  return candidate.worker;
}

Result<int> run_one(const GlobalOptions& globals, const RunOptions& options,
                    const Console& console) {
  // A command line wharf cannot carry is refused (exit 2) before anything is contacted.
  auto task = make_task(options);
  if (!task) {
    return std::unexpected(task.error());
  }
  const auto started = std::chrono::steady_clock::now();
  const auto elapsed = [&started] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 started);
  };
  std::mutex output_mutex;
  // With --json stdout belongs to the JSON document, so the task's own stdout joins stderr.
  const bool json = console.json();
  const auto live_output = [&](engine::LogStream stream, std::string_view bytes) {
    const std::lock_guard lock(output_mutex);
    auto* out = json || stream == engine::LogStream::standard_error ? stderr : stdout;
    std::fwrite(bytes.data(), 1, bytes.size(), out);
    std::fflush(out);
  };
  auto worker = ready_worker(globals, options, console, live_output);
  if (!worker) {
    if (worker.error().kind == ErrorKind::invalid_input) {
      return std::unexpected(worker.error());  // The flags or the pin are wrong: exit 2.
    }
    // The engine or the image is not there: the task could not start, as docker run's 125.
    console.error(worker.error());
    const auto kind = worker.error().kind;
    const bool engine_failed = kind == ErrorKind::unavailable || kind == ErrorKind::timeout;
    auto attempt = backends::ended(engine_failed ? dispatch::AttemptStatus::infrastructure_error
                                                 : dispatch::AttemptStatus::failed_to_start,
                                   worker.error().message);
    attempt.duration = elapsed();
    print_result(console, attempt);
    return exit_task_not_run;
  }

  dispatch::CancelToken cancel;
  auto signals = dispatch::install_signal_cancellation(cancel);
  if (!signals) {
    return std::unexpected(signals.error());
  }
  const auto run_id = backends::new_run_id();
  auto attempt = (*worker)->run(*task, dispatch::AttemptContext{run_id, 1, cancel});
  // Measured here the way the scheduler does for dispatch, since no scheduler runs this one.
  if (attempt.duration == std::chrono::milliseconds::zero()) {
    attempt.duration = elapsed();
  }
  // The worker removes its container; the sweep catches one a broken connection left.
  (void)(*worker)->sweep(run_id);
  print_result(console, attempt);

  switch (attempt.status) {
    case dispatch::AttemptStatus::completed:
      return attempt.exit_code;
    case dispatch::AttemptStatus::timed_out:
      console.note(attempt.error);
      return exit_task_timed_out;
    case dispatch::AttemptStatus::cancelled:
      console.note(attempt.error);
      return signals->exit_code_after_signal(exit_task_cancelled);
    case dispatch::AttemptStatus::failed_to_start:
    case dispatch::AttemptStatus::infrastructure_error:
      console.error(Error::make(ErrorKind::remote, attempt.error));
      return exit_code_without_task_status(attempt);
  }
  return exit_task_not_run;
}

}  // namespace

void set_run_command(CLI::App& app, GlobalOptions& globals) {
  auto options = std::make_shared<RunOptions>();
  auto* run = app.add_subcommand(
      "run", "Run one command in a fresh worker container and pass its exit code through");
  add_task_setup_options(*run, options->setup);
  run->add_option("-e,--env", options->env, "Set NAME=value (or pass NAME through)")
      ->allow_extra_args(false);
  run->add_option("--timeout", options->timeout_seconds, "Kill the command after S seconds");
  run->add_option("command", options->command, "The command and its arguments (after --)")
      ->required();
  run->callback([&globals, options] {
    run_command(globals,
                [&](const Console& console) { return run_one(globals, *options, console); });
  });
}

}  // namespace wharf::cli
