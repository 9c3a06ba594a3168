#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/runtime/log_line.hpp"
#include "wharf/runtime/timestamps.hpp"

namespace wharf::runtime {

/// A container whose log lines are being shown.
struct LogSource {
  std::string container_id{};
  std::string container_name{};
  std::string service{};
  int number = 0;  ///< Its compose container number (0 when unlabelled).
  /// What its lines are prefixed with: the service, or "service-N" when the service had
  /// several containers when this one was first seen.
  std::string label{};
  std::size_t service_index = 0;  ///< Its service's position in StackLogsOptions::services.
  /// The longest label of every container known so far, so that a printer can pad labels
  /// into one column before it has seen them all.
  std::size_t label_width = 0;
};

/// Timings of --follow, named so tests can shorten them.
inline constexpr std::chrono::milliseconds kDefaultContainerPoll = std::chrono::seconds(1);
inline constexpr std::chrono::milliseconds kDefaultReorderHold = std::chrono::milliseconds(150);

struct StackLogsOptions {
  /// The services whose containers to read, in the order to list them; names the project
  /// does not have simply match nothing (the caller checks them against the compose file).
  std::vector<std::string> services{};
  /// Per container: the last N lines ("all" or empty: every line).
  std::string tail{};
  /// Only lines at or after this time.
  std::optional<UnixNanos> since{};
  /// Keep reading until `cancel`; follow containers that start again or appear (a recreated
  /// container is a new one with the same service label).
  bool follow = false;
  std::chrono::milliseconds poll_interval = kDefaultContainerPoll;
  std::chrono::milliseconds reorder_hold = kDefaultReorderHold;
  std::stop_token cancel{};
};

/// Receives lines in the order to print them, on the thread that called read_stack_logs().
using LogLineSink = std::function<void(const LogLine& line, const LogSource& source)>;
/// Told about services without a container and about containers as they start being followed
/// (a sentence for stderr).
using LogNotice = std::function<void(std::string_view sentence)>;

/// Reads the logs of a compose project's containers of `options.services` through the Engine
/// API (timestamps on, so that they merge exactly), and hands them to `sink` in time order —
/// stably: lines of one container never swap, ties go to the container listed first.
///
/// Without follow, every container's log (its last `tail` lines, since `since`) is read, merged
/// and handed over; then this returns. With follow, that is printed first, then the running
/// containers are followed; lines that arrive are held for `reorder_hold` so that lines of
/// several containers come out in time order. Every `poll_interval` the project's containers
/// are listed again: a new container of a selected service (compose or `wharf update`
/// recreated it) is followed from its first line, and a known one that runs again after its
/// stream ended is followed from where it stopped, without repeating lines. Returns when
/// `cancel` is requested — successfully, with every line received so far handed over.
///
/// Fails with the engine's error when the containers cannot be listed; a container removed
/// while it is read is not an error.
[[nodiscard]] Result<void> read_stack_logs(engine::EngineClient& engine, const std::string& project,
                                           const StackLogsOptions& options, const LogLineSink& sink,
                                           const LogNotice& notice = {});

}  // namespace wharf::runtime
