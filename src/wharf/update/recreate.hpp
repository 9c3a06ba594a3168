#pragma once

// Recreating one container on a new image through the Engine API, keeping its configuration
// (see recreate_spec.hpp for exactly what is kept), with the replaced container kept aside
// under a reserved name so that a rollback can bring it back unchanged — same ID, same
// writable layer, same anonymous volumes.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"
#include "wharf/engine/engine_client.hpp"

namespace wharf::update {

/// Appended to a container's name while its replacement is created ("web-wharf-new"). A
/// stopped container left under such a name by an interrupted update is wharf's own and is
/// removed by the next recreate_container().
inline constexpr std::string_view kNewSuffix = "-wharf-new";
/// The name the replaced container is kept under until discard_previous() or
/// restore_previous() ("web-wharf-previous"). Reserved like kNewSuffix.
inline constexpr std::string_view kPreviousSuffix = "-wharf-previous";

/// How long a container gets to stop when neither it nor the caller says: docker's default.
inline constexpr std::chrono::seconds kDefaultStopTimeout{10};

struct RecreateOptions {
  /// How long the old container gets between its stop signal and SIGKILL. Empty: its own
  /// StopTimeout (docker run --stop-timeout, compose stop_grace_period), else
  /// kDefaultStopTimeout.
  std::optional<std::chrono::seconds> stop_timeout;
  /// The bound on every other engine call.
  std::chrono::milliseconds call_timeout = engine::kDefaultCallTimeout;
};

/// What recreate_container() did, everything restore_previous() and discard_previous() need;
/// small and copyable, so an update journal can record it.
struct Recreated {
  std::string name;            ///< The container's name, now the new container's.
  std::string old_id;          ///< The replaced container, stopped, renamed to old_renamed_to.
  std::string new_id;          ///< The new container, started.
  std::string old_renamed_to;  ///< name + kPreviousSuffix.

  friend bool operator==(const Recreated&, const Recreated&) = default;
};

/// Replaces `container` (a name or ID) by a container with the same configuration on
/// `new_image`, which must already be on the engine (pull it first: nothing is stopped
/// before every input is known to be good).
///
/// Steps: inspect the container and both images; create the new container under
/// name + kNewSuffix and connect it to the container's other networks (the engine takes one
/// network at create; addresses are only assigned at start, so a fixed IP of the old one
/// does not clash); stop the old one (RecreateOptions::stop_timeout); rename it to
/// name + kPreviousSuffix; rename the new one to the original name; start it.
///
/// On failure nothing is left half done: before the stop, the new container is removed and
/// the old one was never touched; after it, the new one is removed, the old one gets its
/// name back and is started again, and the error says so (or says what could not be put
/// back). The new container is started even if the old one was not running.
///
/// Errors: not_found (no such container, or `new_image` is not on the engine), conflict (the
/// container was created with --rm, so stopping it would delete it; or a container under a
/// reserved name is running), and whatever the engine reported, in a sentence naming the
/// container and the step.
[[nodiscard]] Result<Recreated> recreate_container(engine::EngineClient& engine,
                                                   std::string_view container,
                                                   std::string_view new_image,
                                                   const RecreateOptions& options = {});

/// The rollback: stops and removes the new container (and its own anonymous volumes), gives
/// the previous container its name back and starts it, so it runs again with its old ID.
/// Each step accepts that it was already done (a new container that is gone, a previous one
/// that already has the name), so it can finish a rollback that was interrupted; new_id ==
/// old_id means there is no new container to remove. Fails with not_found when the previous
/// container no longer exists.
[[nodiscard]] Result<void> restore_previous(engine::EngineClient& engine,
                                            const Recreated& recreated,
                                            const RecreateOptions& options = {});

/// Once the new container is healthy: removes the kept previous container. Its anonymous
/// volumes stay (the new container mounts the ones still declared; `docker volume prune`
/// collects the rest). Succeeds when it is already gone.
[[nodiscard]] Result<void> discard_previous(engine::EngineClient& engine,
                                            const Recreated& recreated,
                                            const RecreateOptions& options = {});

}  // namespace wharf::update
