#include "wharf/dispatch/worker.hpp"

namespace wharf::dispatch {

std::string_view to_string(AttemptStatus status) noexcept {
  switch (status) {
    case AttemptStatus::completed:
      return "completed";
    case AttemptStatus::timed_out:
      return "timed_out";
    case AttemptStatus::failed_to_start:
      return "failed_to_start";
    case AttemptStatus::infrastructure_error:
      return "infrastructure_error";
    case AttemptStatus::cancelled:
      return "cancelled";
  }
  return "infrastructure_error";
}

}  // namespace wharf::dispatch
