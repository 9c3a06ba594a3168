#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wharf {

/// How a cell should stand out when colour is on.
enum class Tone { plain, good, bad, warn, dim };

/// Wraps text in the ANSI colour for `tone` when `color` is true.
[[nodiscard]] std::string paint(std::string_view text, Tone tone, bool color);

struct Cell {
  std::string text;
  Tone tone = Tone::plain;
  Cell(std::string t, Tone tn = Tone::plain) : text(std::move(t)), tone(tn) {}  // NOLINT
  Cell(const char* t, Tone tn = Tone::plain) : text(t), tone(tn) {}             // NOLINT
};

/// A plain-text table with aligned columns, for human output of read commands.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void add_row(std::vector<Cell> cells) { rows_.push_back(std::move(cells)); }
  [[nodiscard]] bool empty() const { return rows_.empty(); }
  /// Columns padded to the widest cell (counted in UTF-8 code points), two spaces apart.
  [[nodiscard]] std::string render(bool color) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<Cell>> rows_;
};

}  // namespace wharf
