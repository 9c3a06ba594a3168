#include "cli/internal_error.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>

#include "wharf/core/wording.hpp"
#include "wharf/util/failpoint.hpp"

#include "cli/commands.hpp"

namespace wharf::cli {
namespace {

// What the exception in flight says of itself.
std::string describe(const std::exception_ptr& exception) {
  if (!exception) {
    return "std::terminate was called without an exception";
  }
  try {
    std::rethrow_exception(exception);
  } catch (const std::exception& error) {
    return error.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

[[noreturn]] void on_terminate() {
  std::cout.flush();
  (void)report_internal_error(describe(std::current_exception()));
  std::fflush(nullptr);
  // Not exit(): other threads may still run, and static destructors must not race them.
  std::_Exit(exit_error);
}

}  // namespace

int report_internal_error(std::string_view what) {
  std::cerr << "wharf: error: internal error: " << clause(what) << " — please report it.\n"
            << std::flush;
  return exit_error;
}

void install_terminate_handler() {
  std::set_terminate(on_terminate);
}

void throw_here_if_asked() {
  const auto point = failpoint("WHARF_CLI_FAILPOINT");
  if (!point) {
    return;
  }
  if (*point == "exception") {
    throw std::runtime_error("failpoint: a std::exception escaped the command");
  }
  if (*point == "other") {
    throw 42;  // NOLINT(hicpp-exception-baseclass): the point is a type that is not one.
  }
  if (*point == "thread") {
    std::jthread thread([] { throw std::logic_error("failpoint: an exception escaped a thread"); });
  }
}

}  // namespace wharf::cli
