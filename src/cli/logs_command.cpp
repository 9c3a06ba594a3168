// `wharf logs`: the stack's services' logs merged in time order, read through the Engine API;
// with --follow, across container recreation until Ctrl-C.
#include <algorithm>
#include <array>
#include <charconv>
#include <iostream>

#include <nlohmann/json.hpp>

#include "wharf/core/json_text.hpp"
#include "wharf/dispatch/cancel_token.hpp"
#include "wharf/engine/engine_client.hpp"
#include "wharf/runtime/stack_logs.hpp"
#include "wharf/runtime/stack_project.hpp"

#include "cli/commands.hpp"
#include "cli/engine_setup.hpp"

namespace wharf::cli {
namespace {

struct LogsOptions {
  std::vector<std::string> services;
  std::optional<std::string> tail;
  std::optional<std::string> since;
  bool timestamps = false;
  bool follow = false;
};

// One colour per service, cycling: compose's palette, so the prefixes look familiar.
constexpr std::array<const char*, 6> kServiceColours{"\x1b[36m", "\x1b[33m", "\x1b[32m",
                                                     "\x1b[35m", "\x1b[34m", "\x1b[96m"};
constexpr const char* kColourReset = "\x1b[0m";

Result<std::vector<std::string>> selected_services(const runtime::StackProject& project,
                                                   const std::vector<std::string>& named) {
  if (named.empty()) {
    std::vector<std::string> all;
    for (const auto& service : project.services) {
      all.push_back(service.name);
    }
    return all;
  }
  for (const auto& name : named) {
    if (project.service(name) == nullptr) {
      return fail(ErrorKind::invalid_input, "the stack has no service \"" + name + "\" — " +
                                                project.compose_file.string() +
                                                " defines: " + project.service_names() + ".");
    }
  }
  std::vector<std::string> unique;
  for (const auto& name : named) {
    if (std::find(unique.begin(), unique.end(), name) == unique.end()) {
      unique.push_back(name);
    }
  }
  return unique;
}

Result<std::string> tail_value(const std::optional<std::string>& tail) {
  if (!tail || *tail == "all") {
    return std::string("all");
  }
  unsigned long long lines = 0;
  const auto* end = tail->data() + tail->size();
  const auto [last, error] = std::from_chars(tail->data(), end, lines);
  if (tail->empty() || error != std::errc() || last != end) {
    return fail(ErrorKind::invalid_input, "--tail \"" + *tail +
                                              "\" is not a number of lines — give a whole "
                                              "number such as 100, or \"all\".");
  }
  return std::to_string(lines);
}

// Prints each line as "label | text" (or a JSON line with --json), the label padded so the
// columns line up and coloured per service on a terminal.
class LinePrinter {
 public:
  LinePrinter(const Console& console, bool timestamps, bool flush)
      : console_(console), timestamps_(timestamps), flush_(flush) {}

  void operator()(const runtime::LogLine& line, const runtime::LogSource& source) {
    if (console_.json()) {
      std::cout << json_text(nlohmann::json{
                       {"service", source.service},
                       {"container", source.container_name},
                       {"time", line.timestamp},
                       {"stream",
                        line.stream == engine::LogStream::standard_error ? "stderr" : "stdout"},
                       {"text", line.text}})
                << '\n';
    } else {
      std::string prefix = source.label;
      prefix.resize(std::max(source.label_width, source.label.size()), ' ');
      prefix += " |";
      if (console_.options().color) {
        prefix =
            kServiceColours[source.service_index % kServiceColours.size()] + prefix + kColourReset;
      }
      std::cout << prefix << ' ';
      if (timestamps_) {
        std::cout << line.timestamp << ' ';
      }
      std::cout << line.text << '\n';
    }
    if (flush_) {
      std::cout.flush();
    }
  }

 private:
  const Console& console_;
  bool timestamps_;
  bool flush_;
};

Result<int> run_logs(const GlobalOptions& globals, const LogsOptions& options,
                     const Console& console) {
  auto project = runtime::load_stack_project(pin::ProjectLayout{globals.project_root()});
  if (!project) {
    return std::unexpected(project.error());
  }
  auto services = selected_services(*project, options.services);
  if (!services) {
    return std::unexpected(services.error());
  }
  auto tail = tail_value(options.tail);
  if (!tail) {
    return std::unexpected(tail.error());
  }
  runtime::StackLogsOptions request{.services = *services, .tail = *tail, .follow = options.follow};
  if (options.since) {
    auto since = runtime::parse_since(*options.since, std::chrono::system_clock::now());
    if (!since) {
      return std::unexpected(since.error());
    }
    request.since = *since;
  }
  auto engine = connect_engine(globals.host);
  if (!engine) {
    return std::unexpected(engine.error());
  }
  // Ctrl-C is how --follow ends: it stops the reads, prints what arrived, and exits 0.
  dispatch::CancelToken cancel;
  auto signals = dispatch::install_signal_cancellation(cancel, [](int, int) {});
  if (!signals) {
    return std::unexpected(signals.error());
  }
  request.cancel = cancel.stop_token();
  LinePrinter printer(console, options.timestamps, options.follow);
  const runtime::LogNotice notice = [&console](std::string_view sentence) {
    console.note("wharf: " + std::string(sentence));
  };
  auto read = runtime::read_stack_logs(*engine, project->name, request, std::ref(printer), notice);
  std::cout.flush();
  if (!read) {
    return std::unexpected(read.error());
  }
  return exit_ok;
}

}  // namespace

void set_logs_command(CLI::App& app, GlobalOptions& globals) {
  auto options = std::make_shared<LogsOptions>();
  auto* command = app.add_subcommand(
      "logs",
      "The services' logs merged in time order, each line prefixed with its service; with "
      "--follow, keep following (also a recreated container) until Ctrl-C");
  command->add_option("services", options->services, "Services to show (default: all)");
  command->add_option("-n,--tail", options->tail,
                      "Show the last N lines of each container (a number, or \"all\")");
  command->add_option("--since", options->since,
                      "Only lines since this time: RFC 3339 (2024-05-01T12:00:00Z), a date, Unix "
                      "seconds, or a duration ago (10m, 1h30m)");
  command->add_flag("-t,--timestamps", options->timestamps, "Show each line's timestamp");
  command->add_flag("-f,--follow", options->follow,
                    "Keep following new lines, and new containers of the services");
  command->callback([&globals, options] {
    run_command(globals,
                [&](const Console& console) { return run_logs(globals, *options, console); });
  });
}

}  // namespace wharf::cli
