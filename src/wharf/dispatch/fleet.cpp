#include "wharf/dispatch/fleet.hpp"

#include <thread>
#include <utility>

namespace wharf::dispatch {
namespace {

// Runs `work(index)` for every index in [0, count) on a thread of its own and waits for all.
template <typename Work>
void for_each_at_once(std::size_t count, const Work& work) {
  std::vector<std::jthread> threads;
  threads.reserve(count);
  for (std::size_t index = 0; index < count; ++index) {
    threads.emplace_back([&work, index] { work(index); });
  }
}

}  // namespace

Fleet::Fleet(std::vector<FleetCandidate> candidates) : candidates_(std::move(candidates)) {}

Fleet::Fleet(Fleet&& other) noexcept
    : candidates_(std::move(other.candidates_)),
      members_(std::move(other.members_)),
      skipped_(std::move(other.skipped_)),
      stopped_(std::exchange(other.stopped_, true)) {}

Fleet::~Fleet() {
  (void)stop();
}

Result<void> Fleet::prepare(const ImageReference& image, PullPolicy policy,
                            PrepareFailure on_failure, const PullStarted& on_pull) {
  std::vector<std::optional<Result<PreparedImage>>> prepared(candidates_.size());
  for_each_at_once(candidates_.size(), [&](std::size_t index) {
    const auto& candidate = candidates_[index];
    if (!candidate.worker) {
      return;
    }
    bool announced = false;
    prepared[index] =
        candidate.worker->prepare(image, policy, [&](const PrepareProgress& /*progress*/) {
          if (!announced && on_pull) {
            on_pull(candidate);
          }
          announced = true;
        });
  });

  for (std::size_t index = 0; index < candidates_.size(); ++index) {
    auto& candidate = candidates_[index];
    std::optional<Error> error = candidate.error;
    if (!error && !candidate.worker) {
      error = Error::make(ErrorKind::internal,
                          "worker " + candidate.name + " came without a backend (a wharf bug).");
    }
    if (!error && !*prepared[index]) {
      error = prepared[index]->error();
      if (on_failure == PrepareFailure::skips_the_worker) {
        error->message = "worker " + candidate.name + ": " + error->message;
      }
    }
    if (error) {
      if (on_failure == PrepareFailure::fails_the_run) {
        members_.clear();
        return std::unexpected(std::move(*error));
      }
      skipped_.push_back({candidate.name, std::move(*error)});
      continue;
    }
    members_.push_back(FleetMember{candidate.name, candidate.address, candidate.worker,
                                   std::move(**prepared[index])});
  }
  if (members_.empty()) {
    return fail(ErrorKind::unavailable,
                "no worker of the inventory can run tasks (see the errors above) — fix them, "
                "then check with `wharf workers check`.");
  }
  return {};
}

std::vector<std::shared_ptr<Worker>> Fleet::workers() const {
  std::vector<std::shared_ptr<Worker>> workers;
  workers.reserve(members_.size());
  for (const auto& member : members_) {
    workers.push_back(member.worker);
  }
  return workers;
}

std::vector<Error> Fleet::stop() {
  if (stopped_) {
    return {};
  }
  stopped_ = true;
  std::vector<std::optional<Error>> errors(members_.size());
  for_each_at_once(members_.size(), [&](std::size_t index) {
    if (auto stopped = members_[index].worker->stop(); !stopped) {
      errors[index] = stopped.error();
    }
  });
  std::vector<Error> result;
  for (auto& error : errors) {
    if (error) {
      result.push_back(std::move(*error));
    }
  }
  return result;
}

std::vector<Error> Fleet::sweep(const std::string& run_id) {
  std::vector<std::optional<Error>> errors(members_.size());
  for_each_at_once(members_.size(), [&](std::size_t index) {
    if (auto swept = members_[index].worker->sweep(run_id); !swept) {
      errors[index] = swept.error();
    }
  });
  std::vector<Error> result;
  for (auto& error : errors) {
    if (error) {
      result.push_back(std::move(*error));
    }
  }
  return result;
}

}  // namespace wharf::dispatch
