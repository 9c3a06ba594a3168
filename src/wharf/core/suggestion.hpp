#pragma once

// "Did you mean …?": the known word nearest to a mistyped one, for the command line.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wharf {

/// The edit distance of `a` and `b` with adjacent transpositions (optimal string alignment):
/// the fewest insertions, deletions, substitutions and swaps of two neighbouring characters
/// that turn one into the other. "pni" → "pin" is 1, "chek" → "check" is 1.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate a user most likely meant by `typed`: the nearest by edit_distance() when it is
/// near enough for the word's length (1 edit up to 4 characters, 2 up to 8, then 3), else one
/// that starts with `typed` (at least 2 characters: "rel" → "release"). Ties go to the earlier
/// candidate. Comparison ignores ASCII case. nullopt when none is plausible.
[[nodiscard]] std::optional<std::string> nearest_word(std::string_view typed,
                                                      const std::vector<std::string>& candidates);

}  // namespace wharf
