#include "wharf/update/compose_restart.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>

#include "wharf/core/strings.hpp"
#include "wharf/pin/env_update.hpp"
#include "wharf/stack/project_variables.hpp"
#include "wharf/util/atomic_file.hpp"
#include "wharf/util/fd.hpp"

namespace wharf::update {
namespace {

// How many of compose's last output lines an error carries.
constexpr std::size_t kReportedLines = 15;

std::string last_lines(const std::string& text, std::size_t count) {
  auto lines = split(text, '\n');
  std::erase_if(lines, [](std::string_view line) { return line.empty(); });
  const auto first = lines.size() > count ? lines.size() - count : 0;
  std::string result;
  for (auto i = first; i < lines.size(); ++i) {
    result += "\n  " + std::string(lines[i]);
  }
  return result;
}

// The lock a compose process inherits (opened without O_CLOEXEC on purpose): held as long as
// this wharf or the compose it started lives.
Result<Fd> lock_for_compose(const std::filesystem::path& directory,
                            std::chrono::milliseconds timeout) {
  std::error_code ignored;
  std::filesystem::create_directories(directory, ignored);
  const auto path = directory / "compose.lock";
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg,hicpp-vararg): open(2) is variadic.
  Fd fd(::open(path.c_str(), O_RDWR | O_CREAT, 0600));
  if (!fd) {
    return fail(ErrorKind::io, "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  // A compose run takes seconds to minutes: a tenth of a second between tries is enough.
  auto taken = flock_within(fd.get(), timeout, std::chrono::milliseconds(100));
  if (!taken) {
    return fail(ErrorKind::io, "cannot lock " + path.string() + ": " + taken.error().message);
  }
  if (!*taken) {
    return fail(ErrorKind::timeout,
                "a compose process started by an earlier wharf run still holds " + path.string() +
                    " — wait for it to finish (`fuser -v " + path.string() +
                    "` names it), then run `wharf update --resume`.");
  }
  return fd;
}

}  // namespace

ProcessSpec compose_up_spec(const ComposeRestart& compose, const ComposeUp& up) {
  ProcessSpec spec;
  spec.argv = compose.cli.command;
  const auto directory = up.compose_file.parent_path();
  for (const auto* part :
       {"-p", up.project.c_str(), "-f", up.compose_file.c_str(), "--project-directory",
        directory.c_str(), "up", "-d", "--no-build", "--no-color"}) {
    spec.argv.emplace_back(part);
  }
  spec.argv.insert(spec.argv.end(), up.services.begin(), up.services.end());
  spec.working_directory = directory;
  spec.environment = up.pinned;
  for (const auto& [key, value] : compose.environment) {
    spec.environment[key] = value;
  }
  spec.timeout = up.timeout;
  return spec;
}

Result<void> compose_up(const ComposeRestart& compose, const pin::ProjectLayout& layout,
                        ComposeUp up) {
  auto env = load_env_file(layout.env_file());
  if (!env) {
    return std::unexpected(env.error());
  }
  // compose lets its environment win over .env and does not interpolate it, so the values go
  // in evaluated (`SUFFIX=${IMAGE_TAG}-x` as 1.2.3-x), as wharf itself reads them.
  auto values = stack::evaluated_env(*env);
  if (!values) {
    return std::unexpected(std::move(values.error()));
  }
  for (auto& [key, value] : *values) {
    up.pinned[key] = std::move(value);
  }
  auto lock = lock_for_compose(layout.docker_dir() / ".wharf", up.timeout);
  if (!lock) {
    return std::unexpected(lock.error());
  }
  // Compose writes to a file, not to a pipe into wharf: if wharf is killed, compose finishes
  // its work instead of dying on a broken pipe halfway through a recreate.
  const auto log = layout.docker_dir() / ".wharf" / "compose.log";
  std::error_code ignored;
  std::filesystem::remove(log, ignored);
  auto spec = compose_up_spec(compose, up);
  spec.output_file = log;
  auto ran = run_process(spec);
  if (!ran) {
    return fail(ran.error().kind,
                compose.cli.describe() + " up could not run: " + ran.error().message);
  }
  if (ran->exit_code != 0) {
    const std::string said = read_text_file(log).value_or("");
    return fail(ErrorKind::remote, compose.cli.describe() + " up -d exited with " +
                                       std::to_string(ran->exit_code) + "; it said (" +
                                       log.string() + "):" + last_lines(said, kReportedLines));
  }
  return {};
}

}  // namespace wharf::update
