#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <vector>

#include "wharf/runtime/log_line.hpp"

namespace wharf::runtime {

/// Orders `lines` (several containers' logs, each in its own order) by time. Equal times keep
/// the order they had, so lines of one container never swap and ties between containers go to
/// the one listed first.
void sort_by_time(std::vector<LogLine>& lines);

/// Holds followed log lines for a short while before they are printed, so that lines several
/// containers wrote at nearly the same moment — which reach wharf over separate connections in
/// any order — come out in time order. A line leaves once it has been held for `hold`, together
/// with every held line older than it. A line older than one already printed (it arrived more
/// than `hold` late) still comes out after its hold, out of order, rather than being dropped.
class ReorderBuffer {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ReorderBuffer(std::chrono::milliseconds hold) : hold_(hold) {}

  void push(LogLine line, Clock::time_point arrival);
  /// The lines due at `now`, in time order.
  [[nodiscard]] std::vector<LogLine> pop_ready(Clock::time_point now);
  /// Every held line, in time order (at the end of a follow).
  [[nodiscard]] std::vector<LogLine> pop_all();
  /// When the next line falls due; nullopt when nothing is held.
  [[nodiscard]] std::optional<Clock::time_point> next_due() const;
  [[nodiscard]] bool empty() const { return held_.empty(); }

 private:
  struct Held {
    LogLine line;
    Clock::time_point due;
    std::uint64_t sequence = 0;
  };
  struct ByTime {
    bool operator()(const Held& a, const Held& b) const {
      return a.line.time != b.line.time ? a.line.time < b.line.time : a.sequence < b.sequence;
    }
  };

  std::chrono::milliseconds hold_;
  std::multiset<Held, ByTime> held_;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace wharf::runtime
