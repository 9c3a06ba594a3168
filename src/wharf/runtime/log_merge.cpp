#include "wharf/runtime/log_merge.hpp"

#include <algorithm>

namespace wharf::runtime {

void sort_by_time(std::vector<LogLine>& lines) {
  std::stable_sort(lines.begin(), lines.end(),
                   [](const LogLine& a, const LogLine& b) { return a.time < b.time; });
}

void ReorderBuffer::push(LogLine line, Clock::time_point arrival) {
  held_.insert(Held{std::move(line), arrival + hold_, next_sequence_++});
}

std::vector<LogLine> ReorderBuffer::pop_ready(Clock::time_point now) {
  // The newest line that is due: it and everything older leave together, so nothing held is
  // printed after a newer line it could still have preceded.
  auto last_due = held_.end();
  for (auto it = held_.begin(); it != held_.end(); ++it) {
    if (it->due <= now) {
      last_due = it;
    }
  }
  std::vector<LogLine> ready;
  if (last_due == held_.end()) {
    return ready;
  }
  const auto end = std::next(last_due);
  for (auto it = held_.begin(); it != end; ++it) {
    ready.push_back(it->line);
  }
  held_.erase(held_.begin(), end);
  return ready;
}

std::vector<LogLine> ReorderBuffer::pop_all() {
  std::vector<LogLine> all;
  all.reserve(held_.size());
  for (const auto& held : held_) {
    all.push_back(held.line);
  }
  held_.clear();
  return all;
}

std::optional<ReorderBuffer::Clock::time_point> ReorderBuffer::next_due() const {
  if (held_.empty()) {
    return std::nullopt;
  }
  return std::min_element(held_.begin(), held_.end(),
                          [](const Held& a, const Held& b) { return a.due < b.due; })
      ->due;
}

}  // namespace wharf::runtime
