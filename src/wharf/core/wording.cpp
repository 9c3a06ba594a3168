#include "wharf/core/wording.hpp"

namespace wharf {

std::string counted(std::size_t count, std::string_view singular, std::string_view plural) {
  std::string text = std::to_string(count) + " ";
  if (count == 1) {
    text += singular;
  } else if (plural.empty()) {
    text += singular;
    text += 's';
  } else {
    text += plural;
  }
  return text;
}

std::string_view clause(std::string_view sentence) noexcept {
  while (!sentence.empty() && (sentence.back() == ' ' || sentence.back() == '\n')) {
    sentence.remove_suffix(1);
  }
  if (sentence.ends_with("...") || !sentence.ends_with('.')) {
    return sentence;
  }
  sentence.remove_suffix(1);
  return sentence;
}

std::string sentence(std::string_view text) {
  std::string result(clause(text));
  if (!result.empty() && !result.ends_with('!') && !result.ends_with('?')) {
    result += '.';
  }
  return result;
}

}  // namespace wharf
