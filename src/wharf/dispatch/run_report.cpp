#include "wharf/dispatch/run_report.hpp"

namespace wharf::dispatch {

void count_final(RunCounts& counts, const Attempt& last) noexcept {
  switch (last.status) {
    case AttemptStatus::completed:
      ++(last.exit_code == 0 ? counts.succeeded : counts.failed);
      return;
    case AttemptStatus::timed_out:
      ++counts.timed_out;
      return;
    case AttemptStatus::failed_to_start:
      ++counts.failed_to_start;
      return;
    case AttemptStatus::infrastructure_error:
      ++counts.infrastructure_error;
      return;
    case AttemptStatus::cancelled:
      ++counts.cancelled;
      return;
  }
}

}  // namespace wharf::dispatch
