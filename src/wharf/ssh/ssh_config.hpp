#pragma once

// wharf's reader of the ~/.ssh/config subset that users rely on (docs/ssh.md lists it).
// Reading is separate from resolving: parse_ssh_config()/load_ssh_config() check every known
// line of the file once, like ssh does even for blocks that do not apply, and keep each
// line's location; resolve_ssh_target() (resolve_target.hpp) then picks the values for one
// host.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/ssh/host_pattern.hpp"
#include "wharf/ssh/ssh_defaults.hpp"
#include "wharf/ssh/ssh_target.hpp"

namespace wharf::ssh {

/// Where a line came from: the file (as it was named to the reader) and the 1-based line.
struct SourceLocation {
  std::string origin;
  int line = 0;

  /// "origin:line", the prefix of every message about that line.
  [[nodiscard]] std::string to_string() const;
};

/// The keywords wharf reads. Every other keyword is skipped without a word, because users'
/// files are full of options (ForwardAgent, ControlMaster, …) that do not concern wharf.
enum class SshKeyword {
  host_name,                 ///< string, may hold %h and %%
  user,                      ///< string
  port,                      ///< std::uint16_t
  identity_file,             ///< string, may hold ~ and % tokens; accumulates
  identities_only,           ///< bool
  user_known_hosts_file,     ///< vector of strings ("none" alone means none)
  strict_host_key_checking,  ///< HostKeyPolicy
  connect_timeout,           ///< std::chrono::seconds (0 = ssh's "no timeout")
  include,                   ///< vector of patterns; only in parse_ssh_config()'s result
};

/// The keyword as ssh's manual spells it ("HostName").
[[nodiscard]] std::string_view to_string(SshKeyword keyword) noexcept;

/// A stretch of a file that settings belong to: the top of a file (before any Host or Match
/// line), a `Host` block, or a `Match` block.
struct SshConfigBlock {
  enum class Applies {
    always,         ///< The top of a file, or `Match all`.
    host_patterns,  ///< A `Host` line: see host_patterns_match().
    never,          ///< A `Match` other than `Match all`: wharf does not evaluate it.
  };
  Applies applies = Applies::always;
  std::vector<HostPattern> patterns;  ///< For host_patterns.
  SourceLocation where;               ///< The Host/Match line (line 0 for a file's top).
  /// For the blocks of an included file: the block holding the Include line. A block applies
  /// only when its parent applies too, which is how ssh treats an Include inside a Host block.
  std::optional<std::size_t> parent;
};

/// One line with a known keyword, its value already checked and converted.
struct SshSetting {
  using Value = std::variant<std::string, std::vector<std::string>, std::uint16_t, bool,
                             HostKeyPolicy, std::chrono::seconds>;
  SshKeyword keyword = SshKeyword::user;
  Value value;            ///< The alternative documented on `keyword`.
  std::size_t block = 0;  ///< Index into SshConfig::blocks.
  SourceLocation where;
};

/// A parsed ssh_config: blocks and settings in file order (included files spliced in where
/// their Include line stood), so that "the first value obtained wins" is a front-to-back scan.
struct SshConfig {
  std::vector<SshConfigBlock> blocks;
  std::vector<SshSetting> settings;
  /// What wharf skipped but a user may want to hear about, one sentence each (a `Match`
  /// block it does not evaluate). Callers print them at verbose level.
  std::vector<std::string> notes;

  /// Whether `block` (and every block it was included from) applies to `alias`, the host
  /// name as the user wrote it.
  [[nodiscard]] bool block_applies(std::size_t block, std::string_view alias) const;
};

/// Maximum nesting of Include, the same as ssh's.
inline constexpr int kMaxIncludeDepth = 16;

/// Parses ssh_config text; pure. Keywords are case-insensitive; `Keyword value`,
/// `Keyword=value` and `Keyword = value` are the same; values may be quoted; `#` starts a
/// comment at the start of a line or of a word. Unknown keywords are skipped. A known keyword
/// with a missing, empty, extra or malformed value fails with ErrorKind::invalid_input and a
/// message "origin:line: …" naming the value and what is accepted — also inside blocks that
/// would not apply, as ssh does. `Match all` applies everywhere; any other `Match` block is
/// skipped and recorded in `notes`. `Include` lines are kept as settings but not followed:
/// load_ssh_config() follows them.
[[nodiscard]] Result<SshConfig> parse_ssh_config(std::string_view text, std::string origin);

/// Reads and parses `file` and follows its Include lines (each argument `~`-expanded,
/// relative ones taken from `defaults.home`/.ssh as ssh does for the user's config, then
/// expanded with glob(3) in sorted order; a pattern matching nothing is fine; at most
/// kMaxIncludeDepth levels). A missing `file` gives an empty config, not an error; a file
/// that exists but cannot be read fails with the cause (permission, io). Parse errors are
/// those of parse_ssh_config().
[[nodiscard]] Result<SshConfig> load_ssh_config(const std::filesystem::path& file,
                                                const SshDefaults& defaults);

}  // namespace wharf::ssh
