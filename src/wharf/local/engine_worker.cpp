#include "wharf/local/engine_worker.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <system_error>

#include "wharf/local/attempt_outcome.hpp"
#include "wharf/local/task_output.hpp"

namespace wharf::local {
namespace {

using dispatch::Attempt;
using dispatch::AttemptStatus;
using namespace std::chrono_literals;

// An error from the engine while preparing the container: one the engine answered with
// (image missing, command not runnable) is the task's problem and another worker would hit
// it too; anything else is the engine's or the connection's.
AttemptStatus classify_start_error(const Error& error) {
  if (error.kind == ErrorKind::cancelled) {
    return AttemptStatus::cancelled;
  }
  if (is_connection_error(error) || error.kind == ErrorKind::conflict) {
    return AttemptStatus::infrastructure_error;
  }
  return AttemptStatus::failed_to_start;
}

}  // namespace

EngineWorker::EngineWorker(const engine::EngineClient& engine, EngineWorkerOptions options)
    : options_(std::move(options)), clients_(engine) {}

std::string EngineWorker::container_name(const std::string& run_id, const std::string& task_id,
                                         unsigned attempt) {
  return "wharf-" + run_id + "-" + task_id + "-" + std::to_string(attempt);
}

Attempt EngineWorker::run(const dispatch::TaskSpec& task, const dispatch::AttemptContext& context) {
  auto client = clients_.acquire();
  bool connection_ok = true;
  const auto finish = [&](Attempt attempt) {
    attempt = attributed(std::move(attempt), options_.name, options_.image, options_.image_digest);
    if (connection_ok) {
      clients_.release(std::move(client));
    }
    return attempt;
  };
  if (context.cancel.cancelled()) {
    return finish(ended(AttemptStatus::cancelled,
                        "the run was cancelled before task " + task.id + " started."));
  }

  engine::ContainerSpec spec;
  spec.image = options_.image;
  spec.name = container_name(context.run_id, task.id, context.attempt);
  spec.cmd = task.args;
  spec.env = task.env;
  spec.network_mode = "none";
  spec.labels = {{std::string(kRunLabel), context.run_id},
                 {std::string(kTaskLabel), task.id},
                 {std::string(kAttemptLabel), std::to_string(context.attempt)}};
  auto created = client.container_create(spec);
  if (!created) {
    connection_ok = !is_connection_error(created.error());
    return finish(ended(classify_start_error(created.error()), created.error().message));
  }
  const auto& id = created->id;
  // Whatever happens next, the container goes: a task must never leave one behind.
  const auto remove = [&] {
    auto removed = client.container_remove(id);
    if (!removed && removed.error().kind != ErrorKind::not_found) {
      // The pooled connection may be broken; a fresh one gets a second chance.
      auto fresh = clients_.fresh();
      (void)fresh.container_remove(id);
      connection_ok = false;
    }
  };

  auto output = TaskOutput::open(options_.logs_dir, task.id, options_.live_output);
  if (!output) {
    remove();
    return finish(ended(AttemptStatus::infrastructure_error, output.error().message));
  }
  const auto& log_path = output->path();

  if (auto started = client.container_start(id); !started) {
    connection_ok = !is_connection_error(started.error());
    remove();
    auto attempt = ended(classify_start_error(started.error()), started.error().message);
    attempt.log_path = log_path;
    return finish(attempt);
  }

  // Following the output ends when the container stops, so it doubles as the wait; its
  // timeout is the task's and its cancellation the run's.
  const auto deadline_start = std::chrono::steady_clock::now();
  engine::LogsOptions logs_options;
  logs_options.follow = true;
  logs_options.tty = false;
  logs_options.timeout = task.timeout.value_or(engine::kNoTimeout);
  logs_options.cancel = context.cancel.stop_token();
  auto followed = client.container_logs(id, logs_options, output->sink());

  Attempt attempt;
  attempt.log_path = log_path;
  if (followed) {
    engine::WaitOptions wait_options;
    wait_options.condition = engine::WaitCondition::not_running;
    wait_options.timeout = 30s;
    wait_options.cancel = context.cancel.stop_token();
    if (task.timeout) {
      const auto left = *task.timeout - std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::steady_clock::now() - deadline_start);
      wait_options.timeout = std::max<std::chrono::milliseconds>(left, 1ms);
    }
    auto waited = client.container_wait(id, wait_options);
    if (waited) {
      attempt.status = AttemptStatus::completed;
      attempt.exit_code = waited->exit_code;
      if (waited->exit_code != 0) {
        attempt.error =
            "task " + task.id + " exited with code " + std::to_string(waited->exit_code) + ".";
      }
    } else {
      followed = std::unexpected(waited.error());
    }
  }
  if (!followed) {
    const auto& error = followed.error();
    if (error.kind == ErrorKind::timeout && task.timeout) {
      (void)client.container_kill(id);
      attempt.status = AttemptStatus::timed_out;
      attempt.error = "task " + task.id + " was killed after its timeout of " +
                      engine::describe_duration(*task.timeout) + ".";
    } else if (error.kind == ErrorKind::cancelled || context.cancel.cancelled()) {
      attempt.status = AttemptStatus::cancelled;
      attempt.error = "task " + task.id + " was stopped because the run was cancelled.";
    } else {
      // The engine answering (404/409: the container was removed or killed from outside)
      // means only this attempt's container is gone; no answer means the engine is.
      attempt.worker_usable = !is_connection_error(error);
      connection_ok = attempt.worker_usable;
      attempt.status = AttemptStatus::infrastructure_error;
      attempt.error = error.message;
    }
  }
  output->close();
  remove();
  return finish(attempt);
}

Result<std::size_t> remove_run_containers(engine::EngineClient& engine, const std::string& run_id) {
  engine::ContainerListOptions options;
  options.all = true;
  options.labels = {{std::string(kRunLabel), run_id}};
  auto containers = engine.container_list(options);
  if (!containers) {
    return std::unexpected(containers.error());
  }
  std::size_t removed = 0;
  for (const auto& container : *containers) {
    auto done = engine.container_remove(container.id);
    if (done) {
      ++removed;
    } else if (done.error().kind != ErrorKind::not_found) {
      return std::unexpected(done.error());
    }
  }
  return removed;
}

std::string new_run_id() {
  const auto now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dt%H%M%S", &utc);
  std::random_device random;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%06x", random() & 0xffffffU);
  return std::string(stamp) + "-" + suffix;
}

}  // namespace wharf::local
