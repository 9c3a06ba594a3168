#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/images/image_pull.hpp"
#include "wharf/registry/registry_client.hpp"
#include "wharf/update/journal.hpp"
#include "wharf/update/update_options.hpp"
#include "wharf/update/update_plan.hpp"

namespace wharf::update {

/// What the caller shows while an update runs.
struct UpdateEvents {
  std::function<void(const std::string&)> say;  ///< One line per step, for people.
  /// Called once before the pull with the images, then with each one's progress.
  std::function<void(const std::vector<ImageReference>&)> pulling;
  images::ImagePullObserver pull_progress;
};

/// What an update did.
struct UpdateResult {
  UpdatePlan plan;
  UpdateRecord record;  ///< outcome: "updated", "unchanged", "rolled_back", "failed".
  /// A recovered interrupted update, when the run began by rolling one back.
  std::optional<UpdateRecord> recovered{};
  /// For a rollback: why, with the failing containers' last log lines.
  std::vector<std::string> details{};
};

/// `wharf update` with the recreate strategy, as a sequence of journaled steps:
///  1. rolls back an update a previous run left unfinished (docker/.wharf/update.json);
///  2. plans (plan_update: refuses a dirty tree or a diverged branch, changing nothing);
///  3. fast-forwards the checkout; re-reads VERSION; sets IMAGE_TAG in docker/.env;
///  4. asks the registry for every image and pulls them all — a failure here puts .env and
///     the checkout back, and nothing that runs was touched;
///  5. recreates each running container of the compose project on its new image, services
///     in depends_on order, keeping its configuration and the old container aside;
///  6. waits until every new container is healthy (or running for `settle`);
///  7. on success removes the old containers; otherwise puts them back, with .env and the
///     checkout, and reports the failing containers' last log lines.
/// Errors are returned for refusals and for failures before anything changed; once something
/// changed, a failure rolls back and is reported in the result (outcome "rolled_back", or
/// "failed" when the rollback itself failed — its error in record.message).
[[nodiscard]] Result<UpdateResult> run_update(engine::EngineClient& engine,
                                              registry::RegistryClient& registry,
                                              const UpdateOptions& options,
                                              const UpdateEvents& events);

/// Only step 1: rolls back an unfinished update, if there is one (`wharf update --resume`).
[[nodiscard]] Result<std::optional<UpdateRecord>> recover_interrupted(engine::EngineClient& engine,
                                                                      const UpdateOptions& options,
                                                                      const UpdateEvents& events);

}  // namespace wharf::update
