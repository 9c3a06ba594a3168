// EngineClient's container calls: create, rename, start, wait, inspect, logs, kill, stop, remove,
// list, and connecting a container to a network.

#include <nlohmann/json.hpp>

#include "wharf/core/json_text.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/engine/json_fields.hpp"

namespace wharf::engine {
namespace {

using namespace json_fields;

nlohmann::json env_list(const std::map<std::string, std::string>& env) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [name, value] : env) {
    list.push_back(name + "=" + value);
  }
  return list;
}

nlohmann::json create_body(const ContainerSpec& spec) {
  nlohmann::json body = {{"Image", spec.image},   {"Env", env_list(spec.env)},
                         {"Labels", spec.labels}, {"Tty", spec.tty},
                         {"AttachStdout", true},  {"AttachStderr", true}};
  if (!spec.cmd.empty()) {
    body["Cmd"] = spec.cmd;
  }
  if (spec.entrypoint) {
    // An empty list clears the image's ENTRYPOINT; the engine wants [""] for that.
    body["Entrypoint"] = spec.entrypoint->empty() ? std::vector<std::string>{""} : *spec.entrypoint;
  }
  const auto set_if = [&body](const char* key, const std::string& value) {
    if (!value.empty()) {
      body[key] = value;
    }
  };
  set_if("WorkingDir", spec.working_dir);
  set_if("User", spec.user);
  set_if("Hostname", spec.hostname);
  set_if("StopSignal", spec.stop_signal);
  if (spec.stop_timeout_seconds) {
    body["StopTimeout"] = *spec.stop_timeout_seconds;
  }
  nlohmann::json host = {{"NetworkMode", spec.network_mode},
                         {"Init", spec.init},
                         {"AutoRemove", spec.auto_remove},
                         {"ReadonlyRootfs", spec.read_only_root}};
  if (!spec.binds.empty()) {
    host["Binds"] = spec.binds;
  }
  if (!spec.extra_hosts.empty()) {
    host["ExtraHosts"] = spec.extra_hosts;
  }
  if (spec.memory_bytes) {
    host["Memory"] = *spec.memory_bytes;
  }
  if (spec.nano_cpus) {
    host["NanoCpus"] = *spec.nano_cpus;
  }
  host.merge_patch(spec.extra_host_config);
  body["HostConfig"] = std::move(host);
  body.merge_patch(spec.extra_config);
  return body;
}

ContainerInfo container_info_from(nlohmann::json json) {
  ContainerInfo info;
  info.id = string_at(json, "Id");
  info.name = string_at(json, "Name");
  if (info.name.starts_with('/')) {
    info.name.erase(0, 1);
  }
  info.image = string_at(json, "Image");
  const auto& config = object_at(json, "Config");
  info.image_reference = string_at(config, "Image");
  info.labels = labels_at(config, "Labels");
  info.tty = bool_at(config, "Tty");
  const auto& state = object_at(json, "State");
  info.state.status = string_at(state, "Status");
  info.state.running = bool_at(state, "Running");
  info.state.oom_killed = bool_at(state, "OOMKilled");
  info.state.exit_code = static_cast<int>(int_at(state, "ExitCode"));
  info.state.error = string_at(state, "Error");
  info.state.started_at = string_at(state, "StartedAt");
  info.state.finished_at = string_at(state, "FinishedAt");
  info.raw = std::move(json);
  return info;
}

ContainerSummary container_summary_from(const nlohmann::json& json) {
  ContainerSummary summary;
  summary.id = string_at(json, "Id");
  for (auto name : strings_at(json, "Names")) {
    summary.names.push_back(name.starts_with('/') ? name.substr(1) : name);
  }
  summary.image = string_at(json, "Image");
  summary.image_id = string_at(json, "ImageID");
  summary.state = string_at(json, "State");
  summary.status = string_at(json, "Status");
  summary.labels = labels_at(json, "Labels");
  summary.created = int_at(json, "Created");
  return summary;
}

std::string_view condition_name(WaitCondition condition) {
  switch (condition) {
    case WaitCondition::next_exit:
      return "next-exit";
    case WaitCondition::removed:
      return "removed";
    case WaitCondition::not_running:
      break;
  }
  return "not-running";
}

}  // namespace

Result<CreatedContainer> EngineClient::container_create(const ContainerSpec& spec,
                                                        std::chrono::milliseconds timeout) {
  return container_create(spec.name, create_body(spec), timeout);
}

Result<CreatedContainer> EngineClient::container_create(std::string_view name,
                                                        const nlohmann::json& body,
                                                        std::chrono::milliseconds timeout) {
  std::string target = "/containers/create";
  if (!name.empty()) {
    target += "?name=" + percent_encode(name);
  }
  const std::string what = "create a container from " + string_at(body, "Image");
  auto text = json_request_body(body);
  if (!text) {
    return fail(ErrorKind::invalid_input, "cannot " + what + ": " + text.error().message);
  }
  auto json = call_json("POST", std::move(target), std::move(*text), timeout, what);
  if (!json) {
    return std::unexpected(std::move(json.error()));
  }
  return CreatedContainer{string_at(*json, "Id"), strings_at(*json, "Warnings")};
}

Result<void> EngineClient::container_rename(std::string_view id, std::string_view new_name,
                                            std::chrono::milliseconds timeout) {
  if (auto valid = check_path_segment(id, "container ID"); !valid) {
    return valid;
  }
  auto response =
      call("POST", "/containers/" + std::string(id) + "/rename?name=" + percent_encode(new_name),
           {}, timeout, "rename container " + std::string(id) + " to " + std::string(new_name));
  if (!response) {
    return std::unexpected(std::move(response.error()));
  }
  return {};
}

Result<void> EngineClient::network_connect(std::string_view network, std::string_view container,
                                           const nlohmann::json& endpoint_config,
                                           std::chrono::milliseconds timeout) {
  if (auto valid = check_path_segment(network, "network name"); !valid) {
    return valid;
  }
  const nlohmann::json body = {{"Container", container}, {"EndpointConfig", endpoint_config}};
  auto response =
      call("POST", "/networks/" + std::string(network) + "/connect", body.dump(), timeout,
           "connect container " + std::string(container) + " to network " + std::string(network));
  if (!response) {
    return std::unexpected(std::move(response.error()));
  }
  return {};
}

Result<void> EngineClient::container_start(std::string_view id, std::chrono::milliseconds timeout) {
  if (auto valid = check_path_segment(id, "container ID"); !valid) {
    return valid;
  }
  auto response = call("POST", "/containers/" + std::string(id) + "/start", {}, timeout,
                       "start container " + std::string(id));
  if (!response) {
    return std::unexpected(std::move(response.error()));
  }
  return {};
}

Result<WaitResult> EngineClient::container_wait(std::string_view id, const WaitOptions& options) {
  if (auto valid = check_path_segment(id, "container ID"); !valid) {
    return std::unexpected(std::move(valid.error()));
  }
  // The engine sends the headers at once and the body when the condition is met, so the
  // whole wait is one long-polled response.
  std::string body;
  HttpRequest request{"POST",
                      "/containers/" + std::string(id) +
                          "/wait?condition=" + std::string(condition_name(options.condition)),
                      {},
                      {},
                      options.timeout};
  auto response = call_stream(
      std::move(request),
      [&body](std::string_view chunk) {
        body.append(chunk);
        return true;
      },
      options.cancel, "wait for container " + std::string(id));
  if (!response) {
    return std::unexpected(std::move(response.error()));
  }
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object() || !json.contains("StatusCode")) {
    return fail(ErrorKind::remote, "the Docker engine at " + host().address +
                                       " ended the wait for container " + std::string(id) +
                                       " without an exit code.");
  }
  return WaitResult{static_cast<int>(int_at(json, "StatusCode")),
                    string_at(object_at(json, "Error"), "Message")};
}

Result<ContainerInfo> EngineClient::container_inspect(std::string_view id,
                                                      std::chrono::milliseconds timeout) {
  if (auto valid = check_path_segment(id, "container ID"); !valid) {
    return std::unexpected(std::move(valid.error()));
  }
  auto json = call_json("GET", "/containers/" + std::string(id) + "/json", {}, timeout,
                        "inspect container " + std::string(id));
  if (!json) {
    return std::unexpected(std::move(json.error()));
  }
  return container_info_from(std::move(*json));
}

Result<void> EngineClient::container_logs(std::string_view id, const LogsOptions& options,
                                          const LogSink& sink) {
  if (auto valid = check_path_segment(id, "container ID"); !valid) {
    return valid;
  }
  auto tty = options.tty;
  if (!tty) {
    auto info = container_inspect(id);
    if (!info) {
      return std::unexpected(std::move(info.error()));
    }
    tty = info->tty;
  }
  std::string target = "/containers/" + std::string(id) +
                       "/logs?follow=" + (options.follow ? "1" : "0") +
                       "&stdout=" + (options.standard_output ? "1" : "0") +
                       "&stderr=" + (options.standard_error ? "1" : "0") +
                       "&timestamps=" + (options.timestamps ? "1" : "0");
  if (!options.tail.empty()) {
    target += "&tail=" + percent_encode(options.tail);
  }
  if (options.since) {
    target += "&since=" + std::to_string(*options.since);
  }
  LogDemuxer demuxer(*tty);
  std::optional<Error> frame_error;
  auto response = call_stream(
      HttpRequest{"GET", std::move(target), {}, {}, options.timeout},
      [&](std::string_view chunk) {
        if (auto fed = demuxer.feed(chunk, sink); !fed) {
          frame_error = std::move(fed.error());
          return false;
        }
        return true;
      },
      options.cancel, "read the logs of container " + std::string(id));
  if (!response) {
    return std::unexpected(std::move(response.error()));
  }
  if (frame_error) {
    return std::unexpected(std::move(*frame_error));
  }
  return demuxer.finish();
}

Result<void> EngineClient::container_attach(std::string_view id, const AttachOptions& options,
                                            const LogSink& sink) {
  if (auto valid = check_path_segment(id, "container ID"); !valid) {
    return valid;
  }
  // Without "Upgrade: tcp" the engine still hijacks the connection: it answers 200 once the
  // streams are attached, then sends the output (multiplexed without a TTY) and closes the
  // connection when the container's streams close — "read until EOF" for curl.
  LogDemuxer demuxer(options.tty);
  std::optional<Error> frame_error;
  auto response = call_stream(
      HttpRequest{"POST",
                  "/containers/" + std::string(id) + "/attach?stream=1&stdout=1&stderr=1",
                  {},
                  {},
                  options.timeout},
      [&](std::string_view chunk) {
        if (auto fed = demuxer.feed(chunk, sink); !fed) {
          frame_error = std::move(fed.error());
          return false;
        }
        return true;
      },
      options.cancel, "attach to container " + std::string(id),
      [&options](long status) {
        if (status >= 200 && status < 300 && options.on_attached) {
          options.on_attached();
        }
      });
  if (!response) {
    return std::unexpected(std::move(response.error()));
  }
  if (frame_error) {
    return std::unexpected(std::move(*frame_error));
  }
  return demuxer.finish();
}

Result<LogOutput> EngineClient::container_logs(std::string_view id, const LogsOptions& options) {
  LogOutput output;
  if (auto done = container_logs(id, options, collect_into(output)); !done) {
    return std::unexpected(std::move(done.error()));
  }
  return output;
}

Result<void> EngineClient::container_kill(std::string_view id, std::string_view signal,
                                          std::chrono::milliseconds timeout) {
  if (auto valid = check_path_segment(id, "container ID"); !valid) {
    return valid;
  }
  auto response =
      call("POST", "/containers/" + std::string(id) + "/kill?signal=" + percent_encode(signal), {},
           timeout, "kill container " + std::string(id));
  if (!response) {
    return std::unexpected(std::move(response.error()));
  }
  return {};
}

Result<void> EngineClient::container_stop(std::string_view id, std::chrono::seconds grace) {
  if (auto valid = check_path_segment(id, "container ID"); !valid) {
    return valid;
  }
  auto response =
      call("POST", "/containers/" + std::string(id) + "/stop?t=" + std::to_string(grace.count()),
           {}, grace + kDefaultCallTimeout, "stop container " + std::string(id));
  if (!response) {
    return std::unexpected(std::move(response.error()));
  }
  return {};
}

Result<void> EngineClient::container_remove(std::string_view id,
                                            const ContainerRemoveOptions& options,
                                            std::chrono::milliseconds timeout) {
  if (auto valid = check_path_segment(id, "container ID"); !valid) {
    return valid;
  }
  auto response = call("DELETE",
                       "/containers/" + std::string(id) + "?force=" + (options.force ? "1" : "0") +
                           "&v=" + (options.volumes ? "1" : "0"),
                       {}, timeout, "remove container " + std::string(id));
  if (!response) {
    return std::unexpected(std::move(response.error()));
  }
  return {};
}

Result<std::vector<ContainerSummary>> EngineClient::container_list(
    const ContainerListOptions& options, std::chrono::milliseconds timeout) {
  nlohmann::json filters = nlohmann::json::object();
  if (!options.name.empty()) {
    filters["name"].push_back(options.name);
  }
  auto json = call_json("GET",
                        "/containers/json?all=" + std::string(options.all ? "1" : "0") +
                            "&filters=" + percent_encode(label_filters(options.labels, filters)),
                        {}, timeout, "list containers");
  if (!json) {
    return std::unexpected(std::move(json.error()));
  }
  std::vector<ContainerSummary> containers;
  if (json->is_array()) {
    for (const auto& item : *json) {
      containers.push_back(container_summary_from(item));
    }
  }
  return containers;
}

}  // namespace wharf::engine
