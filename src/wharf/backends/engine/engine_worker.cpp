#include "wharf/backends/engine/engine_worker.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <random>
#include <system_error>

#include "wharf/backends/engine/attempt_outcome.hpp"
#include "wharf/backends/engine/ensure_image.hpp"
#include "wharf/backends/engine/output_attachment.hpp"
#include "wharf/backends/engine/task_output.hpp"

namespace wharf::backends {
namespace {

using dispatch::Attempt;
using dispatch::AttemptStatus;
using namespace std::chrono_literals;

// After a timeout's kill, how long the output still has to arrive before it is cut.
constexpr auto kOutputDrainGrace = 5s;

// An error from the engine while preparing the container: one the engine answered with
// (image missing, command not runnable) is the task's problem and another worker would hit
// it too; anything else is the engine's or the connection's.
AttemptStatus classify_start_error(const Error& error) {
  if (error.kind == ErrorKind::cancelled) {
    return AttemptStatus::cancelled;
  }
  if (error.kind == ErrorKind::invalid_input && !error.http_status) {
    return AttemptStatus::failed_to_start;  // Refused before it reached the engine.
  }
  if (is_connection_error(error) || error.kind == ErrorKind::conflict) {
    return AttemptStatus::infrastructure_error;
  }
  return AttemptStatus::failed_to_start;
}

// Waiting for the exit code of a container whose output has ended: within the task's
// deadline when it has one (it may have closed its output and gone on running).
engine::WaitOptions exit_wait_options(std::optional<std::chrono::steady_clock::time_point> deadline,
                                      const dispatch::AttemptContext& context) {
  engine::WaitOptions options;
  options.condition = engine::WaitCondition::not_running;
  options.timeout = 30s;
  options.cancel = context.cancel.stop_token();
  if (deadline) {
    options.timeout =
        std::max<std::chrono::milliseconds>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                *deadline - std::chrono::steady_clock::now()),
                                            1ms);
  }
  return options;
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
  const auto ended_with_log = [&](AttemptStatus status, std::string error) {
    auto attempt = ended(status, std::move(error));
    attempt.log_path = log_path;
    return attempt;
  };

  // The output is attached before the start, on a connection of its own, so every byte the
  // task writes reaches the log as written (see OutputAttachment).
  auto attachment = OutputAttachment::open(clients_.fresh(), id, output->sink());
  if (!attachment) {
    remove();
    return finish(
        ended_with_log(classify_start_error(attachment.error()), attachment.error().message));
  }
  if (auto started = client.container_start(id); !started) {
    connection_ok = !is_connection_error(started.error());
    remove();
    (void)(*attachment)->finish(0ms);
    return finish(ended_with_log(classify_start_error(started.error()), started.error().message));
  }

  // The task's timeout runs from its start; the output ends when the container stops.
  const auto started_at = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (task.timeout) {
    deadline = started_at + *task.timeout;
  }
  const auto waited = (*attachment)->wait(deadline, context.cancel.stop_token());
  Attempt attempt;
  attempt.log_path = log_path;
  if (waited == OutputAttachment::Wait::deadline) {
    (void)client.container_kill(id);
    // What the task wrote before the kill is still on its way: let it arrive.
    (void)(*attachment)->finish(kOutputDrainGrace);
    attempt.status = AttemptStatus::timed_out;
    attempt.error = "task " + task.id + " was killed after its timeout of " +
                    engine::describe_duration(*task.timeout) + ".";
  } else if (waited == OutputAttachment::Wait::cancelled) {
    (void)(*attachment)->finish(0ms);
    attempt.status = AttemptStatus::cancelled;
    attempt.error = "task " + task.id + " was stopped because the run was cancelled.";
  } else {
    // The output ended because the container stopped; its exit code is waiting.
    auto outcome = (*attachment)->finish(0ms);
    auto exited = outcome ? client.container_wait(id, exit_wait_options(deadline, context))
                          : Result<engine::WaitResult>(std::unexpected(outcome.error()));
    if (exited) {
      attempt.status = AttemptStatus::completed;
      attempt.exit_code = exited->exit_code;
      if (exited->exit_code != 0) {
        attempt.error =
            "task " + task.id + " exited with code " + std::to_string(exited->exit_code) + ".";
      }
    } else if (const auto& error = exited.error(); error.kind == ErrorKind::timeout && deadline) {
      // The task closed its output but went on running until its timeout.
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
      connection_ok = connection_ok && attempt.worker_usable;
      attempt.status = AttemptStatus::infrastructure_error;
      attempt.error = error.message;
    }
  }
  output->close();
  remove();
  return finish(attempt);
}

Result<dispatch::PreparedImage> EngineWorker::prepare(
    const ImageReference& image, dispatch::PullPolicy policy,
    const dispatch::PrepareProgressHandler& on_progress) {
  auto ensured = ensure_image_with(clients_, image, policy, on_progress);
  if (!ensured) {
    return std::unexpected(ensured.error());
  }
  options_.image = ensured->reference;
  options_.image_digest = ensured->digest;
  return dispatch::PreparedImage{ensured->reference, ensured->digest};
}

Result<std::size_t> EngineWorker::sweep(const std::string& run_id) {
  return sweep_run_containers(clients_, options_.name, run_id);
}

Result<std::size_t> sweep_run_containers(ClientPool& clients, const std::string& worker,
                                         const std::string& run_id) {
  auto client = clients.acquire();
  auto swept = remove_run_containers(client, run_id);
  if (!swept) {
    auto error = swept.error();
    error.message = "could not remove the containers of run " + run_id + " on " + worker + ": " +
                    error.message + " Remove them later with label " + std::string(kRunLabel) +
                    "=" + run_id + ".";
    return std::unexpected(std::move(error));
  }
  clients.release(std::move(client));
  return swept;
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

}  // namespace wharf::backends
