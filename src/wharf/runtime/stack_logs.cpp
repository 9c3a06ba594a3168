#include "wharf/runtime/stack_logs.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "wharf/runtime/log_merge.hpp"
#include "wharf/runtime/resume_point.hpp"
#include "wharf/runtime/stack_containers.hpp"
#include "wharf/util/log.hpp"

namespace wharf::runtime {
namespace {

using Clock = std::chrono::steady_clock;

struct SourceState {
  LogSource source;
  ResumePoint resume;
  bool streaming = false;  // A follow thread reads it now.
};

// What a follow thread tells the reading thread: a line, or that its stream ended.
struct StreamEvent {
  std::size_t source = 0;
  std::optional<LogLine> line;  // nullopt: the stream ended.
};

class StackLogReader {
 public:
  StackLogReader(engine::EngineClient& engine, const std::string& project,
                 const StackLogsOptions& options, const LogLineSink& sink, const LogNotice& notice)
      : engine_(engine),
        project_(project),
        options_(options),
        sink_(sink),
        notice_(notice),
        reorder_(options.reorder_hold),
        forward_cancel_(options.cancel, [this] {
          stop_.request_stop();
          wake_.notify_all();
        }) {}

  StackLogReader(const StackLogReader&) = delete;
  StackLogReader& operator=(const StackLogReader&) = delete;

  ~StackLogReader() {
    // Streams end on the stop request (their connections are shut down), so joining is quick.
    stop_.request_stop();
    threads_.clear();
  }

  Result<void> run() {
    auto listed = list();
    if (!listed) {
      return std::unexpected(listed.error());
    }
    for (const auto& container : *listed) {
      (void)add_source(container, *listed);
    }
    for (const auto& service : options_.services) {
      const bool has_container = std::any_of(listed->begin(), listed->end(),
                                             [&](const auto& c) { return c.service == service; });
      if (!has_container && notice_) {
        notice_("service " + service + " has no container" +
                (options_.follow ? " yet; its first one will be followed when it appears."
                                 : ", so it has no logs."));
      }
    }
    if (auto shown = show_history(); !shown) {
      return shown;
    }
    if (!options_.follow) {
      return {};
    }
    for (std::size_t index = 0; index < sources_.size(); ++index) {
      const auto found = std::find_if(listed->begin(), listed->end(), [&](const auto& container) {
        return container.id == sources_[index].source.container_id;
      });
      if (found != listed->end() && found->running()) {
        start_stream(index);
      }
    }
    return follow();
  }

 private:
  // The project's containers of the selected services, in the services' order.
  Result<std::vector<StackContainer>> list() {
    auto groups = find_stack_containers(engine_, project_, options_.services);
    if (!groups) {
      return std::unexpected(groups.error());
    }
    std::vector<StackContainer> containers;
    for (const auto& group : *groups) {
      if (group.in_compose_file) {
        containers.insert(containers.end(), group.containers.begin(), group.containers.end());
      }
    }
    return containers;
  }

  // Registers a container not seen before; returns its index.
  std::size_t add_source(const StackContainer& container,
                         const std::vector<StackContainer>& listed) {
    const auto service_index = static_cast<std::size_t>(
        std::find(options_.services.begin(), options_.services.end(), container.service) -
        options_.services.begin());
    const auto siblings = std::count_if(listed.begin(), listed.end(), [&](const auto& other) {
      return other.service == container.service;
    });
    std::string label = container.service;
    if (siblings > 1) {
      // Unlabelled containers (not made by compose) are numbered by their place in the list.
      const auto position = std::count_if(listed.begin(), listed.end(), [&](const auto& other) {
        return other.service == container.service && other.name < container.name;
      });
      label += "-" + std::to_string(container.number > 0 ? container.number : position + 1);
    }
    sources_.push_back(SourceState{.source = LogSource{.container_id = container.id,
                                                       .container_name = container.name,
                                                       .service = container.service,
                                                       .number = container.number,
                                                       .label = std::move(label),
                                                       .service_index = service_index},
                                   .resume = {}});
    std::size_t width = 0;
    for (const auto& state : sources_) {
      width = std::max(width, state.source.label.size());
    }
    for (auto& state : sources_) {
      state.source.label_width = width;
    }
    return sources_.size() - 1;
  }

  std::optional<std::int64_t> since_seconds() const {
    if (!options_.since) {
      return std::nullopt;
    }
    return *options_.since / 1'000'000'000;
  }

  // Whether a line is to be shown; records it as shown.
  bool admit(const LogLine& line) {
    if (options_.since && line.time < *options_.since) {
      return false;
    }
    return sources_[line.source].resume.accept(line.time);
  }

  // The first read: every container's log so far, merged.
  Result<void> show_history() {
    std::vector<LogLine> lines;
    for (std::size_t index = 0; index < sources_.size(); ++index) {
      LineAssembler assembler(index);
      const auto keep = [&](LogLine line) {
        if (admit(line)) {
          lines.push_back(std::move(line));
        }
      };
      engine::LogsOptions request;
      request.timestamps = true;
      request.tail = options_.tail.empty() ? "all" : options_.tail;
      request.since = since_seconds();
      request.timeout = engine::kNoTimeout;
      request.cancel = stop_.get_token();
      auto read = engine_.container_logs(sources_[index].source.container_id, request,
                                         [&](engine::LogStream stream, std::string_view bytes) {
                                           assembler.feed(stream, bytes, keep);
                                         });
      assembler.finish(keep);
      if (!read) {
        if (stop_.stop_requested()) {
          return {};
        }
        if (read.error().kind != ErrorKind::not_found) {
          return std::unexpected(read.error());
        }
      }
    }
    sort_by_time(lines);
    for (const auto& line : lines) {
      sink_(line, sources_[line.source].source);
    }
    return {};
  }

  void start_stream(std::size_t index) {
    auto& state = sources_[index];
    state.streaming = true;
    state.resume.begin_pass();
    engine::LogsOptions request;
    request.follow = true;
    request.timestamps = true;
    request.tail = "all";
    // Where this container's log was shown up to, else where the user asked to start.
    request.since = state.resume.since_seconds();
    if (!request.since) {
      request.since = since_seconds();
    }
    request.timeout = engine::kNoTimeout;
    request.cancel = stop_.get_token();
    threads_.emplace_back([this, index, request, id = state.source.container_id,
                           client = engine_.clone()]() mutable {
      LineAssembler assembler(index);
      const auto push = [&](LogLine line) { post(StreamEvent{index, std::move(line)}); };
      auto read =
          client.container_logs(id, request, [&](engine::LogStream stream, std::string_view bytes) {
            assembler.feed(stream, bytes, push);
          });
      assembler.finish(push);
      if (!read && read.error().kind != ErrorKind::cancelled) {
        log::info("stopped following container {}: {}", id, read.error().message);
      }
      post(StreamEvent{index, std::nullopt});
    });
  }

  void post(StreamEvent event) {
    {
      const std::lock_guard lock(mutex_);
      events_.push_back(std::move(event));
    }
    wake_.notify_all();
  }

  void handle(std::deque<StreamEvent>& events) {
    const auto now = Clock::now();
    for (auto& event : events) {
      if (!event.line) {
        sources_[event.source].streaming = false;
      } else if (admit(*event.line)) {
        reorder_.push(std::move(*event.line), now);
      }
    }
    events.clear();
  }

  void print(const std::vector<LogLine>& lines) {
    for (const auto& line : lines) {
      sink_(line, sources_[line.source].source);
    }
  }

  // Looks for containers that appeared or run again.
  Result<void> poll() {
    auto listed = list();
    if (!listed) {
      return std::unexpected(listed.error());
    }
    for (const auto& container : *listed) {
      const auto known = std::find_if(sources_.begin(), sources_.end(), [&](const auto& state) {
        return state.source.container_id == container.id;
      });
      if (known == sources_.end()) {
        const auto index = add_source(container, *listed);
        if (notice_) {
          notice_("following " + container.name + " (" + container.id.substr(0, 12) +
                  "), a new container of service " + container.service + ".");
        }
        start_stream(index);
      } else if (!known->streaming && container.running()) {
        start_stream(static_cast<std::size_t>(known - sources_.begin()));
      }
    }
    return {};
  }

  Result<void> follow() {
    auto next_poll = Clock::now() + options_.poll_interval;
    Result<void> outcome;
    const auto stop = stop_.get_token();
    while (!stop.stop_requested()) {
      auto deadline = next_poll;
      if (const auto due = reorder_.next_due(); due && *due < deadline) {
        deadline = *due;
      }
      std::deque<StreamEvent> events;
      {
        std::unique_lock lock(mutex_);
        wake_.wait_until(lock, stop, deadline, [&] { return !events_.empty(); });
        events.swap(events_);
      }
      handle(events);
      print(reorder_.pop_ready(Clock::now()));
      if (Clock::now() >= next_poll) {
        outcome = poll();
        if (!outcome) {
          break;
        }
        next_poll = Clock::now() + options_.poll_interval;
      }
    }
    stop_.request_stop();
    threads_.clear();  // Joins: every stream has posted its last line now.
    std::deque<StreamEvent> events;
    {
      const std::lock_guard lock(mutex_);
      events.swap(events_);
    }
    handle(events);
    print(reorder_.pop_all());
    return outcome;
  }

  engine::EngineClient& engine_;
  const std::string& project_;
  const StackLogsOptions& options_;
  const LogLineSink& sink_;
  const LogNotice& notice_;
  std::vector<SourceState> sources_;
  ReorderBuffer reorder_;

  std::stop_source stop_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::deque<StreamEvent> events_;
  // Declared after everything the threads use, so they are joined before it is destroyed.
  std::vector<std::jthread> threads_;
  std::stop_callback<std::function<void()>> forward_cancel_;
};

}  // namespace

Result<void> read_stack_logs(engine::EngineClient& engine, const std::string& project,
                             const StackLogsOptions& options, const LogLineSink& sink,
                             const LogNotice& notice) {
  StackLogReader reader(engine, project, options, sink, notice);
  return reader.run();
}

}  // namespace wharf::runtime
