#pragma once

#include <functional>
#include <optional>
#include <string>

#include "wharf/backends/engine/client_pool.hpp"
#include "wharf/core/error.hpp"
#include "wharf/core/image_reference.hpp"
#include "wharf/dispatch/pull_policy.hpp"
#include "wharf/dispatch/worker.hpp"
#include "wharf/engine/engine_client.hpp"

namespace wharf::backends {

/// What ensure_image() found or fetched.
struct EnsuredImage {
  std::string reference;  ///< The reference as given to the engine (familiar form).
  std::string id;         ///< The local image ID ("sha256:…").
  /// What results report as `image_digest`, never empty: the registry (manifest) digest
  /// "sha256:…" when the engine knows one for the image, else the local image ID — the same
  /// string as `id`. An image that was built or imported here never had a registry digest,
  /// and its ID still names exactly the content the tasks ran in.
  std::string digest;
  bool pulled = false;  ///< Whether a pull was made.
};

/// Makes sure `engine` has `image`, with `docker run --pull`'s exact semantics:
/// - missing: inspect; pull only when absent. When present the registry is not contacted.
/// - always: pull (the registry decides whether anything changed), then inspect.
/// - never: inspect; when absent fail with not_found and a sentence saying what to run.
/// `on_progress` (may be empty) sees the pull's progress. Errors of the engine connection are
/// returned as they come (unavailable, timeout, …); a pull refused by the registry keeps the
/// engine's kind (not_found, permission, remote).
[[nodiscard]] Result<EnsuredImage> ensure_image(
    engine::EngineClient& engine, const ImageReference& image, dispatch::PullPolicy policy,
    const engine::PullProgressHandler& on_progress = {});

/// ensure_image() for the prepare() of the worker named `worker`: on a connection borrowed from
/// `clients` (given back unless the engine could not be reached, so the first attempt reuses
/// it), with the pull's progress passed on as its summary. Without `clients` (a worker made on
/// a bare ContainerOpsSource, as in unit tests) it fails with ErrorKind::internal.
[[nodiscard]] Result<EnsuredImage> ensure_image_with(
    std::optional<ClientPool>& clients, const std::string& worker, const ImageReference& image,
    dispatch::PullPolicy policy, const dispatch::PrepareProgressHandler& on_progress);

}  // namespace wharf::backends
