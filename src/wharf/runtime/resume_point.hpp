#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "wharf/runtime/timestamps.hpp"

namespace wharf::runtime {

/// How far a container's log has been shown, so that reading it again — when a follow stream
/// ended and the container runs again, or when following starts after the first read — shows
/// every line exactly once. The engine's `since` has whole-second resolution, so a re-read
/// starts at since_seconds() and repeats lines of that second; accept() drops those.
///
/// A pass is one read of the log. Lines of one pass are compared only with what earlier passes
/// showed (never with each other), because the engine may deliver stdout and stderr lines a
/// little out of time order within a pass.
class ResumePoint {
 public:
  /// Begins a new read of the log: what was shown so far becomes the point to resume after.
  void begin_pass();

  /// True when the line at `time` was not shown by an earlier pass; records it as shown.
  /// Lines at exactly the last shown time are told apart by count: the first N of them in the
  /// new pass are the N already shown.
  [[nodiscard]] bool accept(UnixNanos time);

  /// The `since` (Unix seconds) to read from to continue; nullopt when nothing was shown yet.
  [[nodiscard]] std::optional<std::int64_t> since_seconds() const;

 private:
  // What earlier passes showed: the newest time and how many lines had exactly that time.
  std::optional<UnixNanos> resume_after_;
  std::size_t shown_at_resume_ = 0;
  std::size_t repeated_at_resume_ = 0;  // Lines at resume_after_ met in this pass.
  // The same for the current pass.
  std::optional<UnixNanos> newest_;
  std::size_t shown_at_newest_ = 0;
};

}  // namespace wharf::runtime
