#include "wharf/update/recreate_spec.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

namespace wharf::update {
namespace {

constexpr std::string_view kComposeConfigHashLabel = "com.docker.compose.config-hash";

using nlohmann::json;

const json& member(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) {
    return kNull;
  }
  const auto found = object.find(key);
  return found == object.end() ? kNull : *found;
}

std::string string_member(const json& object, const char* key) {
  const auto& value = member(object, key);
  return value.is_string() ? value.get<std::string>() : std::string();
}

// Null, [] and [""] all mean "no command" to the engine.
json normalized_command(const json& value) {
  if (!value.is_array() || value.empty() || (value.size() == 1 && value[0] == "")) {
    return json::array();
  }
  return value;
}

// Inspect answers spell unset fields as null; a create body is clearer without them, and the
// engine treats an absent field exactly like a null one.
json without_nulls(const json& value) {
  if (!value.is_object()) {
    return value;
  }
  json result = json::object();
  for (const auto& [key, item] : value.items()) {
    if (!item.is_null()) {
      result[key] = without_nulls(item);
    }
  }
  return result;
}

std::string short_id(const json& container) {
  return string_member(container, "Id").substr(0, 12);
}

std::string network_mode(const json& container) {
  return string_member(member(container, "HostConfig"), "NetworkMode");
}

bool derives_hostname(std::string_view mode) {
  return mode == "host" || mode.starts_with("container:");
}

// The key of NetworkSettings.Networks that NetworkMode names: by name, "default" meaning the
// daemon's default bridge, or by (a prefix of) the network's ID. Empty when it names none
// (network mode container:…, or a network the container is no longer attached to).
std::string primary_network(const json& container) {
  std::string mode = network_mode(container);
  if (mode.starts_with("container:")) {
    return {};
  }
  if (mode.empty() || mode == "default") {
    mode = "bridge";
  }
  const auto& networks = member(member(container, "NetworkSettings"), "Networks");
  if (!networks.is_object()) {
    return {};
  }
  if (networks.contains(mode)) {
    return mode;
  }
  for (const auto& [name, endpoint] : networks.items()) {
    if (const auto id = string_member(endpoint, "NetworkID"); !id.empty() && id.starts_with(mode)) {
      return name;
    }
  }
  return {};
}

// What the user chose for one network: aliases, a fixed address, links, driver options. The
// rest of an endpoint (IDs, assigned addresses, MAC, gateway) is the engine's to assign.
json endpoint_settings(const json& endpoint, const std::string& own_short_id) {
  json settings = json::object();
  json aliases = json::array();
  if (const auto& listed = member(endpoint, "Aliases"); listed.is_array()) {
    for (const auto& alias : listed) {
      // The engine adds the container's short ID as an alias on user-defined networks; the
      // new container gets its own.
      if (alias.is_string() && alias != own_short_id) {
        aliases.push_back(alias);
      }
    }
  }
  if (!aliases.empty()) {
    settings["Aliases"] = std::move(aliases);
  }
  if (auto ipam = without_nulls(member(endpoint, "IPAMConfig"));
      ipam.is_object() && !ipam.empty()) {
    settings["IPAMConfig"] = std::move(ipam);
  }
  for (const char* key : {"Links", "DriverOpts"}) {
    if (const auto& value = member(endpoint, key); !value.is_null() && !value.empty()) {
      settings[key] = value;
    }
  }
  return settings;
}

// Inspect reports legacy links as "/db:/web/db" (target name : this container's path for it);
// create takes "db:alias".
std::string create_link(const std::string& link) {
  const auto colon = link.find(':');
  if (!link.starts_with('/') || colon == std::string::npos) {
    return link;
  }
  const auto name = link.substr(1, colon - 1);
  const auto path = link.substr(colon + 1);
  return name + ":" + path.substr(path.rfind('/') + 1);
}

std::set<std::string> keys_of(const json& object) {
  std::set<std::string> keys;
  if (object.is_object()) {
    for (const auto& [key, ignored] : object.items()) {
      keys.insert(key);
    }
  }
  return keys;
}

// Destinations that Binds ("source:destination[:options]"), HostConfig.Mounts and Tmpfs
// already mount something at.
std::set<std::string> covered_destinations(const json& host_config) {
  std::set<std::string> covered = keys_of(member(host_config, "Tmpfs"));
  if (const auto& binds = member(host_config, "Binds"); binds.is_array()) {
    for (const auto& bind : binds) {
      const auto text = bind.is_string() ? bind.get<std::string>() : std::string();
      const auto first = text.find(':');
      if (first != std::string::npos) {
        const auto second = text.find(':', first + 1);
        covered.insert(text.substr(
            first + 1, second == std::string::npos ? std::string::npos : second - first - 1));
      }
    }
  }
  if (const auto& mounts = member(host_config, "Mounts"); mounts.is_array()) {
    for (const auto& mount : mounts) {
      covered.insert(string_member(mount, "Target"));
    }
  }
  return covered;
}

// "<volume>:<destination>[:ro]" for the volumes (anonymous ones, in practice) that only the
// container's Mounts list knows about and whose destination is still declared (see header).
std::vector<std::string> carried_volumes(const json& container, const json& old_config,
                                         const json& new_config) {
  const auto& config = member(container, "Config");
  const auto covered = covered_destinations(member(container, "HostConfig"));
  const auto new_image_volumes = keys_of(member(new_config, "Volumes"));
  const auto old_image_volumes = keys_of(member(old_config, "Volumes"));
  const auto own_volumes = keys_of(member(config, "Volumes"));
  std::vector<std::string> binds;
  if (const auto& mounts = member(container, "Mounts"); mounts.is_array()) {
    for (const auto& mount : mounts) {
      const auto destination = string_member(mount, "Destination");
      const auto name = string_member(mount, "Name");
      if (string_member(mount, "Type") != "volume" || name.empty() ||
          covered.contains(destination)) {
        continue;
      }
      const bool declared =
          new_image_volumes.contains(destination) ||
          (own_volumes.contains(destination) && !old_image_volumes.contains(destination));
      if (declared) {
        const auto& writable = member(mount, "RW");
        binds.push_back(name + ":" + destination +
                        (writable.is_boolean() && !writable.get<bool>() ? ":ro" : ""));
      }
    }
  }
  return binds;
}

json host_config_for(const json& container, const json& old_config, const json& new_config) {
  json host = without_nulls(member(container, "HostConfig"));
  // The CLI's --cidfile: the engine does not use it, and the new container has another ID.
  host.erase("ContainerIDFile");
  if (auto links = member(host, "Links"); links.is_array()) {
    for (auto& link : links) {
      if (link.is_string()) {
        link = create_link(link.get<std::string>());
      }
    }
    host["Links"] = std::move(links);
  }
  const auto carried = carried_volumes(container, old_config, new_config);
  if (!carried.empty()) {
    json binds = host.contains("Binds") ? host["Binds"] : json::array();
    for (const auto& bind : carried) {
      binds.push_back(bind);
    }
    host["Binds"] = std::move(binds);
  }
  return host;
}

// The Cmd/Entrypoint rules of the header, in the engine's terms: an image's CMD is merged
// only when the create body has neither Entrypoint nor Cmd.
void copy_command(const json& config, const json& old_config, json& body) {
  const auto entrypoint = normalized_command(member(config, "Entrypoint"));
  const auto cmd = normalized_command(member(config, "Cmd"));
  const bool entrypoint_differs =
      entrypoint != normalized_command(member(old_config, "Entrypoint"));
  const bool cmd_differs = cmd != normalized_command(member(old_config, "Cmd"));
  // A container without a command while its image has one got there through an explicit
  // ENTRYPOINT (the engine then skips the image's CMD); only an explicit one keeps it so.
  if (entrypoint_differs || (cmd_differs && cmd.empty())) {
    body["Entrypoint"] = entrypoint.empty() ? json::array({""}) : entrypoint;
    if (!cmd.empty()) {
      body["Cmd"] = cmd;
    }
  } else if (cmd_differs) {
    body["Cmd"] = cmd;
  }
}

void copy_config(const json& container, const json& old_config, json& body) {
  const auto& config = member(container, "Config");
  const auto mode = network_mode(container);

  json env = json::array();
  std::set<std::string> image_env;
  if (const auto& listed = member(old_config, "Env"); listed.is_array()) {
    for (const auto& entry : listed) {
      if (entry.is_string()) {
        image_env.insert(entry.get<std::string>());
      }
    }
  }
  if (const auto& listed = member(config, "Env"); listed.is_array()) {
    for (const auto& entry : listed) {
      if (entry.is_string() && !image_env.contains(entry.get<std::string>())) {
        env.push_back(entry);
      }
    }
  }
  if (!env.empty()) {
    body["Env"] = std::move(env);
  }

  json labels = json::object();
  const auto& image_labels = member(old_config, "Labels");
  if (const auto& own = member(config, "Labels"); own.is_object()) {
    for (const auto& [key, value] : own.items()) {
      // compose's hash of the service's old configuration (image included) must not follow
      // the container to the new image: compose would take the container for one made from
      // the old configuration and leave it alone on `up -d` with the old IMAGE_TAG. Without
      // the label, compose recreates it on its next `up`, which is always safe.
      if (key == kComposeConfigHashLabel) {
        continue;
      }
      if (member(image_labels, key.c_str()) != value) {
        labels[key] = value;
      }
    }
  }
  if (!labels.empty()) {
    body["Labels"] = std::move(labels);
  }

  copy_command(config, old_config, body);

  for (const char* key : {"User", "WorkingDir", "StopSignal"}) {
    if (const auto value = string_member(config, key);
        !value.empty() && value != string_member(old_config, key)) {
      body[key] = value;
    }
  }
  if (const auto& check = member(config, "Healthcheck");
      check.is_object() && check != member(old_config, "Healthcheck")) {
    body["Healthcheck"] = check;
  }
  json exposed = json::object();
  const auto image_ports = keys_of(member(old_config, "ExposedPorts"));
  for (const auto& port : keys_of(member(config, "ExposedPorts"))) {
    if (!image_ports.contains(port)) {
      exposed[port] = json::object();
    }
  }
  if (!exposed.empty()) {
    body["ExposedPorts"] = std::move(exposed);
  }

  if (const auto hostname = string_member(config, "Hostname");
      !hostname.empty() && hostname != short_id(container) && !derives_hostname(mode)) {
    body["Hostname"] = hostname;
  }
  if (const auto domain = string_member(config, "Domainname");
      !domain.empty() && !mode.starts_with("container:")) {
    body["Domainname"] = domain;
  }
  if (const auto mac = string_member(config, "MacAddress"); !mac.empty()) {
    body["MacAddress"] = mac;
  }
  for (const char* key : {"StopTimeout", "Tty", "OpenStdin", "StdinOnce", "AttachStdin",
                          "AttachStdout", "AttachStderr", "Shell"}) {
    if (const auto& value = member(config, key); !value.is_null()) {
      body[key] = value;
    }
  }
  if (member(config, "NetworkDisabled") == true) {
    body["NetworkDisabled"] = true;
  }
}

}  // namespace

Result<json> recreate_body(const json& container_inspect, const json& old_image_inspect,
                           const json& new_image_inspect, std::string_view new_image) {
  const auto name = string_member(container_inspect, "Name");
  const auto which = name.empty() ? std::string("the container") : "container " + name;
  for (const char* key : {"Config", "HostConfig"}) {
    if (!member(container_inspect, key).is_object()) {
      return fail(ErrorKind::invalid_input,
                  "the inspect answer for " + which + " has no " + key +
                      " object, so wharf cannot tell how to recreate it; pass the whole answer "
                      "of GET /containers/{id}/json.");
    }
  }
  if (new_image.empty()) {
    return fail(ErrorKind::invalid_input,
                "no image was given to recreate " + which + " on; name the new image.");
  }
  const auto& old_config = member(old_image_inspect, "Config");
  const auto& new_config = member(new_image_inspect, "Config");

  json body = {{"Image", new_image}};
  copy_config(container_inspect, old_config, body);
  body["HostConfig"] = host_config_for(container_inspect, old_config, new_config);
  if (const auto primary = primary_network(container_inspect); !primary.empty()) {
    const auto& endpoint =
        member(member(member(container_inspect, "NetworkSettings"), "Networks"), primary.c_str());
    body["NetworkingConfig"] = {
        {"EndpointsConfig", {{primary, endpoint_settings(endpoint, short_id(container_inspect))}}}};
  }
  return body;
}

std::vector<NetworkAttachment> extra_networks(const json& container_inspect) {
  std::vector<NetworkAttachment> extra;
  const auto& networks = member(member(container_inspect, "NetworkSettings"), "Networks");
  if (!networks.is_object() || derives_hostname(network_mode(container_inspect))) {
    return extra;
  }
  const auto primary = primary_network(container_inspect);
  const auto own_short_id = short_id(container_inspect);
  for (const auto& [name, endpoint] : networks.items()) {
    if (name != primary) {
      extra.push_back(NetworkAttachment{name, endpoint_settings(endpoint, own_short_id)});
    }
  }
  // nlohmann::json keeps object keys sorted, but say so rather than rely on it.
  std::ranges::sort(extra, {}, &NetworkAttachment::network);
  return extra;
}

}  // namespace wharf::update
