#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "wharf/core/error.hpp"
#include "wharf/images/local_images.hpp"
#include "wharf/registry/digest_resolution.hpp"

namespace wharf::images {

/// Where one image stands against its registry.
enum class UpdateState {
  up_to_date,        ///< The local image and every running container are what the tag is.
  update_available,  ///< The tag points elsewhere than the local image or a running container.
  not_in_registry,   ///< The registry has no such tag (404).
  error,             ///< The registry could not be asked (refused, down, …).
};

[[nodiscard]] std::string_view to_string(UpdateState state);

/// A running container that does not run what the tag points at.
struct StaleContainer {
  std::string name{};
  std::optional<std::string> digest{};  ///< What it runs; nullopt: not from this registry.
};

struct ImageCheck {
  LocalImage local{};
  UpdateState state = UpdateState::error;
  std::optional<registry::ManifestDigest> remote{};
  std::optional<Error> error{};  ///< Set for not_in_registry and error.
  bool local_outdated = false;   ///< Absent, or its digest is not the tag's.
  std::vector<StaleContainer> stale_containers{};
  /// One sentence for people: "up to date", "newer image in the registry (not pulled)",
  /// "pulled; app-1 still runs the old image — restart the stack", the error's sentence.
  std::string summary{};

  [[nodiscard]] nlohmann::json to_json() const;
};

/// Compares what the engine has with what the registry's tag points at; no I/O. Only running
/// containers count: a stopped one will be recreated, not restarted, by an update.
/// `pull_command` is what the summary suggests for a newer image: the project's
/// `wharf images pull`, or for an image named on the command line a pull of that image.
[[nodiscard]] ImageCheck compare_with_registry(LocalImage local,
                                               Result<registry::ManifestDigest> remote,
                                               std::string_view pull_command = "wharf images pull");

}  // namespace wharf::images
