#include "wharf/runtime/resume_point.hpp"

namespace wharf::runtime {

void ResumePoint::begin_pass() {
  resume_after_ = newest_;
  shown_at_resume_ = shown_at_newest_;
  repeated_at_resume_ = 0;
}

bool ResumePoint::accept(UnixNanos time) {
  if (resume_after_) {
    if (time < *resume_after_) {
      return false;
    }
    if (time == *resume_after_ && repeated_at_resume_ < shown_at_resume_) {
      ++repeated_at_resume_;
      return false;
    }
  }
  if (!newest_ || time > *newest_) {
    newest_ = time;
    shown_at_newest_ = 1;
  } else if (time == *newest_) {
    ++shown_at_newest_;
  }
  return true;
}

std::optional<std::int64_t> ResumePoint::since_seconds() const {
  if (!newest_) {
    return std::nullopt;
  }
  // Floor, also for times before 1970 (which the engine never writes, but the arithmetic
  // should not round the wrong way).
  constexpr std::int64_t nanos_per_second = 1'000'000'000;
  const auto seconds = *newest_ / nanos_per_second;
  return *newest_ % nanos_per_second < 0 ? seconds - 1 : seconds;
}

}  // namespace wharf::runtime
