#include "wharf/output/console.hpp"

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "wharf/core/json_text.hpp"

namespace wharf {

void Console::line(std::string_view text) const {
  if (!options_.json) {
    std::cout << text << '\n' << std::flush;
  }
}

void Console::table(const Table& table) const {
  if (!options_.json) {
    std::cout << table.render(options_.color) << std::flush;
  }
}

void Console::json(const nlohmann::json& document) const {
  std::cout << json_text(document,
                         options_.stdout_is_tty ? JsonLayout::indented : JsonLayout::compact)
            << '\n'
            << std::flush;
}

void Console::note(std::string_view text) const {
  std::cerr << text << '\n' << std::flush;
}

void Console::error(const Error& error) const {
  std::cerr << "wharf: error: " << error.message << '\n' << std::flush;
}

std::string Console::paint(std::string_view text, Tone tone) const {
  return wharf::paint(text, tone, options_.color);
}

}  // namespace wharf
