#include "wharf/core/semver.hpp"

#include <algorithm>
#include <charconv>
#include <ostream>

#include "wharf/core/quote.hpp"
#include "wharf/core/strings.hpp"

namespace wharf {
namespace {

constexpr std::string_view kExpectedForm = "expected MAJOR.MINOR.PATCH such as 1.2.3";

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

bool is_identifier_char(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

bool is_numeric(std::string_view identifier) noexcept {
  return !identifier.empty() && std::ranges::all_of(identifier, is_digit);
}

std::string join(const std::vector<std::string>& parts, char separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) {
      out += separator;
    }
    out += parts[i];
  }
  return out;
}

// Reads one of MAJOR/MINOR/PATCH, already known to hold digits only. Returns the reason it is
// not a valid number, or nothing when `value` was set.
std::optional<std::string> read_number(std::string_view digits, std::string_view what,
                                       std::uint64_t& value) {
  if (digits.empty()) {
    return "the " + std::string(what) + " number is empty; " + std::string(kExpectedForm);
  }
  if (digits.size() > 1 && digits.front() == '0') {
    return "the " + std::string(what) + " number " + quote_value(digits) + " has a leading zero";
  }
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc{} || end != digits.data() + digits.size()) {
    return "the " + std::string(what) + " number " + quote_value(digits) +
           " is larger than 18446744073709551615, the largest number wharf can hold";
  }
  return std::nullopt;
}

// Splits a pre-release (`is_prerelease`) or build metadata part into identifiers. Returns the
// reason it is invalid, or nothing when `identifiers` was filled.
std::optional<std::string> read_identifiers(std::string_view part, bool is_prerelease,
                                            std::vector<std::string>& identifiers) {
  const std::string what = is_prerelease ? "pre-release" : "build metadata";
  if (part.empty()) {
    return "the " + what + " after '" + (is_prerelease ? "-" : "+") + "' is empty";
  }
  for (const auto identifier : split(part, '.')) {
    if (identifier.empty()) {
      return "the " + what + " " + quote_value(part) +
             " has an empty identifier; identifiers are separated by single dots";
    }
    if (const auto bad = std::ranges::find_if_not(identifier, is_identifier_char);
        bad != identifier.end()) {
      return "the " + what + " " + quote_value(part) + " contains " +
             quote_value(std::string_view(bad, 1)) +
             "; identifiers may only use letters, digits and '-'";
    }
    // The spec forbids leading zeros only in numeric pre-release identifiers: they take part
    // in precedence, where "01" and "1" would otherwise be two spellings of one value.
    if (is_prerelease && identifier.size() > 1 && identifier.front() == '0' &&
        is_numeric(identifier)) {
      return "the pre-release identifier " + quote_value(identifier) + " has a leading zero";
    }
    identifiers.emplace_back(identifier);
  }
  return std::nullopt;
}

// Pre-release identifier precedence (§11.4): numeric ones compare as numbers, of any size
// (no leading zeros, so the longer is larger, and equal lengths compare as text); numeric
// ones are lower than alphanumeric ones; alphanumeric ones compare in ASCII order.
std::weak_ordering compare_identifiers(std::string_view lhs, std::string_view rhs) noexcept {
  const bool lhs_numeric = is_numeric(lhs);
  const bool rhs_numeric = is_numeric(rhs);
  if (lhs_numeric && rhs_numeric) {
    if (lhs.size() != rhs.size()) {
      return lhs.size() <=> rhs.size();
    }
    return lhs <=> rhs;
  }
  if (lhs_numeric != rhs_numeric) {
    return lhs_numeric ? std::weak_ordering::less : std::weak_ordering::greater;
  }
  return lhs <=> rhs;
}

}  // namespace

Result<SemVer> SemVer::parse(std::string_view text) {
  const auto reject = [text](std::string_view reason) {
    return fail(ErrorKind::invalid_input,
                quote_value(text) + " is not a semantic version: " + std::string(reason));
  };
  if (text.empty()) {
    return reject("the text is empty; " + std::string(kExpectedForm));
  }
  if (text.front() == 'V') {
    return reject("the prefix must be a lowercase 'v', as in v1.2.3");
  }
  std::string_view rest = text;
  if (rest.front() == 'v') {
    rest.remove_prefix(1);
  }

  const auto core_end = rest.find_first_of("-+");
  const auto core = rest.substr(0, core_end);
  if (const auto bad =
          std::ranges::find_if_not(core, [](char c) { return is_digit(c) || c == '.'; });
      bad != core.end()) {
    return reject("unexpected character " + quote_value(std::string_view(bad, 1)) + "; " +
                  std::string(kExpectedForm));
  }
  if (core.empty()) {
    return reject("the MAJOR.MINOR.PATCH numbers are missing; " + std::string(kExpectedForm));
  }
  const auto numbers = split(core, '.');
  if (numbers.size() != 3) {
    if (std::ranges::any_of(numbers, [](std::string_view n) { return n.empty(); })) {
      return reject(std::string(kExpectedForm) + " (found " + quote_value(core) + ")");
    }
    const auto count = std::to_string(numbers.size());
    return reject(std::string(kExpectedForm) + " (found " + count +
                  (numbers.size() == 1 ? " number)" : " numbers)"));
  }

  SemVer version;
  constexpr std::string_view kNames[] = {"major", "minor", "patch"};
  std::uint64_t* const fields[] = {&version.major_, &version.minor_, &version.patch_};
  for (std::size_t i = 0; i < 3; ++i) {
    if (auto problem = read_number(numbers[i], kNames[i], *fields[i])) {
      return reject(*problem);
    }
  }

  if (core_end == std::string_view::npos) {
    return version;
  }
  auto build_start = core_end;
  if (rest[core_end] == '-') {
    build_start = rest.find('+', core_end + 1);
    const auto prerelease = rest.substr(core_end + 1, build_start - (core_end + 1));
    if (auto problem = read_identifiers(prerelease, true, version.prerelease_)) {
      return reject(*problem);
    }
  }
  if (build_start != std::string_view::npos) {
    if (auto problem = read_identifiers(rest.substr(build_start + 1), false, version.build_)) {
      return reject(*problem);
    }
  }
  return version;
}

std::optional<SemVer> SemVer::parse_tag(std::string_view text) {
  auto version = parse(text);
  if (!version) {
    return std::nullopt;
  }
  return std::move(*version);
}

std::string SemVer::to_string() const {
  std::string text =
      std::to_string(major_) + '.' + std::to_string(minor_) + '.' + std::to_string(patch_);
  if (!prerelease_.empty()) {
    text += '-' + join(prerelease_, '.');
  }
  if (!build_.empty()) {
    text += '+' + join(build_, '.');
  }
  return text;
}

std::string SemVer::tag_name() const {
  return 'v' + to_string();
}

bool SemVer::identical(const SemVer& other) const noexcept {
  return *this == other && build_ == other.build_;
}

std::weak_ordering operator<=>(const SemVer& lhs, const SemVer& rhs) noexcept {
  if (const auto order = lhs.major_ <=> rhs.major_; order != 0) {
    return order;
  }
  if (const auto order = lhs.minor_ <=> rhs.minor_; order != 0) {
    return order;
  }
  if (const auto order = lhs.patch_ <=> rhs.patch_; order != 0) {
    return order;
  }
  // A pre-release is lower than the release it leads up to (§11.3).
  if (lhs.prerelease_.empty() != rhs.prerelease_.empty()) {
    return lhs.prerelease_.empty() ? std::weak_ordering::greater : std::weak_ordering::less;
  }
  // Identifier by identifier; when one list is a prefix of the other, the shorter is lower.
  return std::lexicographical_compare_three_way(
      lhs.prerelease_.begin(), lhs.prerelease_.end(), rhs.prerelease_.begin(),
      rhs.prerelease_.end(),
      [](const std::string& a, const std::string& b) { return compare_identifiers(a, b); });
}

// Numeric identifiers have no leading zeros, so equal text is exactly equal precedence.
bool operator==(const SemVer& lhs, const SemVer& rhs) noexcept {
  return lhs.major_ == rhs.major_ && lhs.minor_ == rhs.minor_ && lhs.patch_ == rhs.patch_ &&
         lhs.prerelease_ == rhs.prerelease_;
}

std::ostream& operator<<(std::ostream& out, const SemVer& version) {
  return out << version.to_string();
}

}  // namespace wharf
