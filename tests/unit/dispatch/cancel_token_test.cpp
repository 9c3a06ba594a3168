#include "wharf/dispatch/cancel_token.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <signal.h>

namespace wharf::dispatch {
namespace {

using namespace std::chrono_literals;

TEST(CancelToken, WaitForTimesOutWhenNotCancelled) {
  const CancelToken token;
  EXPECT_FALSE(token.wait_for(1ms));
  EXPECT_FALSE(token.cancelled());
}

TEST(CancelToken, CancelWakesEveryWaiter) {
  CancelToken token;
  std::atomic<int> woken{0};
  std::vector<std::jthread> waiters;
  for (int i = 0; i < 4; ++i) {
    // An hour: only a cancel can end this wait before the test's own timeout.
    waiters.emplace_back([&] {
      if (token.wait_for(std::chrono::hours(1))) {
        ++woken;
      }
    });
  }
  token.cancel();
  waiters.clear();  // joins
  EXPECT_EQ(woken.load(), 4);
  EXPECT_TRUE(token.wait_for(std::chrono::hours(1)));
}

TEST(CancelToken, CallbacksRunOnceAndImmediatelyWhenAlreadyCancelled) {
  CancelToken token;
  int before = 0;
  int removed = 0;
  const CancelCallback counting(token, [&] { ++before; });
  {
    const CancelCallback gone(token, [&] { ++removed; });
  }
  token.cancel();
  token.cancel();
  EXPECT_EQ(before, 1);
  EXPECT_EQ(removed, 0);

  int after = 0;
  const CancelCallback late(token, [&] { ++after; });
  EXPECT_EQ(after, 1);
}

TEST(SignalCancellation, SigintAndSigtermCancelTheTokenAndAreCounted) {
  CancelToken token;
  std::atomic<int> last_count{0};
  std::atomic<int> last_signal{0};
  {
    auto installed = install_signal_cancellation(token, [&](int signal_number, int count) {
      last_signal = signal_number;
      last_count = count;
    });
    ASSERT_TRUE(installed.has_value()) << installed.error().message;

    CancelToken other;
    const auto second = install_signal_cancellation(other);
    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().kind, ErrorKind::conflict);

    ASSERT_EQ(::raise(SIGINT), 0);
    EXPECT_TRUE(token.wait_for(std::chrono::seconds(30)));
    ASSERT_EQ(::raise(SIGTERM), 0);
    for (int i = 0; i < 3000 && last_count.load() < 2; ++i) {
      std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(last_count.load(), 2);
    EXPECT_EQ(last_signal.load(), SIGTERM);
    EXPECT_EQ(installed->signals_received(), 2);
    // The first signal decides the exit status, as a shell would report it.
    EXPECT_EQ(installed->first_signal(), SIGINT);
    EXPECT_EQ(installed->exit_code_after_signal(1), 130);
  }
  // After the installation ends, the previous (default) handler is back.
  struct sigaction current {};
  ASSERT_EQ(::sigaction(SIGINT, nullptr, &current), 0);
  EXPECT_EQ(current.sa_handler, SIG_DFL);

  // A new installation works and starts from a clean pipe.
  CancelToken fresh;
  auto again = install_signal_cancellation(fresh, nullptr);
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(fresh.wait_for(20ms));
  EXPECT_EQ(again->first_signal(), 0);
  EXPECT_EQ(again->exit_code_after_signal(1), 1);
  ASSERT_EQ(::raise(SIGTERM), 0);
  EXPECT_TRUE(fresh.wait_for(std::chrono::seconds(30)));
  for (int i = 0; i < 3000 && again->first_signal() == 0; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(again->exit_code_after_signal(1), 143);
}

}  // namespace
}  // namespace wharf::dispatch
