#include "wharf/backends/engine/engine_worker.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <expected>
#include <optional>
#include <random>
#include <system_error>

#include "wharf/backends/engine/attempt_outcome.hpp"
#include "wharf/backends/engine/ensure_image.hpp"
#include "wharf/backends/engine/task_output.hpp"

namespace wharf::backends {
namespace {

using dispatch::Attempt;
using dispatch::AttemptStatus;
using namespace std::chrono_literals;
using Deadline = std::chrono::steady_clock::time_point;

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
engine::WaitOptions exit_wait_options(std::optional<Deadline> deadline,
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

// One run() call: the connection it borrowed, the container it created, and the decisions
// along the way. Every path ends in finish(), which gives the connection back while it is
// still good; every path past create_container() removes the container first.
class EngineWorker::AttemptRun {
 public:
  AttemptRun(EngineWorker& worker, const dispatch::TaskSpec& task,
             const dispatch::AttemptContext& context)
      : worker_(worker), task_(task), context_(context), ops_(worker.ops_->acquire()) {}

  [[nodiscard]] Attempt run();

 private:
  [[nodiscard]] std::optional<Attempt> create_container();
  [[nodiscard]] std::expected<std::unique_ptr<FollowedOutput>, Attempt> start_container(
      engine::LogSink sink);
  [[nodiscard]] Attempt follow_to_end(FollowedOutput& output);
  [[nodiscard]] Attempt kill_after_timeout(FollowedOutput& output);
  [[nodiscard]] Attempt collect_exit(FollowedOutput& output, std::optional<Deadline> deadline);
  [[nodiscard]] Attempt exit_unknown(const Error& error, std::optional<Deadline> deadline);
  void remove_container();
  [[nodiscard]] Attempt with_log(Attempt attempt) const;
  [[nodiscard]] Attempt finish(Attempt attempt);

  EngineWorker& worker_;
  const dispatch::TaskSpec& task_;
  const dispatch::AttemptContext& context_;
  std::unique_ptr<ContainerOps> ops_;
  bool connection_ok_ = true;
  std::string id_;        // The container, once created.
  std::string log_path_;  // The task's log, once opened.
};

EngineWorker::EngineWorker(const engine::EngineClient& engine, EngineWorkerOptions options)
    : EngineWorker(engine_container_ops(engine), std::move(options)) {
  engine_clients_.emplace(engine);
}

EngineWorker::EngineWorker(std::shared_ptr<ContainerOpsSource> ops, EngineWorkerOptions options)
    : options_(std::move(options)), ops_(std::move(ops)) {}

std::string EngineWorker::container_name(const std::string& run_id, const std::string& task_id,
                                         unsigned attempt) {
  return "wharf-" + run_id + "-" + task_id + "-" + std::to_string(attempt);
}

Attempt EngineWorker::run(const dispatch::TaskSpec& task, const dispatch::AttemptContext& context) {
  return AttemptRun(*this, task, context).run();
}

Attempt EngineWorker::AttemptRun::run() {
  if (context_.cancel.cancelled()) {
    return finish(ended(AttemptStatus::cancelled,
                        "the run was cancelled before task " + task_.id + " started."));
  }
  if (auto failed = create_container()) {
    return finish(std::move(*failed));
  }
  // Whatever happens next, the container goes: a task must never leave one behind.
  const auto& options = worker_.options_;
  auto output = TaskOutput::open(options.logs_dir, task_.id, options.live_output);
  if (!output) {
    remove_container();
    return finish(ended(AttemptStatus::infrastructure_error, output.error().message));
  }
  log_path_ = output->path();
  auto followed = start_container(output->sink());
  if (!followed) {
    return finish(std::move(followed.error()));
  }
  auto attempt = follow_to_end(**followed);
  output->close();
  remove_container();
  return finish(std::move(attempt));
}

// Creates the attempt's container; returns how the attempt ended when that failed.
std::optional<Attempt> EngineWorker::AttemptRun::create_container() {
  const auto& options = worker_.options_;
  engine::ContainerSpec spec;
  spec.image = options.image;
  spec.name = container_name(context_.run_id, task_.id, context_.attempt);
  spec.cmd = task_.args;
  spec.env = task_.env;
  spec.network_mode = "none";
  spec.labels = {{std::string(kRunLabel), context_.run_id},
                 {std::string(kTaskLabel), task_.id},
                 {std::string(kAttemptLabel), std::to_string(context_.attempt)}};
  auto created = ops_->container_create(spec);
  if (!created) {
    connection_ok_ = !is_connection_error(created.error());
    return ended(classify_start_error(created.error()), created.error().message);
  }
  id_ = created->id;
  return std::nullopt;
}

// The output is attached before the start, on a connection of its own, so every byte the
// task writes reaches the log as written (see OutputAttachment). On failure the container
// is already removed.
std::expected<std::unique_ptr<FollowedOutput>, Attempt> EngineWorker::AttemptRun::start_container(
    engine::LogSink sink) {
  auto followed = worker_.ops_->follow_output(id_, std::move(sink));
  if (!followed) {
    remove_container();
    return std::unexpected(
        with_log(ended(classify_start_error(followed.error()), followed.error().message)));
  }
  if (auto started = ops_->container_start(id_); !started) {
    connection_ok_ = !is_connection_error(started.error());
    remove_container();
    (void)(*followed)->finish(0ms);
    return std::unexpected(
        with_log(ended(classify_start_error(started.error()), started.error().message)));
  }
  return std::move(*followed);
}

// Waits for the first of: the output ends (the container stopped), the task's timeout, the
// run's cancellation.
Attempt EngineWorker::AttemptRun::follow_to_end(FollowedOutput& output) {
  // The task's timeout runs from its start.
  std::optional<Deadline> deadline;
  if (task_.timeout) {
    deadline = std::chrono::steady_clock::now() + *task_.timeout;
  }
  const auto waited = output.wait(deadline, context_.cancel.stop_token());
  if (waited == FollowedOutput::Wait::deadline) {
    return kill_after_timeout(output);
  }
  if (waited == FollowedOutput::Wait::cancelled) {
    // Not killed here: the removal that follows kills it.
    (void)output.finish(0ms);
    return with_log(cancelled_while_running(task_.id));
  }
  return collect_exit(output, deadline);
}

Attempt EngineWorker::AttemptRun::kill_after_timeout(FollowedOutput& output) {
  (void)ops_->container_kill(id_);
  // What the task wrote before the kill is still on its way: let it arrive.
  (void)output.finish(kOutputDrainGrace);
  return with_log(timed_out(task_.id, *task_.timeout));
}

// The output ended because the container stopped; its exit code is waiting.
Attempt EngineWorker::AttemptRun::collect_exit(FollowedOutput& output,
                                               std::optional<Deadline> deadline) {
  auto outcome = output.finish(0ms);
  auto exited = outcome ? ops_->container_wait(id_, exit_wait_options(deadline, context_))
                        : Result<engine::WaitResult>(std::unexpected(outcome.error()));
  if (!exited) {
    return exit_unknown(exited.error(), deadline);
  }
  auto attempt = with_log(Attempt{});
  attempt.status = AttemptStatus::completed;
  attempt.exit_code = exited->exit_code;
  if (exited->exit_code != 0) {
    attempt.error =
        "task " + task_.id + " exited with code " + std::to_string(exited->exit_code) + ".";
  }
  return attempt;
}

// The output ended but the exit code could not be read: why decides the status.
Attempt EngineWorker::AttemptRun::exit_unknown(const Error& error,
                                               std::optional<Deadline> deadline) {
  if (error.kind == ErrorKind::timeout && deadline) {
    // The task closed its output but went on running until its timeout.
    (void)ops_->container_kill(id_);
    return with_log(timed_out(task_.id, *task_.timeout));
  }
  if (error.kind == ErrorKind::cancelled || context_.cancel.cancelled()) {
    return with_log(cancelled_while_running(task_.id));
  }
  // The engine answering (404/409: the container was removed or killed from outside) means
  // only this attempt's container is gone; no answer means the engine is.
  auto attempt = with_log(ended(AttemptStatus::infrastructure_error, error.message));
  attempt.worker_usable = !is_connection_error(error);
  connection_ok_ = connection_ok_ && attempt.worker_usable;
  return attempt;
}

void EngineWorker::AttemptRun::remove_container() {
  auto removed = ops_->container_remove(id_);
  if (!removed && removed.error().kind != ErrorKind::not_found) {
    // The pooled connection may be broken; a fresh one gets a second chance.
    (void)worker_.ops_->fresh()->container_remove(id_);
    connection_ok_ = false;
  }
}

Attempt EngineWorker::AttemptRun::with_log(Attempt attempt) const {
  attempt.log_path = log_path_;
  return attempt;
}

Attempt EngineWorker::AttemptRun::finish(Attempt attempt) {
  const auto& options = worker_.options_;
  attempt = attributed(std::move(attempt), options.name, options.image, options.image_digest);
  if (connection_ok_) {
    worker_.ops_->release(std::move(ops_));
  }
  return attempt;
}

Result<dispatch::PreparedImage> EngineWorker::prepare(
    const ImageReference& image, dispatch::PullPolicy policy,
    const dispatch::PrepareProgressHandler& on_progress) {
  auto ensured = ensure_image_with(engine_clients_, options_.name, image, policy, on_progress);
  if (!ensured) {
    return std::unexpected(ensured.error());
  }
  options_.image = ensured->reference;
  options_.image_digest = ensured->digest;
  return dispatch::PreparedImage{ensured->reference, ensured->digest};
}

Result<std::size_t> EngineWorker::sweep(const std::string& run_id) {
  return sweep_run_containers(engine_clients_, options_.name, run_id);
}

Result<std::size_t> sweep_run_containers(std::optional<ClientPool>& clients,
                                         const std::string& worker, const std::string& run_id) {
  if (!clients) {
    return fail(ErrorKind::internal, "worker " + worker + " has no engine to sweep.");
  }
  auto client = clients->acquire();
  auto swept = remove_run_containers(client, run_id);
  if (!swept) {
    auto error = swept.error();
    error.message = "could not remove the containers of run " + run_id + " on " + worker + ": " +
                    error.message + " Remove them later with label " + std::string(kRunLabel) +
                    "=" + run_id + ".";
    return std::unexpected(std::move(error));
  }
  clients->release(std::move(client));
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
