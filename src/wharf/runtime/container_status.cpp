#include "wharf/runtime/container_status.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "wharf/engine/json_fields.hpp"
#include "wharf/runtime/timestamps.hpp"
#include "wharf/stack/compose_labels.hpp"

namespace wharf::runtime {
namespace {

using namespace engine::json_fields;

// "80/tcp" → {"80", "tcp"}; a key without a protocol is tcp, as the engine means it.
std::pair<std::string, std::string> split_port_key(const std::string& key) {
  const auto slash = key.find('/');
  if (slash == std::string::npos) {
    return {key, "tcp"};
  }
  return {key.substr(0, slash), key.substr(slash + 1)};
}

// NetworkSettings.Ports (what is published now) and HostConfig.PortBindings (what will be once
// it runs) share one shape: {"80/tcp": [{"HostIp": "", "HostPort": "8080"}] or null}.
std::vector<PublishedPort> ports_from(const nlohmann::json& bindings) {
  std::vector<PublishedPort> ports;
  if (!bindings.is_object()) {
    return ports;
  }
  for (const auto& [key, list] : bindings.items()) {
    if (!list.is_array()) {
      continue;  // Exposed but not published.
    }
    const auto [container_port, protocol] = split_port_key(key);
    for (const auto& binding : list) {
      ports.push_back(PublishedPort{.host_ip = string_at(binding, "HostIp"),
                                    .host_port = string_at(binding, "HostPort"),
                                    .container_port = container_port,
                                    .protocol = protocol});
    }
  }
  return ports;
}

int number_label(const nlohmann::json& config) {
  const auto labels = labels_at(config, "Labels");
  const auto found = labels.find(std::string(stack::kComposeContainerNumberLabel));
  int value = 0;
  if (found != labels.end()) {
    const auto& text = found->second;
    (void)std::from_chars(text.data(), text.data() + text.size(), value);
  }
  return value;
}

}  // namespace

std::string PublishedPort::text() const {
  const std::string host = host_ip.empty() ? "" : host_ip + ":";
  return host + host_port + "->" + container_port + "/" + protocol;
}

std::string ContainerStatus::ports_text() const {
  if (host_network) {
    return "host";
  }
  std::string text;
  for (const auto& port : ports) {
    text += (text.empty() ? "" : ", ") + port.text();
  }
  return text;
}

ContainerStatus container_status_from(const nlohmann::json& inspect,
                                      std::chrono::system_clock::time_point now) {
  ContainerStatus status;
  status.id = string_at(inspect, "Id");
  status.name = string_at(inspect, "Name");
  if (status.name.starts_with('/')) {
    status.name.erase(0, 1);
  }
  const auto& config = object_at(inspect, "Config");
  status.number = number_label(config);
  status.image = string_at(config, "Image");
  status.image_id = string_at(inspect, "Image");
  const auto& state = object_at(inspect, "State");
  status.state = string_at(state, "Status");
  status.exit_code = static_cast<int>(int_at(state, "ExitCode"));
  if (const auto health = string_at(object_at(state, "Health"), "Status"); !health.empty()) {
    status.health = health;
  }
  status.restart_count = static_cast<int>(int_at(inspect, "RestartCount"));
  const auto started = parse_rfc3339(string_at(state, "StartedAt"));
  if (started) {
    status.started_at = string_at(state, "StartedAt");
    if (status.running()) {
      const auto age = std::chrono::nanoseconds(to_unix_nanos(now) - *started);
      status.uptime =
          std::max(std::chrono::duration_cast<std::chrono::seconds>(age), std::chrono::seconds(0));
    }
  }
  const auto& host_config = object_at(inspect, "HostConfig");
  status.host_network = string_at(host_config, "NetworkMode") == "host";
  if (!status.host_network) {
    status.ports =
        ports_from(object_at(inspect, "NetworkSettings").value("Ports", nlohmann::json()));
    if (status.ports.empty() && !status.running()) {
      // A stopped container publishes nothing; show what it publishes when it runs.
      status.ports = ports_from(host_config.value("PortBindings", nlohmann::json()));
    }
  }
  return status;
}

}  // namespace wharf::runtime
