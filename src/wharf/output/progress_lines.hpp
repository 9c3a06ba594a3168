#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

namespace wharf {

/// A block of labelled status lines, one per item (a worker, an image), kept current in
/// place on a terminal: each update redraws the block (at most every 100 ms) by moving the
/// cursor up over it. Off a terminal nothing is drawn while work goes on; finish() prints
/// each item's last line once, so logs get one line per item instead of a stream of frames.
///
/// Thread-safety: update() and finish() may be called from any thread.
class ProgressLines {
 public:
  ProgressLines(std::ostream& out, std::vector<std::string> labels, bool live);

  /// Sets item `index`'s text ("2/3 layers, 1.2 MB of 3.4 MB").
  void update(std::size_t index, std::string text);
  /// Draws the final state; call once, after the last update().
  void finish();

 private:
  void draw_locked(bool final_frame);

  std::mutex mutex_;
  std::ostream& out_;
  std::vector<std::string> labels_;
  std::vector<std::string> texts_;
  bool live_;
  bool drawn_ = false;
  std::size_t label_width_ = 0;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace wharf
