// `wharf workers check` and `wharf workers pull`: is every worker reachable and at the
// pinned image, and get it there.
#include <iostream>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "wharf/output/progress_lines.hpp"
#include "wharf/workers/worker_check.hpp"
#include "wharf/workers/worker_pull.hpp"

#include "cli/commands.hpp"
#include "cli/worker_setup.hpp"

namespace wharf::cli {
namespace {

struct WorkersOptions {
  WorkerSetupOptions setup;
  std::optional<std::string> image;
  bool allow_unpinned = false;
};

Cell yes_no(bool value, Tone bad_tone = Tone::bad) {
  return value ? Cell("yes", Tone::good) : Cell("no", bad_tone);
}

// The pinned image and every worker of the inventory, reached (or not) at once.
struct Prepared {
  ImageReference image;
  std::vector<workers::ConnectedWorker> workers;
};

Result<Prepared> prepare(const GlobalOptions& globals, const WorkersOptions& options) {
  auto image = pinned_worker_image(globals, options.image, options.allow_unpinned);
  if (!image) {
    return std::unexpected(image.error());
  }
  auto connected = connect_inventory(globals, options.setup);
  if (!connected) {
    return std::unexpected(connected.error());
  }
  return Prepared{std::move(*image), std::move(*connected)};
}

Result<int> run_check(const GlobalOptions& globals, const WorkersOptions& options,
                      const Console& console) {
  auto prepared = prepare(globals, options);
  if (!prepared) {
    return std::unexpected(prepared.error());
  }
  const auto& image = prepared->image;
  auto& connected = prepared->workers;
  std::vector<workers::WorkerReport> reports;
  for (auto& worker : connected) {
    reports.push_back(workers::check_worker(worker, image));
  }
  const auto disagreements = workers::disagreements(reports);
  const bool all_ok = disagreements.empty() && std::all_of(reports.begin(), reports.end(),
                                                           [](const auto& r) { return r.ok(); });
  if (console.json()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& report : reports) {
      list.push_back(workers::to_json(report));
    }
    console.json({{"image", image.familiar()},
                  {"ok", all_ok},
                  {"problems", disagreements},
                  {"workers", list}});
  } else {
    Table table({"worker", "address", "reachable", "host key", "engine", "image", "digest",
                 "other tags", "free slots"});
    for (const auto& report : reports) {
      table.add_row(
          {report.name, report.address, yes_no(report.reachable),
           report.host_key.empty()
               ? Cell("-", Tone::dim)
               : Cell(report.host_key, report.host_key == "ok" ? Tone::good : Tone::bad),
           report.engine_version.empty() ? Cell("-", Tone::dim) : Cell(report.engine_version),
           report.reachable ? yes_no(report.image_present) : Cell("-", Tone::dim),
           report.image_digest.empty() ? Cell("-", Tone::dim)
                                       : Cell(report.image_digest.substr(0, 19)),
           Cell(std::to_string(report.other_tags.size()),
                report.other_tags.empty() ? Tone::plain : Tone::warn),
           report.reachable
               ? Cell(std::to_string(report.free_slots) + "/" + std::to_string(report.slots))
               : Cell("-", Tone::dim)});
    }
    console.table(table);
    for (const auto& report : reports) {
      for (const auto& problem : report.problems) {
        console.note(console.paint("problem: ", Tone::bad) + problem);
      }
    }
    for (const auto& problem : disagreements) {
      console.note(console.paint("problem: ", Tone::bad) + problem);
    }
    console.note(all_ok ? "every worker is ready at " + image.familiar() + "."
                        : "some workers are not ready at " + image.familiar() + ".");
  }
  return all_ok ? exit_ok : exit_check_failed;
}

Result<int> run_pull(const GlobalOptions& globals, const WorkersOptions& options,
                     const Console& console) {
  auto prepared = prepare(globals, options);
  if (!prepared) {
    return std::unexpected(prepared.error());
  }
  const auto& image = prepared->image;
  auto& connected = prepared->workers;
  std::vector<std::string> labels;
  for (const auto& worker : connected) {
    labels.push_back(worker.entry.name);
  }
  ProgressLines progress(std::cerr, labels, !console.json() && ::isatty(STDERR_FILENO) != 0);
  const auto outcomes = workers::pull_on_workers(
      connected, image,
      [&](std::size_t index, const auto& state) { progress.update(index, state.summary()); });
  for (std::size_t index = 0; index < outcomes.size(); ++index) {
    const auto& outcome = outcomes[index];
    progress.update(index, outcome.ok ? console.paint("pulled ", Tone::good) + outcome.digest
                                      : console.paint("failed", Tone::bad));
  }
  progress.finish();
  bool all_ok = true;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& outcome : outcomes) {
    all_ok = all_ok && outcome.ok;
    if (outcome.error) {
      console.error(*outcome.error);
    }
    list.push_back({{"name", outcome.name},
                    {"ok", outcome.ok},
                    {"digest", outcome.digest.empty() ? nlohmann::json(nullptr)
                                                      : nlohmann::json(outcome.digest)},
                    {"status", outcome.status},
                    {"duration_ms", outcome.duration.count()},
                    {"error", outcome.error ? nlohmann::json(outcome.error->message)
                                            : nlohmann::json(nullptr)}});
  }
  if (console.json()) {
    console.json({{"image", image.familiar()}, {"ok", all_ok}, {"workers", list}});
  }
  console.note(all_ok
                   ? image.familiar() + " is on every worker."
                   : "the pull failed on some workers; the others have " + image.familiar() + ".");
  return all_ok ? exit_ok : exit_error;
}

void add_common(CLI::App& command, WorkersOptions& options) {
  add_worker_setup_options(command, options.setup, true);
  command.add_option("--image", options.image, "Check this image instead of the pinned one");
  command.add_flag("--allow-unpinned", options.allow_unpinned,
                   "Accept an image tagged latest or not tagged at all");
}

}  // namespace

void set_workers_command(CLI::App& app, GlobalOptions& globals) {
  auto options = std::make_shared<WorkersOptions>();
  auto* workers = app.add_subcommand("workers", "Check and prepare the workers of an inventory");
  workers->require_subcommand(1);
  auto* check = workers->add_subcommand(
      "check", "Per worker: reachable, host key, engine, pinned image and its digest, drift");
  add_common(*check, *options);
  check->callback([&globals, options] {
    run_command(globals,
                [&](const Console& console) { return run_check(globals, *options, console); });
  });
  auto* pull =
      workers->add_subcommand("pull", "Pull the pinned worker image on every worker at once");
  add_common(*pull, *options);
  pull->callback([&globals, options] {
    run_command(globals,
                [&](const Console& console) { return run_pull(globals, *options, console); });
  });
}

}  // namespace wharf::cli
