#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "wharf/core/image_reference.hpp"
#include "wharf/workers/connect.hpp"

namespace wharf::workers {

/// What `wharf workers check` finds out about one worker.
struct WorkerReport {
  std::string name;
  std::string kind;     ///< "local", "engine", "ssh".
  std::string address;  ///< The engine address.
  /// "ok" once an SSH worker's host key was verified, "refused" when it was not, "" for a
  /// worker without SSH or one that could not be reached before the key exchange.
  std::string host_key;
  bool reachable = false;
  std::string engine_version;  ///< "20.10.24+dfsg1"
  std::string api_version;     ///< The negotiated one, "1.41".
  std::string image;           ///< The pinned worker image, familiar form.
  bool image_present = false;
  std::string image_id;      ///< "sha256:…" when present.
  std::string image_digest;  ///< The registry (manifest) digest; "" when it has none.
  /// Other tags of the worker repository on this engine (drift left by older releases).
  std::vector<std::string> other_tags;
  /// Running wharf task containers on an image other than the pinned one (another tag, or
  /// an older image the tag no longer names): "name (image)".
  std::vector<std::string> drifted_containers;
  std::size_t slots = 0;       ///< From the inventory.
  std::size_t busy = 0;        ///< Running wharf task containers (any run; not idle pools).
  std::size_t free_slots = 0;  ///< slots - busy, never below 0.
  /// One full sentence per problem; empty means the worker is ready.
  std::vector<std::string> problems;

  [[nodiscard]] bool ok() const noexcept { return problems.empty(); }
};

/// Checks one worker against the pinned image: reachable, engine version, image present
/// (and its digest), drift, busy and free slots. Problems are: not reachable (with the
/// connection's sentence), the pinned image missing (with the command that fixes it), and
/// task containers running another image of the worker repository. Calls only read-only
/// engine endpoints.
[[nodiscard]] WorkerReport check_worker(ConnectedWorker& worker, const ImageReference& pinned);

/// Problems no single worker has: the workers that have the pinned image must all hold the
/// same one (the same image ID), or tasks would run different code under one tag.
[[nodiscard]] std::vector<std::string> disagreements(const std::vector<WorkerReport>& reports);

[[nodiscard]] nlohmann::json to_json(const WorkerReport& report);

}  // namespace wharf::workers
