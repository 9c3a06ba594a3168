// EngineClient's exec calls: run a further command inside a running container.

#include <nlohmann/json.hpp>

#include "wharf/core/json_text.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/engine/json_fields.hpp"

namespace wharf::engine {

using namespace json_fields;

Result<std::string> EngineClient::exec_create(std::string_view container, const ExecSpec& spec,
                                              std::chrono::milliseconds timeout) {
  if (auto valid = check_path_segment(container, "container ID"); !valid) {
    return std::unexpected(std::move(valid.error()));
  }
  nlohmann::json env = nlohmann::json::array();
  for (const auto& [name, value] : spec.env) {
    env.push_back(name + "=" + value);
  }
  nlohmann::json body = {{"Cmd", spec.cmd},
                         {"Env", env},
                         {"AttachStdin", false},
                         {"AttachStdout", true},
                         {"AttachStderr", true},
                         {"Tty", spec.tty},
                         {"Privileged", spec.privileged}};
  if (!spec.working_dir.empty()) {
    body["WorkingDir"] = spec.working_dir;
  }
  if (!spec.user.empty()) {
    body["User"] = spec.user;
  }
  const std::string what = "prepare a command in container " + std::string(container);
  auto text = json_request_body(body);
  if (!text) {
    return fail(ErrorKind::invalid_input, "cannot " + what + ": " + text.error().message);
  }
  auto json = call_json("POST", "/containers/" + std::string(container) + "/exec", std::move(*text),
                        timeout, what);
  if (!json) {
    return std::unexpected(std::move(json.error()));
  }
  auto id = string_at(*json, "Id");
  if (id.empty()) {
    return fail(ErrorKind::remote, "the Docker engine at " + host().address +
                                       " created an exec in container " + std::string(container) +
                                       " but did not return its ID.");
  }
  return id;
}

Result<void> EngineClient::exec_start(std::string_view exec_id, const ExecStartOptions& options,
                                      const LogSink& sink) {
  if (auto valid = check_path_segment(exec_id, "exec ID"); !valid) {
    return valid;
  }
  // Without "Upgrade: tcp" the engine still hijacks the connection: it answers 200, streams
  // the (multiplexed) output and closes the connection when the command exits, which is
  // exactly "read until EOF". The next call on this client simply reconnects.
  const nlohmann::json body = {{"Detach", false}, {"Tty", options.tty}};
  LogDemuxer demuxer(options.tty);
  std::optional<Error> frame_error;
  auto response = call_stream(
      HttpRequest{
          "POST", "/exec/" + std::string(exec_id) + "/start", body.dump(), {}, options.timeout},
      [&](std::string_view chunk) {
        if (auto fed = demuxer.feed(chunk, sink); !fed) {
          frame_error = std::move(fed.error());
          return false;
        }
        return true;
      },
      options.cancel, "run exec " + std::string(exec_id));
  if (!response) {
    return std::unexpected(std::move(response.error()));
  }
  if (frame_error) {
    return std::unexpected(std::move(*frame_error));
  }
  return demuxer.finish();
}

Result<ExecInfo> EngineClient::exec_inspect(std::string_view exec_id,
                                            std::chrono::milliseconds timeout) {
  if (auto valid = check_path_segment(exec_id, "exec ID"); !valid) {
    return std::unexpected(std::move(valid.error()));
  }
  auto json = call_json("GET", "/exec/" + std::string(exec_id) + "/json", {}, timeout,
                        "inspect exec " + std::string(exec_id));
  if (!json) {
    return std::unexpected(std::move(json.error()));
  }
  ExecInfo info;
  info.running = bool_at(*json, "Running");
  if (!info.running) {
    info.exit_code = static_cast<int>(int_at(*json, "ExitCode"));
  }
  info.pid = static_cast<int>(int_at(*json, "Pid"));
  info.container_id = string_at(*json, "ContainerID");
  return info;
}

}  // namespace wharf::engine
