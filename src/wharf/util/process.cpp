#include "wharf/util/process.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <string_view>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wharf/util/fd.hpp"

extern char** environ;  // NOLINT(readability-identifier-naming): POSIX name.

namespace wharf {
namespace {

struct Pipe {
  Fd read_end;
  Fd write_end;
};

Result<Pipe> make_pipe() {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
    return fail(ErrorKind::io, std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  return Pipe{Fd(fds[0]), Fd(fds[1])};
}

std::vector<std::string> build_environment(const ProcessSpec& spec) {
  std::vector<std::string> result;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    const auto name = text.substr(0, text.find('='));
    bool dropped = spec.environment.contains(std::string(name));
    for (const auto& unset : spec.unset_environment) {
      dropped = dropped || unset == name;
    }
    if (!dropped) {
      result.emplace_back(text);
    }
  }
  for (const auto& [name, value] : spec.environment) {
    result.push_back(name + "=" + value);
  }
  return result;
}

std::vector<char*> pointers_to(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (auto& s : strings) {
    pointers.push_back(s.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

int decode_status(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return -1;
}

// The pipes to the child's stdin, stdout and stderr.
struct ChildPipes {
  Pipe in;
  Pipe out;
  Pipe err;
};

Result<ChildPipes> make_child_pipes() {
  auto in = make_pipe();
  auto out = make_pipe();
  auto err = make_pipe();
  if (!in || !out || !err) {
    return std::unexpected(!in ? in.error() : !out ? out.error() : err.error());
  }
  return ChildPipes{std::move(*in), std::move(*out), std::move(*err)};
}

// spec.output_file opened for appending (created 0600), or an empty Fd when there is none.
Result<Fd> open_output_file(const ProcessSpec& spec) {
  if (!spec.output_file) {
    return Fd();
  }
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg,hicpp-vararg): open(2) is variadic.
  Fd output_file(
      ::open(spec.output_file->c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (!output_file) {
    return fail(ErrorKind::io, "cannot open " + spec.output_file->string() +
                                   " for the output of '" + spec.argv[0] +
                                   "': " + std::strerror(errno));
  }
  return output_file;
}

// Starts spec.argv with its stdin on `pipes.in`, and its stdout and stderr on `output_file`
// when that is open, else on `pipes.out` and `pipes.err`.
Result<pid_t> spawn_child(const ProcessSpec& spec, const ChildPipes& pipes, const Fd& output_file) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipes.in.read_end.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(
      &actions, output_file ? output_file.get() : pipes.out.write_end.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(
      &actions, output_file ? output_file.get() : pipes.err.write_end.get(), STDERR_FILENO);
  if (spec.working_directory) {
    posix_spawn_file_actions_addchdir_np(&actions, spec.working_directory->c_str());
  }
  auto argv_strings = spec.argv;
  auto argv = pointers_to(argv_strings);
  auto env_strings = build_environment(spec);
  auto envp = pointers_to(env_strings);

  pid_t pid = -1;
  const int spawn_error =
      ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    return fail(spawn_error == ENOENT ? ErrorKind::not_found : ErrorKind::io,
                "cannot run '" + spec.argv[0] + "': " + std::strerror(spawn_error) +
                    (spawn_error == ENOENT ? " — is it installed and on PATH?" : ""));
  }
  return pid;
}

// Once the child runs, this process keeps only its own ends of the pipes, so that each side
// sees the other's end of file. Its stdin is closed at once when there is nothing to write;
// otherwise it is written without blocking, in turn with reading the outputs.
void keep_parent_ends(ChildPipes& pipes, bool has_input) {
  pipes.in.read_end.reset();
  pipes.out.write_end.reset();
  pipes.err.write_end.reset();
  if (!has_input) {
    pipes.in.write_end.reset();
  } else {
    ::fcntl(pipes.in.write_end.get(), F_SETFL, O_NONBLOCK);
  }
}

// Writes `input` to the child and reads its stdout and stderr into `result` until every pipe
// is closed: true; false when `deadline` came first.
bool exchange_with_child(ChildPipes& pipes, std::string_view input,
                         std::chrono::steady_clock::time_point deadline, ProcessResult& result) {
  std::array<char, 65536> buffer{};
  while (pipes.out.read_end || pipes.err.read_end || pipes.in.write_end) {
    std::array<pollfd, 3> fds{{{pipes.out.read_end.get(), POLLIN, 0},
                               {pipes.err.read_end.get(), POLLIN, 0},
                               {pipes.in.write_end.get(), POLLOUT, 0}}};
    const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (remaining.count() <= 0) {
      return false;
    }
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(remaining.count()));
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
        continue;
      }
      auto& target = i == 0 ? result.standard_output : result.standard_error;
      auto& source = i == 0 ? pipes.out.read_end : pipes.err.read_end;
      const auto n = ::read(source.get(), buffer.data(), buffer.size());
      if (n > 0) {
        target.append(buffer.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        source.reset();
      }
    }
    if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      const auto n = ::write(pipes.in.write_end.get(), input.data(), input.size());
      if (n > 0) {
        input.remove_prefix(static_cast<std::size_t>(n));
      }
      if (input.empty() || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        pipes.in.write_end.reset();
      }
    }
  }
  return true;
}

// A child writing to spec.output_file: no pipe tells when it is done, its exit does. Its wait
// status once it exited (or waitpid failed), nullopt when `deadline` came first.
std::optional<int> wait_for_exit(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  int status = 0;
  for (;;) {
    const pid_t waited = ::waitpid(pid, &status, WNOHANG);
    if (waited == pid || (waited < 0 && errno != EINTR)) {
      return status;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Waits for `pid` to end, whatever signal interrupts the wait; its wait status.
int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

Result<ProcessResult> run_process(const ProcessSpec& spec) {
  if (spec.argv.empty()) {
    return fail(ErrorKind::internal, "run_process was called with an empty argv");
  }
  // execve() takes C strings: a NUL byte would silently cut an argument or a value short.
  const auto refuse_nul = [&spec](const std::string& what) {
    return fail(ErrorKind::invalid_input,
                "cannot start '" + spec.argv[0] + "': " + what +
                    " holds a NUL byte, which a program's arguments and environment cannot "
                    "carry — remove it.");
  };
  for (std::size_t i = 0; i < spec.argv.size(); ++i) {
    if (spec.argv[i].find('\0') != std::string::npos) {
      return refuse_nul("argument " + std::to_string(i));
    }
  }
  for (const auto& [name, value] : spec.environment) {
    if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos) {
      return refuse_nul("the environment variable " + name.substr(0, name.find('\0')));
    }
  }
  auto pipes = make_child_pipes();
  if (!pipes) {
    return std::unexpected(pipes.error());
  }
  auto output_file = open_output_file(spec);
  if (!output_file) {
    return std::unexpected(output_file.error());
  }
  const auto pid = spawn_child(spec, *pipes, *output_file);
  if (!pid) {
    return std::unexpected(pid.error());
  }
  keep_parent_ends(*pipes, !spec.standard_input.empty());

  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + spec.timeout;
  bool timed_out = !exchange_with_child(*pipes, spec.standard_input, deadline, result);
  if (spec.output_file && !timed_out) {
    if (const auto status = wait_for_exit(*pid, deadline)) {
      result.exit_code = decode_status(*status);
      return result;
    }
    timed_out = true;
  }
  if (timed_out) {
    ::kill(*pid, SIGKILL);
  }
  const int status = reap(*pid);
  if (timed_out) {
    return fail(ErrorKind::timeout, "'" + spec.argv[0] + "' did not finish within " +
                                        std::to_string(spec.timeout.count()) +
                                        " ms and was stopped");
  }
  result.exit_code = decode_status(status);
  return result;
}

}  // namespace wharf
