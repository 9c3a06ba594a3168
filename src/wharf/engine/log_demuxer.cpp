#include "wharf/engine/log_demuxer.hpp"

#include <algorithm>

#include "wharf/core/wording.hpp"

namespace wharf::engine {

Result<void> LogDemuxer::feed(std::string_view bytes, const LogSink& sink) {
  if (raw_) {
    if (!bytes.empty()) {
      sink(LogStream::standard_output, bytes);
    }
    return {};
  }
  if (broken_) {
    return fail(ErrorKind::remote, "the container output stream was already unreadable.");
  }
  while (!bytes.empty()) {
    if (payload_left_ > 0) {
      const auto take = std::min<std::size_t>(payload_left_, bytes.size());
      sink(current_, bytes.substr(0, take));
      payload_left_ -= static_cast<std::uint32_t>(take);
      bytes.remove_prefix(take);
      continue;
    }
    const auto take = std::min(header_.size() - header_size_, bytes.size());
    std::copy_n(bytes.begin(), take, header_.begin() + static_cast<std::ptrdiff_t>(header_size_));
    header_size_ += take;
    bytes.remove_prefix(take);
    if (header_size_ < header_.size()) {
      break;
    }
    header_size_ = 0;
    if (header_[0] > 2 || header_[1] != 0 || header_[2] != 0 || header_[3] != 0) {
      broken_ = true;
      return fail(ErrorKind::remote,
                  "the Docker engine sent container output that is not in its multiplexed "
                  "frame format (first byte " +
                      std::to_string(header_[0]) +
                      "); the container probably has a TTY, so its output must be read raw.");
    }
    current_ = static_cast<LogStream>(header_[0]);
    payload_left_ = (std::uint32_t{header_[4]} << 24) | (std::uint32_t{header_[5]} << 16) |
                    (std::uint32_t{header_[6]} << 8) | std::uint32_t{header_[7]};
  }
  return {};
}

Result<void> LogDemuxer::finish() const {
  if (broken_) {
    return fail(ErrorKind::remote, "the container output stream was unreadable.");
  }
  if (raw_ || (header_size_ == 0 && payload_left_ == 0)) {
    return {};
  }
  return fail(ErrorKind::remote,
              "the container output stream ended in the middle of a frame (" +
                  counted(payload_left_, "payload byte") + " and " +
                  counted(header_size_ == 0 ? 0 : header_.size() - header_size_, "header byte") +
                  " missing); the connection to the engine was cut.");
}

LogSink collect_into(LogOutput& output) {
  return [&output](LogStream stream, std::string_view bytes) {
    if (stream == LogStream::standard_output) {
      output.standard_output.append(bytes);
    } else if (stream == LogStream::standard_error) {
      output.standard_error.append(bytes);
    }
  };
}

}  // namespace wharf::engine
