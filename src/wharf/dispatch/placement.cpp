#include "wharf/dispatch/placement.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace wharf::dispatch {

Placement::Placement(std::vector<std::size_t> slots, std::size_t parallel) {
  workers_.reserve(slots.size());
  std::size_t total = 0;
  for (const auto s : slots) {
    workers_.push_back(WorkerState{s, 0, false});
    total += s;
  }
  limit_ = parallel == 0 ? total : std::min(parallel, total);
}

std::optional<std::size_t> Placement::pick(std::span<const std::size_t> tried) const {
  if (running_ >= limit_) {
    return std::nullopt;
  }
  std::optional<std::size_t> best_untried;
  std::optional<std::size_t> best_tried;
  const auto free_slots = [this](std::size_t i) { return workers_[i].slots - workers_[i].running; };
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    const auto& worker = workers_[i];
    if (worker.lost || worker.running >= worker.slots) {
      continue;
    }
    const bool was_tried = std::find(tried.begin(), tried.end(), i) != tried.end();
    auto& best = was_tried ? best_tried : best_untried;
    // Strictly greater keeps the earlier worker on ties.
    if (!best || free_slots(i) > free_slots(*best)) {
      best = i;
    }
  }
  return best_untried ? best_untried : best_tried;
}

void Placement::start(std::size_t worker) {
  auto& state = workers_.at(worker);
  if (state.lost || state.running >= state.slots || running_ >= limit_) {
    throw std::logic_error("Placement::start on a worker that cannot take an attempt");
  }
  ++state.running;
  ++running_;
}

void Placement::finish(std::size_t worker) {
  auto& state = workers_.at(worker);
  if (state.running == 0) {
    throw std::logic_error("Placement::finish without a running attempt");
  }
  --state.running;
  --running_;
}

void Placement::mark_lost(std::size_t worker) {
  workers_.at(worker).lost = true;
}

bool Placement::can_ever_place() const {
  return limit_ > 0 && std::any_of(workers_.begin(), workers_.end(),
                                   [](const WorkerState& w) { return !w.lost && w.slots > 0; });
}

}  // namespace wharf::dispatch
