#include "wharf/output/table.hpp"

#include <algorithm>

namespace wharf {
namespace {

std::size_t display_width(std::string_view text) {
  // Count code points, not bytes: continuation bytes (10xxxxxx) do not start a character.
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

}  // namespace

std::string paint(std::string_view text, Tone tone, bool color) {
  if (!color || tone == Tone::plain) {
    return std::string(text);
  }
  const char* code = tone == Tone::good   ? "32"
                     : tone == Tone::bad  ? "31"
                     : tone == Tone::warn ? "33"
                                          : "2";
  return std::string("\x1b[") + code + "m" + std::string(text) + "\x1b[0m";
}

std::string Table::render(bool color) const {
  std::vector<std::size_t> widths(headers_.size(), 0);
  for (std::size_t i = 0; i < headers_.size(); ++i) {
    widths[i] = display_width(headers_[i]);
  }
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i].text));
    }
  }
  std::string out;
  const auto emit = [&](std::size_t column, std::string_view text, Tone tone) {
    out += paint(text, tone, color);
    if (column + 1 < widths.size()) {
      out.append(widths[column] - display_width(text) + 2, ' ');
    }
  };
  for (std::size_t i = 0; i < headers_.size(); ++i) {
    emit(i, headers_[i], Tone::plain);
  }
  out += '\n';
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const bool present = i < row.size();
      emit(i, present ? std::string_view(row[i].text) : std::string_view("-"),
           present ? row[i].tone : Tone::dim);
    }
    out += '\n';
  }
  return out;
}

}  // namespace wharf
