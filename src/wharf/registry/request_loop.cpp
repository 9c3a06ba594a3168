#include "wharf/registry/request_loop.hpp"

#include <algorithm>
#include <deque>
#include <new>
#include <thread>

#include <curl/curl.h>
#include <sys/socket.h>

#include "wharf/http/curl_handles.hpp"
#include "wharf/http/header_line.hpp"
#include "wharf/util/log.hpp"

namespace wharf::registry {
namespace {

using Clock = std::chrono::steady_clock;

/// A response larger than this is not a manifest or a page of tags; stop reading.
constexpr std::size_t kMaxResponseBytes = std::size_t{16} << 20;
/// How long one poll may wait when nothing is due, so a stuck transfer's timeout is noticed.
constexpr std::chrono::milliseconds kMaxPollWait{1000};

// One request on one easy handle. Easy handles are kept between requests (their options are
// reset each time), while the connections live in the multi handle's cache.
struct Transfer {
  http::EasyHandle easy;
  HttpRequest request;
  HttpResponse response;
  bool too_large = false;
  std::size_t slot = 0;
  Clock::time_point started;

  static std::size_t on_header(char* buffer, std::size_t size, std::size_t count, void* data) {
    auto* self = static_cast<Transfer*>(data);
    (void)http::collect_header_line(self->response, std::string_view(buffer, size * count));
    return size * count;
  }

  static std::size_t on_write(char* buffer, std::size_t size, std::size_t count, void* data) {
    auto* self = static_cast<Transfer*>(data);
    if (self->response.body.size() + size * count > kMaxResponseBytes) {
      self->too_large = true;
      return 0;
    }
    self->response.body.append(buffer, size * count);
    return size * count;
  }
};

http::TransferFailure describe_failure(CURLcode code, const Transfer& transfer) {
  if (code == CURLE_WRITE_ERROR && transfer.too_large) {
    return {http::FailureKind::other,
            "the response is larger than " + std::to_string(kMaxResponseBytes >> 20) +
                " MiB, which no manifest or tag list is",
            0};
  }
  return http::classify_transfer({static_cast<int>(code), transfer.easy.error_text(),
                                  transfer.easy.os_errno(), transfer.easy.connected()});
}

}  // namespace

struct RequestLoop::State {
  http::MultiHandle multi;
  Options options;
  std::size_t connections_opened = 0;
  std::vector<std::unique_ptr<Transfer>> idle;

  explicit State(Options options_in) : options(options_in) {
    if (options.max_parallel == 0) {
      throw std::bad_alloc();
    }
    // Room in the connection cache for every parallel connection, so none is closed just
    // because a transfer finished while others ran.
    curl_multi_setopt(multi.get(), CURLMOPT_MAXCONNECTS,
                      static_cast<long>(options.max_parallel * 2));
  }

  // Counts connections (tests check reuse) and makes them close-on-exec, so a credential
  // helper started meanwhile never inherits a registry connection.
  static curl_socket_t open_socket(void* data, curlsocktype /*purpose*/, curl_sockaddr* address) {
    auto* self = static_cast<State*>(data);
    const int fd = ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
    if (fd >= 0) {
      ++self->connections_opened;
    }
    return fd < 0 ? CURL_SOCKET_BAD : fd;
  }

  std::unique_ptr<Transfer> take_transfer() {
    if (!idle.empty()) {
      auto transfer = std::move(idle.back());
      idle.pop_back();
      return transfer;
    }
    return std::make_unique<Transfer>();
  }

  void configure(Transfer& transfer) {
    CURL* easy = transfer.easy.get();
    const HttpRequest& request = transfer.request;
    transfer.easy.reset();
    transfer.response = HttpResponse{};
    transfer.easy.clear_error_text();
    transfer.too_large = false;
    // No CURLOPT_VERBOSE switch here, unlike the engine client: curl's trace prints request
    // headers, and these carry registry credentials.
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &State::open_socket);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, this);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::on_write);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    // libcurl's defaults, spelled out because they are the point: the peer's certificate
    // must chain to the system CAs and name the registry's host.
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR,
                     request.url.starts_with("https:") ? "https" : "http,https");
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connect_timeout.count()));
    transfer.easy.set_method(request.method, request.body);
    auto lines = request.headers;
    lines.emplace_back("Expect:");  // No 100-continue round trip for a small form.
    transfer.easy.set_headers(lines);
  }

  void run(std::span<Exchange* const> exchanges);
};

void RequestLoop::State::run(std::span<Exchange* const> exchanges) {
  enum class SlotState { queued, in_flight, sleeping, done };
  struct Slot {
    SlotState state = SlotState::done;
    HttpRequest request;
    Clock::time_point wake;
  };
  std::vector<Slot> slots(exchanges.size());
  std::deque<std::size_t> queue;
  std::vector<std::unique_ptr<Transfer>> active;
  std::size_t remaining = exchanges.size();

  // Whatever happens, no easy handle stays attached to the multi handle after run().
  struct Detach {
    State& state;
    std::vector<std::unique_ptr<Transfer>>& active;
    ~Detach() {
      for (auto& transfer : active) {
        curl_multi_remove_handle(state.multi.get(), transfer->easy.get());
      }
    }
  } detach{*this, active};

  const auto apply = [&](std::size_t index, Exchange::Step step) {
    Slot& slot = slots[index];
    if (auto* send = std::get_if<Exchange::Send>(&step)) {
      slot.state = SlotState::queued;
      slot.request = std::move(send->request);
      queue.push_back(index);
    } else if (auto* sleep = std::get_if<Exchange::Sleep>(&step)) {
      slot.state = SlotState::sleeping;
      slot.wake = sleep->until;
    } else {
      slot.state = SlotState::done;
      --remaining;
    }
  };

  const auto start_queued = [&] {
    while (!queue.empty() && active.size() < options.max_parallel) {
      const auto index = queue.front();
      queue.pop_front();
      auto transfer = take_transfer();
      transfer->request = std::move(slots[index].request);
      transfer->slot = index;
      configure(*transfer);
      transfer->started = Clock::now();
      if (curl_multi_add_handle(multi.get(), transfer->easy.get()) != CURLM_OK) {
        throw std::bad_alloc();
      }
      slots[index].state = SlotState::in_flight;
      active.push_back(std::move(transfer));
    }
  };

  const auto finish_completed = [&] {
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi.get(), &left)) {
      if (message->msg != CURLMSG_DONE) {
        continue;
      }
      CURL* easy = message->easy_handle;
      const CURLcode code = message->data.result;
      curl_multi_remove_handle(multi.get(), easy);
      const auto found = std::ranges::find_if(
          active, [easy](const auto& transfer) { return transfer->easy.get() == easy; });
      auto transfer = std::move(*found);
      active.erase(found);
      transfer->response.status = transfer->easy.response_code();
      const auto elapsed =
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - transfer->started);
      // The URL names only the repository, tag and token scope; headers are never logged.
      log::debug("registry: {} {} -> {} ({}) in {} ms", transfer->request.method,
                 transfer->request.url, transfer->response.status, curl_easy_strerror(code),
                 elapsed.count());
      HttpOutcome outcome = code == CURLE_OK
                                ? HttpOutcome(std::move(transfer->response))
                                : HttpOutcome(std::unexpect, describe_failure(code, *transfer));
      const auto index = transfer->slot;
      transfer->request = HttpRequest{};  // Drops credentials from memory early.
      idle.push_back(std::move(transfer));
      apply(index, exchanges[index]->on_outcome(std::move(outcome)));
    }
  };

  for (std::size_t i = 0; i < exchanges.size(); ++i) {
    slots[i].state = SlotState::in_flight;  // Until begin() says otherwise.
    apply(i, exchanges[i]->begin());
  }
  while (remaining > 0) {
    start_queued();
    if (!active.empty()) {
      int running = 0;
      curl_multi_perform(multi.get(), &running);
      finish_completed();
    }
    auto next_wake = Clock::time_point::max();
    const auto now = Clock::now();
    for (std::size_t i = 0; i < slots.size(); ++i) {
      if (slots[i].state != SlotState::sleeping) {
        continue;
      }
      if (slots[i].wake <= now) {
        apply(i, exchanges[i]->on_wake());
      } else {
        next_wake = std::min(next_wake, slots[i].wake);
      }
    }
    if (remaining == 0 || (!queue.empty() && active.size() < options.max_parallel)) {
      continue;
    }
    auto wait = kMaxPollWait;
    if (next_wake != Clock::time_point::max()) {
      wait = std::clamp(std::chrono::ceil<std::chrono::milliseconds>(next_wake - Clock::now()),
                        std::chrono::milliseconds(0), kMaxPollWait);
    }
    if (!active.empty()) {
      curl_multi_poll(multi.get(), nullptr, 0, static_cast<int>(wait.count()), nullptr);
    } else if (next_wake != Clock::time_point::max()) {
      std::this_thread::sleep_for(wait);
    }
  }
}

RequestLoop::RequestLoop(Options options) : state_(std::make_unique<State>(options)) {}
RequestLoop::RequestLoop(RequestLoop&&) noexcept = default;
RequestLoop& RequestLoop::operator=(RequestLoop&&) noexcept = default;
RequestLoop::~RequestLoop() = default;

void RequestLoop::run(std::span<Exchange* const> exchanges) {
  state_->run(exchanges);
}

std::size_t RequestLoop::connections_opened() const noexcept {
  return state_->connections_opened;
}

}  // namespace wharf::registry
