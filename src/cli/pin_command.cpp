// `wharf pin`: make the release tag the truth in VERSION and docker/.env, or check that it is.
#include <nlohmann/json.hpp>

#include "wharf/pin/check.hpp"
#include "wharf/pin/pin.hpp"

#include "cli/commands.hpp"

namespace wharf::cli {
namespace {

struct PinOptions {
  std::optional<std::string> version;
  bool dev = false;
  std::optional<std::string> dev_worker;
  std::optional<std::string> tag_style;
  bool check = false;
};

Result<int> run_check(const GlobalOptions& globals, const Console& console) {
  auto check = pin::check_pin(globals.project_root());
  if (!check) {
    return std::unexpected(check.error());
  }
  if (console.json()) {
    console.json(check->to_json());
  } else {
    Table table({"source", "value", "status", "note"});
    for (const auto& source : check->sources) {
      table.add_row({source.source, source.value.empty() ? "-" : source.value,
                     source.agrees ? Cell("ok", Tone::good) : Cell("MISMATCH", Tone::bad),
                     Cell(source.note, Tone::dim)});
    }
    console.table(table);
    console.line(check->ok() ? "pinned to " + check->expected_version + " everywhere"
                             : "not everything agrees with " + check->expected_version);
  }
  return check->ok() ? exit_ok : exit_check_failed;
}

Result<int> run_pin(const GlobalOptions& globals, const PinOptions& options,
                    const Console& console) {
  pin::PinRequest request{globals.project_root(), options.version, options.dev, options.dev_worker,
                          std::nullopt};
  if (options.tag_style) {
    request.tag_style = pin::parse_tag_style(*options.tag_style);  // CLI11 checked the value.
  }
  auto outcome = pin::pin_project(request);
  if (!outcome) {
    return std::unexpected(outcome.error());
  }
  for (const auto& note : outcome->notes) {
    console.note("wharf: " + note);
  }
  if (console.json()) {
    nlohmann::json document{{"image_tag", outcome->image_tag},
                            {"tag_style", pin::to_string(outcome->tag_style.style)},
                            {"tag_style_source", outcome->tag_style.source},
                            {"worker_override", outcome->worker_override},
                            {"version_file_written", outcome->version_file_written},
                            {"env_file_written", outcome->env_file_written},
                            {"env_file_created", outcome->env_file_created},
                            {"dev", options.dev}};
    if (outcome->version) {
      document["version"] = outcome->version->version.tag_name();
      document["source"] = outcome->version->source;
      document["origin"] = outcome->version->origin();
    }
    console.json(document);
    return exit_ok;
  }
  const auto state = [](bool written) { return written ? "written" : "unchanged"; };
  if (outcome->version) {
    console.line("version  " + outcome->version->version.tag_name() + " (from " +
                 outcome->version->origin() + ")");
    console.line("VERSION  " + std::string(state(outcome->version_file_written)));
  } else {
    console.line("dev mode: the stack and the worker use locally built images; VERSION untouched");
  }
  console.line(
      ".env     IMAGE_TAG=" + outcome->image_tag + " (" +
      (outcome->env_file_created ? "created" : std::string(state(outcome->env_file_written))) +
      ")");
  if (!outcome->worker_override.empty()) {
    console.line(".env     TASK_EXECUTOR_IMAGE=" + outcome->worker_override);
  }
  return exit_ok;
}

}  // namespace

void set_pin_command(CLI::App& app, GlobalOptions& globals) {
  auto options = std::make_shared<PinOptions>();
  auto* command = app.add_subcommand(
      "pin", "Write the release version to VERSION and IMAGE_TAG in docker/.env, or --check them");
  command->add_option("--version", options->version,
                      "Version to pin (default: the release tag on HEAD, else VERSION)");
  command->add_flag("--dev", options->dev,
                    "Use locally built ':dev' images for the stack and the worker");
  command
      ->add_option("--dev-worker", options->dev_worker,
                   "With --dev: the full worker image (default: WORKER_IMAGE:dev)")
      ->needs(command->get_option("--dev"));
  command
      ->add_option("--tag-style", options->tag_style,
                   "Write WHARF_TAG_STYLE to docker/.env: image tags keep the v (v: app:v1.2.3) "
                   "or drop it (plain: app:1.2.3); default: detected from IMAGE_TAG")
      ->check(CLI::IsMember({"v", "plain"}));
  command->add_flag("--check", options->check,
                    "Compare git tag, VERSION and docker/.env; exit 1 if they disagree");
  command->get_option("--check")->excludes("--version")->excludes("--dev")->excludes("--tag-style");
  command->callback([&globals, options] {
    run_command(globals, [&](const Console& console) {
      return options->check ? run_check(globals, console) : run_pin(globals, *options, console);
    });
  });
}

}  // namespace wharf::cli
