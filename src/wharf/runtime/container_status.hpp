#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace wharf::runtime {

/// A port the container publishes on the host.
struct PublishedPort {
  std::string host_ip{};         ///< "0.0.0.0", "127.0.0.1", "::"; "" when the engine gave none.
  std::string host_port{};       ///< "8080"; may be a range's member the engine picked.
  std::string container_port{};  ///< "80"
  std::string protocol{};        ///< "tcp", "udp", "sctp"

  /// "0.0.0.0:8080->80/tcp", as `docker ps` prints it.
  [[nodiscard]] std::string text() const;
};

/// What one container's inspect says about how it runs.
struct ContainerStatus {
  std::string id{};
  std::string name{};
  int number = 0;       ///< Its compose container number, 0 when unlabelled.
  std::string state{};  ///< State.Status: "running", "exited", "created", "restarting", …
  /// State.Health.Status ("healthy", "unhealthy", "starting"), or "none" when the container
  /// has no healthcheck.
  std::string health = "none";
  int exit_code = 0;          ///< State.ExitCode, meaningful when it is not running.
  std::string image{};        ///< Config.Image: the reference it was created from.
  std::string image_id{};     ///< Image: the image it runs.
  bool host_network = false;  ///< HostConfig.NetworkMode is "host": it has no own ports.
  std::vector<PublishedPort> ports{};
  std::string started_at{};  ///< State.StartedAt, "" when it never started.
  /// How long it has been running; nullopt when it is not running.
  std::optional<std::chrono::seconds> uptime{};
  int restart_count = 0;  ///< RestartCount: restarts by its restart policy.

  [[nodiscard]] bool running() const { return state == "running"; }
  /// Running, and healthy when it has a healthcheck: what `wharf status` exits 0 for.
  [[nodiscard]] bool ok() const { return running() && (health == "none" || health == "healthy"); }
  /// "host" on the host network, else the published ports joined by ", ", or "" for none.
  [[nodiscard]] std::string ports_text() const;
};

/// Reads a container's GET /containers/{id}/json answer. `now` is when the status is taken
/// (the uptime is measured to it). Pure and lenient: a field the engine left out reads as
/// empty, so an older or newer engine never makes status fail.
[[nodiscard]] ContainerStatus container_status_from(const nlohmann::json& inspect,
                                                    std::chrono::system_clock::time_point now);

}  // namespace wharf::runtime
