#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"

namespace wharf::engine {

/// Which stream of a container a piece of output came from (the frame header's first byte).
enum class LogStream : std::uint8_t { standard_input = 0, standard_output = 1, standard_error = 2 };

/// Receives demultiplexed output, in pieces that may split lines or UTF-8 sequences.
using LogSink = std::function<void(LogStream stream, std::string_view bytes)>;

/// Splits the Engine API's multiplexed stdout/stderr stream (logs, attach, exec without a
/// TTY) back into its streams. Each frame is an 8-byte header — stream type, three zero
/// bytes, big-endian uint32 payload length — followed by the payload. Containers with a TTY
/// send raw bytes instead, which this passes on as standard_output.
///
/// Incremental: feed() takes chunks cut at arbitrary places (inside headers and payloads)
/// and delivers payload bytes as soon as they arrive, so a long frame is never buffered.
class LogDemuxer {
 public:
  /// `raw` is true for a container created with a TTY.
  explicit LogDemuxer(bool raw) : raw_(raw) {}

  /// Decodes `bytes`, calling `sink` for every run of payload. Fails with ErrorKind::remote
  /// on a header that is not a frame header (the stream is then unusable: later calls fail
  /// too); usually that means the container has a TTY and `raw` should have been true.
  [[nodiscard]] Result<void> feed(std::string_view bytes, const LogSink& sink);

  /// Call at the end of the stream: fails with ErrorKind::remote when it stopped inside a
  /// frame (the engine or the connection cut it short).
  [[nodiscard]] Result<void> finish() const;

 private:
  bool raw_;
  bool broken_ = false;
  std::array<unsigned char, 8> header_{};
  std::size_t header_size_ = 0;
  std::uint32_t payload_left_ = 0;
  LogStream current_ = LogStream::standard_output;
};

/// Everything a container wrote, split by stream.
struct LogOutput {
  std::string standard_output;
  std::string standard_error;
};

/// A sink that appends to `output` (stdin frames, which only attach echoes, are dropped).
[[nodiscard]] LogSink collect_into(LogOutput& output);

}  // namespace wharf::engine
