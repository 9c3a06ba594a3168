#include "wharf/dispatch/task.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "wharf/core/json_text.hpp"
#include "wharf/core/suggestion.hpp"

namespace wharf::dispatch {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxReportedProblems = 10;
constexpr std::size_t kMaxIdLength = 63;
constexpr double kMaxTimeoutSeconds = 1e9;
constexpr std::string_view kExample = R"({"id": "unit-tests", "args": ["make", "test"]})";

bool is_id_start(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim_left(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_blank(text[i])) {
    ++i;
  }
  return text.substr(i);
}

// Shows a user's value in a message without letting a huge or multi-line value swamp it.
std::string shown_value(std::string_view value) {
  constexpr std::size_t kMax = 40;
  std::string shown = json_text(json(std::string(value.substr(0, kMax))));
  if (value.size() > kMax) {
    shown.insert(shown.size() - 1, "…");
  }
  return shown;
}

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at line 1, ";
// the line is always 1 here (we parse one line at a time) and we report the file's line.
std::string describe_parse_error(const json::parse_error& error) {
  std::string_view text = error.what();
  if (const auto pos = text.find("column "); pos != std::string_view::npos) {
    text = text.substr(pos);
  }
  return std::string(text);
}

/// Collects every problem of the file so the user can fix them all in one go.
class Problems {
 public:
  explicit Problems(std::string_view source) : source_(source) {}

  void add(std::size_t line, std::string_view what, std::string_view todo) {
    ++count_;
    if (count_ > kMaxReportedProblems) {
      return;
    }
    if (!message_.empty()) {
      message_ += '\n';
    }
    message_ +=
        source_ + ":" + std::to_string(line) + ": " + std::string(what) + " — " + std::string(todo);
  }

  [[nodiscard]] bool empty() const { return count_ == 0; }

  [[nodiscard]] std::string message() const {
    if (count_ <= kMaxReportedProblems) {
      return message_;
    }
    return message_ + "\n" + source_ + ": … and " + std::to_string(count_ - kMaxReportedProblems) +
           " more problems; fix the ones above and check again.";
  }

 private:
  std::string source_;
  std::string message_;
  std::size_t count_ = 0;
};

constexpr std::string_view kFields[] = {"id", "args", "env", "timeout"};

std::string unknown_field_advice(std::string_view key) {
  for (const auto field : kFields) {
    if (edit_distance(key, field) <= 2 && key.size() > 2) {
      return "did you mean \"" + std::string(field) +
             "\"? A task has only \"id\", \"args\", "
             "\"env\" and \"timeout\"";
    }
  }
  return "a task has only \"id\", \"args\", \"env\" and \"timeout\"; check the spelling";
}

bool has_nul(const std::string& text) {
  return text.find('\0') != std::string::npos;
}

std::optional<TaskSpec> parse_task(const json& object, std::size_t line, Problems& problems) {
  bool ok = true;
  const auto problem = [&](std::string_view what, std::string_view todo) {
    problems.add(line, what, todo);
    ok = false;
  };

  TaskSpec task;
  task.line = line;
  for (const auto& [key, value] : object.items()) {
    if (std::find(std::begin(kFields), std::end(kFields), key) == std::end(kFields)) {
      problem("unknown field " + shown_value(key), unknown_field_advice(key));
    }
  }

  if (const auto it = object.find("id"); it == object.end()) {
    problem("the task has no \"id\"", "add a unique name such as \"id\": \"build-1\"");
  } else if (!it->is_string()) {
    problem("\"id\" must be a string, not " + std::string(it->type_name()),
            "write it in quotes, e.g. \"id\": \"build-1\"");
  } else {
    task.id = it->get<std::string>();
    if (task.id.empty()) {
      problem("\"id\" is empty", "give the task a name such as \"build-1\"");
    } else if (!is_valid_task_id(task.id)) {
      problem("task id " + shown_value(task.id) + " cannot be used in a container name",
              "use 1 to 63 characters from a-z, A-Z, 0-9, '_', '.', '-', starting with a letter "
              "or digit");
    }
  }

  if (const auto it = object.find("args"); it == object.end()) {
    problem("the task has no \"args\"",
            "add the command to run, e.g. \"args\": [\"make\", \"test\"]");
  } else if (!it->is_array() || it->empty()) {
    problem("\"args\" must be a non-empty array of strings",
            "write the command as a list, e.g. \"args\": [\"sh\", \"-c\", \"make test\"]");
  } else {
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& arg = (*it)[i];
      if (!arg.is_string()) {
        problem(
            "args[" + std::to_string(i) + "] is " + std::string(arg.type_name()) + ", not a string",
            "quote every argument, e.g. \"3\" instead of 3");
      } else if (has_nul(arg.get_ref<const std::string&>())) {
        problem("args[" + std::to_string(i) + "] contains a NUL character (\\u0000)",
                "remove it: a process argument cannot hold one");
      } else {
        task.args.push_back(arg.get<std::string>());
      }
    }
  }

  if (const auto it = object.find("env"); it != object.end()) {
    if (!it->is_object()) {
      problem("\"env\" must be an object, not " + std::string(it->type_name()),
              "write it as {\"NAME\": \"value\"}");
    } else {
      for (const auto& [name, value] : it->items()) {
        if (!is_valid_env_name(name)) {
          problem("environment variable name " + shown_value(name) + " is not valid",
                  "use letters, digits and '_', not starting with a digit");
        } else if (!value.is_string()) {
          problem("env " + shown_value(name) + " is " + std::string(value.type_name()) +
                      ", not a string",
                  "quote the value, e.g. \"" + name + "\": \"1\"");
        } else if (has_nul(value.get_ref<const std::string&>())) {
          problem("env " + shown_value(name) + " contains a NUL character (\\u0000)",
                  "remove it: an environment value cannot hold one");
        } else {
          task.env.emplace(name, value.get<std::string>());
        }
      }
    }
  }

  if (const auto it = object.find("timeout"); it != object.end()) {
    if (!it->is_number()) {
      problem("\"timeout\" must be a number of seconds, not " + std::string(it->type_name()),
              "write e.g. \"timeout\": 90 (no quotes, no unit)");
    } else {
      const double seconds = it->get<double>();
      if (!(seconds > 0)) {
        problem("\"timeout\" is " + it->dump() + " but must be positive",
                "give a number of seconds greater than 0, or leave \"timeout\" out for no limit");
      } else if (seconds > kMaxTimeoutSeconds) {
        problem("\"timeout\" " + it->dump() + " is too large",
                "give at most 1e9 seconds, or leave \"timeout\" out for no limit");
      } else {
        task.timeout = std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
      }
    }
  }

  if (!ok) {
    return std::nullopt;
  }
  return task;
}

}  // namespace

bool is_valid_task_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > kMaxIdLength || !is_id_start(id.front())) {
    return false;
  }
  for (const char c : id.substr(1)) {
    if (!is_id_start(c) && c != '_' && c != '.' && c != '-') {
      return false;
    }
  }
  return true;
}

bool is_valid_env_name(std::string_view name) noexcept {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) {
    return false;
  }
  for (const char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

Result<std::vector<TaskSpec>> parse_task_file(std::istream& input, std::string_view source_name) {
  Problems problems(source_name);
  std::vector<TaskSpec> tasks;
  std::unordered_map<std::string, std::size_t> id_lines;

  std::string raw;
  std::size_t line = 0;
  while (std::getline(input, raw)) {
    ++line;
    std::string_view text = raw;
    if (line == 1 && text.starts_with("\xEF\xBB\xBF")) {
      text.remove_prefix(3);
    }
    if (text.ends_with('\r')) {
      text.remove_suffix(1);
    }
    const std::string_view content = trim_left(text);
    if (content.empty() || content.front() == '#') {
      continue;
    }

    // Duplicate keys would otherwise silently keep the last value; catch them while parsing.
    std::set<std::string> keys;
    std::string duplicate_key;
    const auto on_event = [&](int depth, json::parse_event_t event, json& parsed) {
      if (event == json::parse_event_t::key && depth == 1 && duplicate_key.empty() &&
          !keys.insert(parsed.get<std::string>()).second) {
        duplicate_key = parsed.get<std::string>();
      }
      return true;
    };
    json object;
    try {
      object = json::parse(content, on_event);
    } catch (const json::parse_error& error) {
      problems.add(line, "this line is not valid JSON (" + describe_parse_error(error) + ")",
                   "write one JSON object per line, e.g. " + std::string(kExample));
      continue;
    }
    if (!object.is_object()) {
      problems.add(line, "expected a JSON object, found " + std::string(object.type_name()),
                   "write one object per line, e.g. " + std::string(kExample));
      continue;
    }
    if (!duplicate_key.empty()) {
      problems.add(line, "field " + shown_value(duplicate_key) + " appears twice",
                   "keep only one of them");
      continue;
    }
    auto task = parse_task(object, line, problems);
    if (!task) {
      continue;
    }
    if (const auto [it, inserted] = id_lines.emplace(task->id, line); !inserted) {
      problems.add(line,
                   "task id " + shown_value(task->id) + " is already used on line " +
                       std::to_string(it->second),
                   "give every task its own id");
      continue;
    }
    tasks.push_back(std::move(*task));
  }
  if (input.bad()) {
    return fail(ErrorKind::io, "cannot read the task file " + std::string(source_name) +
                                   " after line " + std::to_string(line) +
                                   " — check that it is readable and try again.");
  }
  if (!problems.empty()) {
    return fail(ErrorKind::invalid_input, problems.message());
  }
  return tasks;
}

}  // namespace wharf::dispatch
