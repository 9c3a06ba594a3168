#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "wharf/engine/log_demuxer.hpp"
#include "wharf/runtime/timestamps.hpp"

namespace wharf::runtime {

/// One line of a container's output, as the engine timestamped it.
struct LogLine {
  std::size_t source = 0;   ///< Which container it came from (an index the caller gave).
  UnixNanos time = 0;       ///< When the engine received it.
  std::string timestamp{};  ///< The engine's own text for `time` ("2024-05-01T12:00:00.1Z").
  std::string text{};       ///< The line without the timestamp and the line ending.
  engine::LogStream stream = engine::LogStream::standard_output;
};

using LogLineHandler = std::function<void(LogLine line)>;

/// Cuts one container's log stream — read with timestamps=true, so every line starts with an
/// RFC 3339 time and a space — into LogLines. Bytes come in arbitrary pieces (a line, or even a
/// timestamp, can be split between two); stdout and stderr are assembled separately because
/// their frames interleave. A line whose start is not a timestamp (which the engine does not
/// send) keeps its whole text and gets the time of the line before it, so it still sorts next
/// to its neighbours. A trailing "\r" is dropped with the "\n".
class LineAssembler {
 public:
  explicit LineAssembler(std::size_t source) : source_(source) {}

  /// Hands every line `bytes` completes to `handler`.
  void feed(engine::LogStream stream, std::string_view bytes, const LogLineHandler& handler);
  /// Hands over what is left without a final newline (the stream ended); call once at the end.
  void finish(const LogLineHandler& handler);

 private:
  void emit(engine::LogStream stream, std::string_view line, const LogLineHandler& handler);

  std::size_t source_;
  std::string pending_output_;
  std::string pending_error_;
  UnixNanos last_time_ = 0;
};

}  // namespace wharf::runtime
