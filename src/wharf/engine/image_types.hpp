#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "wharf/engine/pull_progress.hpp"
#include "wharf/engine/registry_auth.hpp"
#include "wharf/engine/timeouts.hpp"

namespace wharf::engine {

/// What GET /images/{name}/json says about a local image.
struct ImageInfo {
  std::string id;                         ///< "sha256:…" (the config digest).
  std::vector<std::string> repo_tags;     ///< "registry:5000/wharf/worker:1.0.0", …
  std::vector<std::string> repo_digests;  ///< "registry:5000/wharf/worker@sha256:…", …
  std::string created;                    ///< RFC 3339 timestamp.
  std::int64_t size = 0;
  nlohmann::json raw;  ///< The whole answer, for anything else.
};

/// One entry of GET /images/json.
struct ImageSummary {
  std::string id;
  std::vector<std::string> repo_tags;
  std::vector<std::string> repo_digests;
  std::int64_t created = 0;  ///< Unix seconds.
  std::int64_t size = 0;
  std::map<std::string, std::string> labels;
};

struct ImageListOptions {
  /// Only images matching this reference pattern ("wharf/worker", "wharf/*:1.*"); empty: all.
  std::string reference;
  /// Only images with all of these labels (an empty value matches any value).
  std::map<std::string, std::string> labels;
  bool all = false;  ///< Include intermediate images.
};

struct ImageRemoveOptions {
  bool force = false;  ///< Remove even when tagged more than once or used by a stopped container.
  bool no_prune = false;  ///< Keep untagged parents.
};

/// Called after every chunk of the pull stream that changed the progress.
using PullProgressHandler = std::function<void(const PullProgress&)>;

struct PullOptions {
  std::optional<RegistryAuth> auth;  ///< Sent as X-Registry-Auth when set.
  PullProgressHandler on_progress;   ///< May be empty.
  std::string platform;              ///< "linux/amd64"; empty: the engine's own.
  std::chrono::milliseconds timeout = kDefaultPullTimeout;
  std::stop_token cancel;
};

struct PullResult {
  std::string digest;  ///< "sha256:…" of the manifest pulled, when the engine said.
  std::string status;  ///< The last status line ("Status: Image is up to date for …").
  PullProgress progress;
};

/// An image reference split the way POST /images/create wants it.
struct ImageName {
  std::string repository;  ///< "registry:5000/wharf/worker"
  std::string tag;         ///< "1.0.0", "latest" when none was given, or "sha256:…".
};

/// Splits "registry:5000/wharf/worker:1.0.0" (or "…@sha256:…") into repository and tag;
/// the port's colon is not mistaken for a tag. Without a tag, "latest" — pulling with an
/// empty tag would fetch every tag of the repository.
[[nodiscard]] ImageName split_image_name(std::string_view image);

}  // namespace wharf::engine
