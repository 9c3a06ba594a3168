#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wharf/engine/timeouts.hpp"

namespace wharf::engine {

/// What POST /containers/create needs to run a task. Fields left at their defaults are
/// left to the image/engine; anything not covered goes into the two JSON escape hatches.
struct ContainerSpec {
  std::string image;
  std::string name;              ///< Empty: the engine picks a name.
  std::vector<std::string> cmd;  ///< argv; empty: the image's CMD. Never given to a shell.
  /// Set (even to an empty vector, which clears it) to replace the image's ENTRYPOINT.
  std::optional<std::vector<std::string>> entrypoint;
  std::map<std::string, std::string> env;
  std::map<std::string, std::string> labels;
  std::string working_dir;
  std::string user;
  std::string hostname;
  bool tty = false;  ///< With a TTY, logs come raw (one stream) instead of multiplexed.

  // HostConfig
  std::string network_mode = "none";  ///< "none" or "host" here; any mode the engine knows.
  bool init = false;         ///< Run docker-init as PID 1 (reaps zombies, forwards signals).
  bool auto_remove = false;  ///< Leave false to read logs and exit code after exit.
  bool read_only_root = false;
  std::vector<std::string> binds;        ///< "host-path:container-path[:ro]"
  std::vector<std::string> extra_hosts;  ///< "name:ip"
  std::optional<std::int64_t> memory_bytes;
  std::optional<std::int64_t> nano_cpus;  ///< 1e9 per CPU.
  std::string stop_signal;                ///< Empty: the image's (SIGTERM).
  std::optional<int> stop_timeout_seconds;

  /// Merged into the request body last (top level), for fields not covered above.
  nlohmann::json extra_config = nlohmann::json::object();
  /// Merged into HostConfig last.
  nlohmann::json extra_host_config = nlohmann::json::object();
};

struct CreatedContainer {
  std::string id;
  std::vector<std::string> warnings;
};

struct ContainerState {
  std::string status;  ///< "created", "running", "exited", "dead", …
  bool running = false;
  bool oom_killed = false;
  int exit_code = 0;
  std::string error;
  std::string started_at;
  std::string finished_at;
};

/// What GET /containers/{id}/json says.
struct ContainerInfo {
  std::string id;
  std::string name;             ///< Without the leading '/'.
  std::string image;            ///< The image ID ("sha256:…").
  std::string image_reference;  ///< Config.Image: the name it was created from.
  ContainerState state;
  std::map<std::string, std::string> labels;
  bool tty = false;
  nlohmann::json raw;
};

/// One entry of GET /containers/json.
struct ContainerSummary {
  std::string id;
  std::vector<std::string> names;  ///< Without the leading '/'.
  /// The name it was created from, or the image ID ("sha256:…") once that name points to
  /// another image.
  std::string image;
  std::string image_id;  ///< "sha256:…", always the image it actually runs.
  std::string state;     ///< "running", "exited", …
  std::string status;    ///< "Exited (3) 2 seconds ago", …
  std::map<std::string, std::string> labels;
  std::int64_t created = 0;
};

struct ContainerListOptions {
  bool all = true;  ///< Include stopped containers.
  /// Only containers with all of these labels (an empty value matches any value).
  std::map<std::string, std::string> labels;
  std::string name;  ///< Only containers whose name contains this; empty: any.
};

struct ContainerRemoveOptions {
  bool force = true;    ///< Kill it first if it runs.
  bool volumes = true;  ///< Remove its anonymous volumes too.
};

/// Options for calls that stream or long-poll (wait, logs, exec start).
struct StreamOptions {
  std::chrono::milliseconds timeout = kNoTimeout;
  std::stop_token cancel;
};

enum class WaitCondition {
  not_running,  ///< Return at once if it is not running (call after start).
  next_exit,    ///< Wait for the next exit even if it is not running yet (call before start).
  removed,      ///< Wait until it is removed.
};

struct WaitOptions {
  WaitCondition condition = WaitCondition::not_running;
  std::chrono::milliseconds timeout = kNoTimeout;
  std::stop_token cancel;
};

struct WaitResult {
  int exit_code = -1;
  std::string error;  ///< The engine's Error.Message, if it reported one.
};

struct LogsOptions {
  bool follow = false;  ///< Keep streaming until the container stops.
  bool standard_output = true;
  bool standard_error = true;
  bool timestamps = false;
  std::string tail;                   ///< "all" or a number of lines; empty: all.
  std::optional<std::int64_t> since;  ///< Unix seconds.
  /// Whether the container has a TTY (raw output). Unknown: inspected first.
  std::optional<bool> tty;
  std::chrono::milliseconds timeout = kDefaultCallTimeout;  ///< Use kNoTimeout with follow.
  std::stop_token cancel;
};

struct AttachOptions {
  /// Whether the container has a TTY (raw output rather than multiplexed frames).
  bool tty = false;
  std::chrono::milliseconds timeout = kNoTimeout;
  std::stop_token cancel;
  /// Called once the engine has attached, before any output: from then on nothing the
  /// container writes is missed, so this is the moment to start it.
  std::function<void()> on_attached;
};

struct ExecSpec {
  std::vector<std::string> cmd;  ///< argv, never given to a shell.
  std::map<std::string, std::string> env;
  std::string working_dir;
  std::string user;
  bool tty = false;
  bool privileged = false;
};

struct ExecStartOptions {
  bool tty = false;  ///< Must match ExecSpec::tty: decides raw vs multiplexed output.
  std::chrono::milliseconds timeout = kNoTimeout;
  std::stop_token cancel;
};

struct ExecInfo {
  bool running = false;
  std::optional<int> exit_code;  ///< Empty while running.
  int pid = 0;
  std::string container_id;
};

}  // namespace wharf::engine
