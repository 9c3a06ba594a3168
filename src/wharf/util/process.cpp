#include "wharf/util/process.hpp"

#include <array>
#include <cerrno>
#include <cstring>
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

}  // namespace

Result<ProcessResult> run_process(const ProcessSpec& spec) {
  if (spec.argv.empty()) {
    return fail(ErrorKind::internal, "run_process was called with an empty argv");
  }
  auto in = make_pipe();
  auto out = make_pipe();
  auto err = make_pipe();
  if (!in || !out || !err) {
    return std::unexpected(!in ? in.error() : !out ? out.error() : err.error());
  }

  Fd output_file;
  if (spec.output_file) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg,hicpp-vararg): open(2) is variadic.
    output_file.reset(
        ::open(spec.output_file->c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (!output_file) {
      return fail(ErrorKind::io, "cannot open " + spec.output_file->string() +
                                     " for the output of '" + spec.argv[0] +
                                     "': " + std::strerror(errno));
    }
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in->read_end.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output_file ? output_file.get() : out->write_end.get(),
                                   STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output_file ? output_file.get() : err->write_end.get(),
                                   STDERR_FILENO);
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
  in->read_end.reset();
  out->write_end.reset();
  err->write_end.reset();

  ProcessResult result;
  std::string_view pending_input = spec.standard_input;
  if (pending_input.empty()) {
    in->write_end.reset();
  } else {
    ::fcntl(in->write_end.get(), F_SETFL, O_NONBLOCK);
  }
  const auto deadline = std::chrono::steady_clock::now() + spec.timeout;
  bool timed_out = false;
  std::array<char, 65536> buffer{};
  while (out->read_end || err->read_end || in->write_end) {
    std::array<pollfd, 3> fds{{{out->read_end.get(), POLLIN, 0},
                               {err->read_end.get(), POLLIN, 0},
                               {in->write_end.get(), POLLOUT, 0}}};
    const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (remaining.count() <= 0) {
      timed_out = true;
      break;
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
      auto& source = i == 0 ? out->read_end : err->read_end;
      const auto n = ::read(source.get(), buffer.data(), buffer.size());
      if (n > 0) {
        target.append(buffer.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        source.reset();
      }
    }
    if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      const auto n = ::write(in->write_end.get(), pending_input.data(), pending_input.size());
      if (n > 0) {
        pending_input.remove_prefix(static_cast<std::size_t>(n));
      }
      if (pending_input.empty() || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        in->write_end.reset();
      }
    }
  }
  int status = 0;
  if (spec.output_file && !timed_out) {
    // No pipe tells when the child is done: its exit does, within the deadline.
    for (;;) {
      const pid_t waited = ::waitpid(pid, &status, WNOHANG);
      if (waited == pid || (waited < 0 && errno != EINTR)) {
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!timed_out) {
      result.exit_code = decode_status(status);
      return result;
    }
  }
  if (timed_out) {
    ::kill(pid, SIGKILL);
  }
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return fail(ErrorKind::timeout, "'" + spec.argv[0] + "' did not finish within " +
                                        std::to_string(spec.timeout.count()) +
                                        " ms and was stopped");
  }
  result.exit_code = decode_status(status);
  return result;
}

}  // namespace wharf
