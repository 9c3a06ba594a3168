#include "wharf/ssh/ssh_config.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "wharf/core/strings.hpp"
#include "wharf/ssh/ssh_config_line.hpp"
#include "wharf/ssh/ssh_config_values.hpp"

namespace wharf::ssh {
namespace {

// The keywords that shape the file rather than set a value.
enum class Structure { none, host, match };

struct KnownKeyword {
  std::string_view lowercase;
  std::string_view spelled;  // As the manual spells it, for messages.
  Structure structure;
  SshKeyword keyword;  // Meaningful when structure is none.
};

constexpr std::array kKnownKeywords{
    KnownKeyword{"host", "Host", Structure::host, {}},
    KnownKeyword{"match", "Match", Structure::match, {}},
    KnownKeyword{"include", "Include", Structure::none, SshKeyword::include},
    KnownKeyword{"hostname", "HostName", Structure::none, SshKeyword::host_name},
    KnownKeyword{"user", "User", Structure::none, SshKeyword::user},
    KnownKeyword{"port", "Port", Structure::none, SshKeyword::port},
    KnownKeyword{"identityfile", "IdentityFile", Structure::none, SshKeyword::identity_file},
    KnownKeyword{"identitiesonly", "IdentitiesOnly", Structure::none, SshKeyword::identities_only},
    KnownKeyword{"userknownhostsfile", "UserKnownHostsFile", Structure::none,
                 SshKeyword::user_known_hosts_file},
    KnownKeyword{"stricthostkeychecking", "StrictHostKeyChecking", Structure::none,
                 SshKeyword::strict_host_key_checking},
    KnownKeyword{"connecttimeout", "ConnectTimeout", Structure::none, SshKeyword::connect_timeout},
};

std::string in_quotes(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

std::string joined_quoted(const std::vector<std::string>& words) {
  std::string result;
  for (const auto& word : words) {
    result += (result.empty() ? "" : " ") + in_quotes(word);
  }
  return result;
}

class Parser {
 public:
  explicit Parser(std::string origin) : origin_(std::move(origin)) {
    config_.blocks.push_back(SshConfigBlock{SshConfigBlock::Applies::always, {}, {origin_, 0}, {}});
  }

  Result<SshConfig> parse(std::string_view text) && {
    // A byte-order mark would otherwise glue itself to the first keyword and hide that line.
    if (text.starts_with("\xEF\xBB\xBF")) {
      text.remove_prefix(3);
    }
    int number = 0;
    for (const auto line : split(text, '\n')) {
      ++number;
      if (auto done = parse_line(line, SourceLocation{origin_, number}); !done) {
        return std::unexpected(std::move(done.error()));
      }
    }
    return std::move(config_);
  }

 private:
  Result<void> parse_line(std::string_view line, const SourceLocation& where) {
    const auto words = split_keyword(line);
    if (!words) {
      return {};
    }
    const auto name = ascii_lower(words->keyword);
    const auto known = std::ranges::find(kKnownKeywords, name, &KnownKeyword::lowercase);
    if (known == kKnownKeywords.end()) {
      return {};  // Not wharf's business: users' files are full of other options.
    }
    const std::string spelled(known->spelled);
    if (words->rest.empty()) {
      return bad(where, spelled + " has no value", "give it one or delete the line");
    }
    auto arguments = split_arguments(words->rest);
    if (!arguments) {
      return bad(where, spelled + ": " + arguments.error(), "close the quote");
    }
    if (arguments->empty()) {
      return bad(where, spelled + " has no value (only a comment)",
                 "give it one or delete the line");
    }
    if (std::ranges::any_of(*arguments, &std::string::empty)) {
      return bad(where, spelled + " has an empty value (\"\")", "remove the empty quotes");
    }
    switch (known->structure) {
      case Structure::host:
        return start_host_block(*arguments, where);
      case Structure::match:
        return start_match_block(*arguments, where);
      case Structure::none:
        break;
    }
    return add_setting(known->keyword, std::move(*arguments), where);
  }

  Result<void> start_host_block(const std::vector<std::string>& arguments,
                                const SourceLocation& where) {
    SshConfigBlock block{SshConfigBlock::Applies::host_patterns, {}, where, {}};
    for (const auto& argument : arguments) {
      const bool negated = argument.starts_with('!');
      block.patterns.push_back(HostPattern{negated ? argument.substr(1) : argument, negated});
    }
    config_.blocks.push_back(std::move(block));
    return {};
  }

  Result<void> start_match_block(const std::vector<std::string>& arguments,
                                 const SourceLocation& where) {
    auto applies = SshConfigBlock::Applies::never;
    if (ascii_lower(arguments.front()) == "all") {
      if (arguments.size() > 1) {
        return bad(
            where,
            "Match all cannot be combined with other criteria (" + joined_quoted(arguments) + ")",
            "write \"Match all\" alone");
      }
      applies = SshConfigBlock::Applies::always;
    } else {
      config_.notes.push_back(where.to_string() + ": wharf does not evaluate \"Match " +
                              arguments.front() + (arguments.size() > 1 ? " …" : "") +
                              "\", so the lines of that block are ignored for every host (only "
                              "\"Match all\" is supported).");
    }
    config_.blocks.push_back(SshConfigBlock{applies, {}, where, {}});
    return {};
  }

  Result<void> add_setting(SshKeyword keyword, std::vector<std::string> arguments,
                           const SourceLocation& where) {
    const std::string name(to_string(keyword));
    const bool takes_list =
        keyword == SshKeyword::user_known_hosts_file || keyword == SshKeyword::include;
    if (!takes_list && arguments.size() > 1) {
      return bad(where,
                 name + " takes one value but has " + std::to_string(arguments.size()) + " (" +
                     joined_quoted(arguments) + ")",
                 "remove the extra words, or quote a value that contains blanks");
    }
    const auto& value = arguments.front();
    SshSetting setting{keyword, {}, config_.blocks.size() - 1, where};
    switch (keyword) {
      case SshKeyword::host_name:
      case SshKeyword::user:
      case SshKeyword::identity_file:
        setting.value = value;
        break;
      case SshKeyword::port: {
        const auto port = parse_port_value(value);
        if (!port) {
          return bad(where, "Port " + in_quotes(value) + " is not a port number",
                     "Port takes a number from 1 to 65535");
        }
        setting.value = *port;
        break;
      }
      case SshKeyword::identities_only: {
        const auto flag = parse_flag_value(value);
        if (!flag) {
          return bad(where, "IdentitiesOnly " + in_quotes(value) + " is not yes or no",
                     "IdentitiesOnly takes yes or no");
        }
        setting.value = *flag;
        break;
      }
      case SshKeyword::strict_host_key_checking: {
        const auto policy = parse_host_key_policy_value(value);
        if (!policy) {
          return bad(where, "StrictHostKeyChecking " + in_quotes(value) + " is not a known policy",
                     "it takes yes, ask, accept-new, no or off");
        }
        setting.value = *policy;
        break;
      }
      case SshKeyword::connect_timeout: {
        // "none" leaves the timeout unset, so a later line may still set it (as in ssh).
        if (ascii_lower(value) == "none") {
          return {};
        }
        const auto seconds = parse_time_value(value);
        if (!seconds) {
          return bad(where, "ConnectTimeout " + in_quotes(value) + " is not a time",
                     "it takes seconds (10), a time such as 1m30s, or none");
        }
        setting.value = *seconds;
        break;
      }
      case SshKeyword::user_known_hosts_file:
        if (arguments.size() > 1 && std::ranges::any_of(arguments, [](const auto& argument) {
              return ascii_lower(argument) == "none";
            })) {
          return bad(where,
                     "UserKnownHostsFile " + joined_quoted(arguments) + " mixes none with files",
                     "\"none\" must be the only value on its line");
        }
        setting.value = std::move(arguments);
        break;
      case SshKeyword::include:
        setting.value = std::move(arguments);
        break;
    }
    config_.settings.push_back(std::move(setting));
    return {};
  }

  static std::unexpected<Error> bad(const SourceLocation& where, const std::string& what,
                                    std::string_view todo) {
    return fail(ErrorKind::invalid_input,
                where.to_string() + ": " + what + " — " + std::string(todo) + ".");
  }

  std::string origin_;
  SshConfig config_;
};

}  // namespace

std::string SourceLocation::to_string() const {
  return origin + ":" + std::to_string(line);
}

std::string_view to_string(SshKeyword keyword) noexcept {
  const auto known = std::ranges::find_if(kKnownKeywords, [keyword](const KnownKeyword& entry) {
    return entry.structure == Structure::none && entry.keyword == keyword;
  });
  return known == kKnownKeywords.end() ? "?" : known->spelled;
}

bool SshConfig::block_applies(std::size_t block, std::string_view alias) const {
  for (std::optional<std::size_t> index = block; index; index = blocks.at(*index).parent) {
    const auto& current = blocks.at(*index);
    switch (current.applies) {
      case SshConfigBlock::Applies::always:
        break;
      case SshConfigBlock::Applies::never:
        return false;
      case SshConfigBlock::Applies::host_patterns:
        if (!host_patterns_match(current.patterns, alias)) {
          return false;
        }
        break;
    }
  }
  return true;
}

Result<SshConfig> parse_ssh_config(std::string_view text, std::string origin) {
  return Parser(std::move(origin)).parse(text);
}

}  // namespace wharf::ssh
