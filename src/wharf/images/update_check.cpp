#include "wharf/images/update_check.hpp"

#include <nlohmann/json.hpp>

namespace wharf::images {
namespace {

nlohmann::json optional_text(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::string names_of(const std::vector<StaleContainer>& containers) {
  std::string text;
  for (std::size_t i = 0; i < containers.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == containers.size() ? " and " : ", ") + containers[i].name;
  }
  return text;
}

}  // namespace

std::string_view to_string(UpdateState state) {
  switch (state) {
    case UpdateState::up_to_date:
      return "up_to_date";
    case UpdateState::update_available:
      return "update_available";
    case UpdateState::not_in_registry:
      return "not_in_registry";
    case UpdateState::error:
      return "error";
  }
  return "error";
}

ImageCheck compare_with_registry(LocalImage local, Result<registry::ManifestDigest> remote,
                                 std::string_view pull_command) {
  ImageCheck check{.local = std::move(local)};
  if (!remote) {
    check.state = remote.error().kind == ErrorKind::not_found ? UpdateState::not_in_registry
                                                              : UpdateState::error;
    check.summary = remote.error().message;
    check.error = std::move(remote.error());
    return check;
  }
  check.remote = std::move(*remote);
  const auto& tag_digest = *check.remote;
  const auto& image = check.local;
  check.local_outdated = !image.present || !image.digest || !tag_digest.matches(*image.digest);
  for (const auto& container : image.containers) {
    if (container.running() && (!container.digest || !tag_digest.matches(*container.digest))) {
      check.stale_containers.push_back({container.name, container.digest});
    }
  }
  const bool stale = !check.stale_containers.empty();
  check.state =
      check.local_outdated || stale ? UpdateState::update_available : UpdateState::up_to_date;
  if (!image.present) {
    check.summary = "not pulled yet; the registry has " + tag_digest.digest.substr(0, 19);
  } else if (!image.digest) {
    check.summary =
        "the local image did not come from this registry (built here?); the registry has " +
        tag_digest.digest.substr(0, 19) + " — run `" + std::string(pull_command) + "` to use it";
  } else if (check.local_outdated) {
    check.summary = "newer image in the registry (" + tag_digest.digest.substr(0, 19) +
                    ", not pulled) — run `" + std::string(pull_command) + "`";
  } else if (stale) {
    check.summary = "pulled, but " + names_of(check.stale_containers) +
                    (check.stale_containers.size() == 1 ? " still runs" : " still run") +
                    " an older image — restart the stack (`wharf update`)";
  } else {
    check.summary = "up to date";
  }
  return check;
}

nlohmann::json ImageCheck::to_json() const {
  nlohmann::json stale = nlohmann::json::array();
  for (const auto& container : stale_containers) {
    stale.push_back({{"name", container.name}, {"digest", optional_text(container.digest)}});
  }
  nlohmann::json remote_json = nullptr;
  if (remote) {
    remote_json = {{"digest", remote->digest},
                   {"media_type", remote->media_type},
                   {"platform_digest", optional_text(remote->platform_digest)}};
  }
  return {{"image", local.image.familiar()},
          {"state", to_string(state)},
          {"summary", summary},
          {"local",
           {{"present", local.present},
            {"id", local.present ? nlohmann::json(local.id) : nlohmann::json(nullptr)},
            {"digest", optional_text(local.digest)},
            {"outdated", local_outdated}}},
          {"registry", remote_json},
          {"stale_containers", stale},
          {"error", error ? nlohmann::json(error->message) : nlohmann::json(nullptr)}};
}

}  // namespace wharf::images
