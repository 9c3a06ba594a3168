#pragma once

// Small rules of English that messages built from pieces get wrong: "1 commits", and a
// sentence's full stop left in the middle of a longer one ("tag. — rolling back").

#include <cstddef>
#include <string>
#include <string_view>

namespace wharf {

/// `count` and the noun in the right number: counted(1, "commit") is "1 commit",
/// counted(2, "commit") "2 commits", counted(0, "entry", "entries") "0 entries".
[[nodiscard]] std::string counted(std::size_t count, std::string_view singular,
                                  std::string_view plural = {});

/// `sentence` without its final full stop (and the spaces after it), so it can go on
/// (" — rolling back", "; the rollback failed too") as part of a longer sentence. An ellipsis
/// ("…" or "...") is kept: it is not a full stop.
[[nodiscard]] std::string_view clause(std::string_view sentence) noexcept;

/// `text` as a sentence: with a full stop at the end unless it already ends with ".", "!" or
/// "?" (or is empty).
[[nodiscard]] std::string sentence(std::string_view text);

}  // namespace wharf
