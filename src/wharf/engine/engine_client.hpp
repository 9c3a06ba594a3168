#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "wharf/core/error.hpp"
#include "wharf/engine/api_version.hpp"
#include "wharf/engine/container_types.hpp"
#include "wharf/engine/docker_host.hpp"
#include "wharf/engine/http_connection.hpp"
#include "wharf/engine/image_types.hpp"
#include "wharf/engine/log_demuxer.hpp"
#include "wharf/engine/timeouts.hpp"
#include "wharf/transport/connector.hpp"

namespace wharf::engine {

/// GET /_ping.
struct PingInfo {
  ApiVersion api_version;  ///< The newest API the engine speaks (API-Version header).
  std::string os_type;     ///< "linux"
  bool experimental = false;
  std::string server;  ///< Server header, e.g. "Docker/20.10.24+dfsg1 (linux)".
};

/// GET /version.
struct VersionInfo {
  std::string version;  ///< "20.10.24+dfsg1"
  ApiVersion api_version;
  std::optional<ApiVersion> min_api_version;
  std::string os;
  std::string arch;
  std::string kernel_version;
  nlohmann::json raw;
};

/// A client of one Docker engine's HTTP API, over one kept-alive connection.
///
/// Every call returns Result: connection failures are ErrorKind::unavailable, permission,
/// timeout or cancelled (see HttpConnection); an engine's refusal maps its HTTP status to
/// not_found (404), conflict (409), invalid_input (400), permission (401/403) or remote,
/// with Error::http_status set and the engine's own message in the sentence.
///
/// Thread-safety: an EngineClient is not thread-safe. Give each thread its own through
/// clone(), which is cheap (no I/O): clones share the connector and the negotiated version
/// and open their own connection on first use.
class EngineClient {
 public:
  /// Connects to `host` through `connector`, pings it and negotiates the API version (see
  /// negotiate_api_version()). Fails with the connector's sentence when the engine cannot be
  /// reached. Which connector an address needs is decided above the engine, in
  /// connect/engine_route.hpp (connect::connect_engine() is this with the right connector).
  [[nodiscard]] static Result<EngineClient> connect(
      const DockerHost& host, std::shared_ptr<transport::Connector> connector,
      std::chrono::milliseconds timeout = kDefaultCallTimeout);

  EngineClient(EngineClient&&) noexcept;
  EngineClient& operator=(EngineClient&&) noexcept;
  ~EngineClient();

  /// A new client for the same engine and API version with its own connection.
  [[nodiscard]] EngineClient clone() const;

  [[nodiscard]] const DockerHost& host() const noexcept;
  [[nodiscard]] ApiVersion api_version() const noexcept;
  /// Connections this client opened so far (keep-alive makes it 1 for many calls).
  [[nodiscard]] std::size_t connections_opened() const noexcept;

  // --- System --------------------------------------------------------------------------

  [[nodiscard]] Result<PingInfo> ping(std::chrono::milliseconds timeout = kDefaultCallTimeout);
  [[nodiscard]] Result<VersionInfo> version(
      std::chrono::milliseconds timeout = kDefaultCallTimeout);

  // --- Images (engine_images.cpp) ------------------------------------------------------

  /// A local image by name, ID or digest; ErrorKind::not_found when it is not there.
  [[nodiscard]] Result<ImageInfo> image_inspect(
      std::string_view image, std::chrono::milliseconds timeout = kDefaultCallTimeout);
  /// Pulls `image` ("registry:5000/repo:tag", tag "latest" when absent). Reports progress
  /// through options.on_progress; an error the engine reports inside the stream fails the
  /// call (not_found for an unknown tag, permission for refused credentials, else remote)
  /// with a sentence naming the image.
  [[nodiscard]] Result<PullResult> image_pull(std::string_view image,
                                              const PullOptions& options = {});
  [[nodiscard]] Result<std::vector<ImageSummary>> image_list(
      const ImageListOptions& options = {},
      std::chrono::milliseconds timeout = kDefaultCallTimeout);
  /// Removes (untags) a local image; ErrorKind::not_found when absent, conflict when in use.
  [[nodiscard]] Result<void> image_remove(std::string_view image,
                                          const ImageRemoveOptions& options = {},
                                          std::chrono::milliseconds timeout = kDefaultCallTimeout);

  // --- Containers (engine_containers.cpp) ----------------------------------------------

  /// Creates (does not start) a container; not_found when the image is not local,
  /// conflict when the name is taken.
  [[nodiscard]] Result<CreatedContainer> container_create(
      const ContainerSpec& spec, std::chrono::milliseconds timeout = kDefaultCallTimeout);
  /// The same from a complete POST /containers/create body (Config fields at the top level,
  /// HostConfig, NetworkingConfig), for callers that copy another container's settings;
  /// `name` may be empty. Errors as above.
  [[nodiscard]] Result<CreatedContainer> container_create(
      std::string_view name, const nlohmann::json& body,
      std::chrono::milliseconds timeout = kDefaultCallTimeout);
  /// Gives the container a new name; conflict when the name is taken, not_found when there
  /// is no such container.
  [[nodiscard]] Result<void> container_rename(
      std::string_view id, std::string_view new_name,
      std::chrono::milliseconds timeout = kDefaultCallTimeout);
  /// Connects the container to one more network with `endpoint_config` (Aliases, IPAMConfig,
  /// Links, …; an empty object for none). A created container is only recorded as connected;
  /// its address is assigned when it starts. not_found when the network or the container is
  /// not there.
  [[nodiscard]] Result<void> network_connect(
      std::string_view network, std::string_view container,
      const nlohmann::json& endpoint_config = nlohmann::json::object(),
      std::chrono::milliseconds timeout = kDefaultCallTimeout);
  /// Starts it; starting a running container succeeds.
  [[nodiscard]] Result<void> container_start(
      std::string_view id, std::chrono::milliseconds timeout = kDefaultCallTimeout);
  /// Long-polls until the container meets options.condition and returns its exit code.
  /// Fails with ErrorKind::timeout after options.timeout, cancelled on options.cancel.
  [[nodiscard]] Result<WaitResult> container_wait(std::string_view id,
                                                  const WaitOptions& options = {});
  [[nodiscard]] Result<ContainerInfo> container_inspect(
      std::string_view id, std::chrono::milliseconds timeout = kDefaultCallTimeout);
  /// Streams the container's output into `sink` (until it stops with options.follow).
  [[nodiscard]] Result<void> container_logs(std::string_view id, const LogsOptions& options,
                                            const LogSink& sink);
  /// Attaches to the container's stdout and stderr (POST /containers/{id}/attach?stream=1)
  /// and streams them into `sink` byte for byte until the container closes them, which it
  /// does when it stops. Unlike logs, nothing passes through the log driver, so binary and
  /// invalid UTF-8 arrive unchanged and nothing after the last newline is lost. Attach to a
  /// created container and start it from options.on_attached (or later, on another client)
  /// to receive all of its output. Fails with ErrorKind::timeout after options.timeout,
  /// cancelled on options.cancel.
  [[nodiscard]] Result<void> container_attach(std::string_view id, const AttachOptions& options,
                                              const LogSink& sink);
  /// The container's whole output so far, split by stream.
  [[nodiscard]] Result<LogOutput> container_logs(std::string_view id,
                                                 const LogsOptions& options = {});
  /// Sends a signal ("KILL", "TERM", "SIGINT", "9"); conflict when it is not running.
  [[nodiscard]] Result<void> container_kill(
      std::string_view id, std::string_view signal = "KILL",
      std::chrono::milliseconds timeout = kDefaultCallTimeout);
  /// Sends the stop signal, waits `grace`, then kills; stopping a stopped one succeeds.
  /// The HTTP timeout is `grace` plus kDefaultCallTimeout.
  [[nodiscard]] Result<void> container_stop(std::string_view id,
                                            std::chrono::seconds grace = std::chrono::seconds(10));
  /// Removes it; ErrorKind::not_found when there is no such container.
  [[nodiscard]] Result<void> container_remove(
      std::string_view id, const ContainerRemoveOptions& options = {},
      std::chrono::milliseconds timeout = kDefaultCallTimeout);
  [[nodiscard]] Result<std::vector<ContainerSummary>> container_list(
      const ContainerListOptions& options = {},
      std::chrono::milliseconds timeout = kDefaultCallTimeout);

  // --- Exec (engine_exec.cpp) ----------------------------------------------------------

  /// Prepares a command in a running container and returns the exec ID; conflict when the
  /// container is not running.
  [[nodiscard]] Result<std::string> exec_create(
      std::string_view container, const ExecSpec& spec,
      std::chrono::milliseconds timeout = kDefaultCallTimeout);
  /// Runs it attached and streams its output into `sink` until it exits (the engine then
  /// closes the stream); read the exit code with exec_inspect().
  [[nodiscard]] Result<void> exec_start(std::string_view exec_id, const ExecStartOptions& options,
                                        const LogSink& sink);
  [[nodiscard]] Result<ExecInfo> exec_inspect(
      std::string_view exec_id, std::chrono::milliseconds timeout = kDefaultCallTimeout);

  // --- Raw access ----------------------------------------------------------------------

  /// Sends `request` with its target prefixed by the negotiated "/v1.xx", for endpoints
  /// without a typed call. The response is returned whatever its status.
  [[nodiscard]] Result<HttpResponse> raw_request(HttpRequest request);

 private:
  struct Shared;
  EngineClient(std::shared_ptr<const Shared> shared, HttpConnection connection);

  // Sends a versioned request and turns a non-2xx status into an Error about `what`
  // ("create a container from wharf/worker:dev").
  Result<HttpResponse> call(std::string method, std::string target, std::string body,
                            std::chrono::milliseconds timeout, std::string_view what);
  Result<HttpResponse> call_stream(HttpRequest request, const BodyHandler& on_body,
                                   std::stop_token cancel, std::string_view what,
                                   const HeadersHandler& on_headers = {});
  Result<nlohmann::json> call_json(std::string method, std::string target, std::string body,
                                   std::chrono::milliseconds timeout, std::string_view what);
  Error api_error(const HttpResponse& response, std::string_view what) const;
  Result<void> check_path_segment(std::string_view value, std::string_view what) const;

  std::shared_ptr<const Shared> shared_;
  HttpConnection connection_;
};

}  // namespace wharf::engine
