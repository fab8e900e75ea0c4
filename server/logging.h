#ifndef AUGUR_SERVER_LOGGING_H_
#define AUGUR_SERVER_LOGGING_H_

// The one logging library of augur's edges (server, runner, dispatcher).
// core/ never logs. After InitLogging, lines go to stderr as
// "[2026-12-04 19:53:02.123] [info] message".

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#define AUGUR_LOG_INFO(...) ::spdlog::info(__VA_ARGS__)
#define AUGUR_LOG_WARN(...) ::spdlog::warn(__VA_ARGS__)
#define AUGUR_LOG_ERROR(...) ::spdlog::error(__VA_ARGS__)
#define AUGUR_LOG_DEBUG(...) ::spdlog::debug(__VA_ARGS__)

namespace augur {

// Sends the AUGUR_LOG_* lines to stderr instead of spdlog's default stdout,
// so that stdout stays free for a program's own output. Call at the start of
// main, before any thread logs; later calls change nothing.
inline void InitLogging() {
  if (::spdlog::get("augur") != nullptr) return;
  auto logger = ::spdlog::stderr_color_mt("augur");
  logger->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%l] %v");
  ::spdlog::set_default_logger(std::move(logger));
}

}  // namespace augur

#endif  // AUGUR_SERVER_LOGGING_H_
