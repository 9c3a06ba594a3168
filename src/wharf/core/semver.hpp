#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/error.hpp"

namespace wharf {

/// A semantic version exactly as semver 2.0.0 defines it: MAJOR.MINOR.PATCH, an optional
/// pre-release (`-rc.1`) and optional build metadata (`+build.7`).
///
/// Release tags are the currency of wharf (images, git tags and .env files all carry one), so
/// this type is strict: anything semver.org would reject is rejected, with a message naming
/// the offending part. Comparison follows the spec's precedence rules (§11), which ignore
/// build metadata; use `identical()` when build metadata matters too.
class SemVer {
 public:
  /// 0.0.0 without pre-release or build metadata.
  SemVer() = default;

  /// A plain release MAJOR.MINOR.PATCH; every combination of numbers is valid.
  SemVer(std::uint64_t major, std::uint64_t minor, std::uint64_t patch) noexcept
      : major_(major), minor_(minor), patch_(patch) {}

  /// Parses `text` per semver 2.0.0, allowing one leading lowercase 'v' ("v1.2.3", the usual
  /// git tag spelling). Nothing else is tolerated: no surrounding whitespace, no "V", no
  /// missing numbers ("1.2"), no leading zeros in numbers or numeric pre-release identifiers,
  /// no empty identifiers, only [0-9A-Za-z-] in identifiers, numbers must fit in 64 bits.
  /// Build metadata identifiers may have leading zeros (the spec allows it).
  /// Fails with ErrorKind::invalid_input and a message such as
  ///   "'1.2' is not a semantic version: expected MAJOR.MINOR.PATCH such as 1.2.3 (found 2
  ///   numbers)".
  [[nodiscard]] static Result<SemVer> parse(std::string_view text);

  /// Like parse(), but for filtering lists (such as `git tag` output) where a non-semver
  /// entry is expected and simply skipped: returns nullopt instead of an error.
  [[nodiscard]] static std::optional<SemVer> parse_tag(std::string_view text);

  [[nodiscard]] std::uint64_t major() const noexcept { return major_; }
  [[nodiscard]] std::uint64_t minor() const noexcept { return minor_; }
  [[nodiscard]] std::uint64_t patch() const noexcept { return patch_; }

  /// The dot-separated pre-release identifiers ("rc.1" → {"rc", "1"}); empty for a release.
  [[nodiscard]] const std::vector<std::string>& prerelease() const noexcept { return prerelease_; }

  /// The dot-separated build metadata identifiers ("build.7" → {"build", "7"}); may be empty.
  [[nodiscard]] const std::vector<std::string>& build() const noexcept { return build_; }

  /// True when there is a pre-release part (1.2.3-rc.1), i.e. this is not a release.
  [[nodiscard]] bool is_prerelease() const noexcept { return !prerelease_.empty(); }

  /// The canonical text, without a 'v': "1.2.3-rc.1+build.7". parse(to_string()) gives back
  /// an identical() value.
  [[nodiscard]] std::string to_string() const;

  /// The git tag spelling: "v" + to_string(). Image tags are spelt by the project's tag style
  /// (wharf/pin/tag_style.hpp), never here.
  [[nodiscard]] std::string tag_name() const;

  /// True when everything matches, build metadata included (operator== ignores it).
  [[nodiscard]] bool identical(const SemVer& other) const noexcept;

  /// Precedence per semver 2.0.0 §11. Versions differing only in build metadata are
  /// equivalent, hence a weak ordering.
  friend std::weak_ordering operator<=>(const SemVer& lhs, const SemVer& rhs) noexcept;

  /// Equal precedence (build metadata ignored), consistent with operator<=>.
  friend bool operator==(const SemVer& lhs, const SemVer& rhs) noexcept;

  /// Writes to_string(), so test failures and logs show the version.
  friend std::ostream& operator<<(std::ostream& out, const SemVer& version);

 private:
  std::uint64_t major_ = 0;
  std::uint64_t minor_ = 0;
  std::uint64_t patch_ = 0;
  std::vector<std::string> prerelease_;
  std::vector<std::string> build_;
};

}  // namespace wharf
