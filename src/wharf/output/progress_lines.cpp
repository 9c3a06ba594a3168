#include "wharf/output/progress_lines.hpp"

#include <algorithm>

namespace wharf {
namespace {

constexpr std::chrono::milliseconds kRedrawInterval{100};

}  // namespace

ProgressLines::ProgressLines(std::ostream& out, std::vector<std::string> labels, bool live)
    : out_(out), labels_(std::move(labels)), texts_(labels_.size()), live_(live) {
  for (const auto& label : labels_) {
    label_width_ = std::max(label_width_, label.size());
  }
}

void ProgressLines::update(std::size_t index, std::string text) {
  const std::lock_guard lock(mutex_);
  if (index >= texts_.size()) {
    return;
  }
  texts_[index] = std::move(text);
  const auto now = std::chrono::steady_clock::now();
  if (live_ && now - last_draw_ >= kRedrawInterval) {
    last_draw_ = now;
    draw_locked(false);
  }
}

void ProgressLines::finish() {
  const std::lock_guard lock(mutex_);
  draw_locked(true);
}

void ProgressLines::draw_locked(bool final_frame) {
  if (!live_ && !final_frame) {
    return;
  }
  if (live_ && drawn_) {
    out_ << "\x1b[" << labels_.size() << "A";  // Back to the block's first line.
  }
  for (std::size_t index = 0; index < labels_.size(); ++index) {
    if (live_) {
      out_ << "\r\x1b[2K";  // Clear the old frame's line before writing the new one.
    }
    out_ << labels_[index] << std::string(label_width_ - labels_[index].size() + 2, ' ')
         << texts_[index] << '\n';
  }
  out_.flush();
  drawn_ = true;
}

}  // namespace wharf
