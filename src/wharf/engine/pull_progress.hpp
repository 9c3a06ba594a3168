#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"

namespace wharf::engine {

/// Where a pull stands, aggregated over its layers, for a one-line progress display.
struct PullProgress {
  std::size_t layers_total = 0;     ///< Layers the engine announced so far.
  std::size_t layers_done = 0;      ///< Layers pulled and extracted, or already present.
  std::uint64_t bytes_current = 0;  ///< Bytes downloaded, over the layers with a known size.
  std::uint64_t bytes_total = 0;    ///< Sum of the layer sizes known so far (grows as they are).
  /// The latest image-wide status, e.g. "Pulling from wharf/worker" or
  /// "Status: Downloaded newer image for registry:5000/wharf/worker:1.0.0".
  std::string status;
  /// "sha256:…", the manifest digest, once the engine reported it.
  std::string digest;

  /// "2/3 layers, 1.2 MB of 3.4 MB" (or the status when no layer is known).
  [[nodiscard]] std::string summary() const;
};

/// Parses the JSON-lines stream of POST /images/create, which reports progress per layer
/// ({"status":"Downloading","progressDetail":{"current":…,"total":…},"id":"<layer>"}) and
/// failures *inside* a 200 response ({"errorDetail":{"message":…},"error":…}).
/// Incremental: chunks may split lines anywhere.
class PullProgressParser {
 public:
  /// `image` names the image being pulled, for error messages.
  explicit PullProgressParser(std::string image) : image_(std::move(image)) {}

  /// Consumes `bytes`. Returns whether progress() changed. Fails when the stream reports an
  /// error — ErrorKind::not_found for an unknown image or tag, ErrorKind::permission for a
  /// refused login, ErrorKind::remote otherwise, the message naming the image — or when a
  /// line is not JSON (ErrorKind::remote).
  [[nodiscard]] Result<bool> feed(std::string_view bytes);

  /// Parses a final line that had no newline. Call once at the end of the stream.
  [[nodiscard]] Result<bool> finish();

  [[nodiscard]] const PullProgress& progress() const noexcept { return progress_; }

 private:
  struct Layer {
    std::uint64_t current = 0;
    std::uint64_t total = 0;
    bool downloaded = false;
    bool done = false;
  };

  Result<bool> parse_line(std::string_view line);
  void recompute();

  std::string image_;
  std::string partial_line_;
  std::map<std::string, Layer, std::less<>> layers_;
  PullProgress progress_;
};

/// Sorts an error message from a pull into an ErrorKind (not_found, permission or remote).
[[nodiscard]] ErrorKind classify_pull_error(std::string_view message) noexcept;

}  // namespace wharf::engine
