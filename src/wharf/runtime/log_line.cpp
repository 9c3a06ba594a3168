#include "wharf/runtime/log_line.hpp"

namespace wharf::runtime {

void LineAssembler::feed(engine::LogStream stream, std::string_view bytes,
                         const LogLineHandler& handler) {
  auto& pending = stream == engine::LogStream::standard_error ? pending_error_ : pending_output_;
  while (!bytes.empty()) {
    const auto newline = bytes.find('\n');
    if (newline == std::string_view::npos) {
      pending.append(bytes);
      return;
    }
    if (pending.empty()) {
      emit(stream, bytes.substr(0, newline), handler);
    } else {
      pending.append(bytes.substr(0, newline));
      const std::string line = std::move(pending);
      pending.clear();
      emit(stream, line, handler);
    }
    bytes.remove_prefix(newline + 1);
  }
}

void LineAssembler::finish(const LogLineHandler& handler) {
  if (!pending_output_.empty()) {
    const std::string line = std::move(pending_output_);
    pending_output_.clear();
    emit(engine::LogStream::standard_output, line, handler);
  }
  if (!pending_error_.empty()) {
    const std::string line = std::move(pending_error_);
    pending_error_.clear();
    emit(engine::LogStream::standard_error, line, handler);
  }
}

void LineAssembler::emit(engine::LogStream stream, std::string_view line,
                         const LogLineHandler& handler) {
  if (line.ends_with('\r')) {
    line.remove_suffix(1);
  }
  LogLine entry{.source = source_, .time = last_time_, .stream = stream};
  const auto space = line.find(' ');
  const auto time =
      space == std::string_view::npos ? std::nullopt : parse_rfc3339(line.substr(0, space));
  if (time) {
    entry.time = *time;
    entry.timestamp = std::string(line.substr(0, space));
    entry.text = std::string(line.substr(space + 1));
    last_time_ = *time;
  } else {
    entry.text = std::string(line);
  }
  handler(std::move(entry));
}

}  // namespace wharf::runtime
