#ifndef AUGUR_SERVER_LOGGING_H_
#define AUGUR_SERVER_LOGGING_H_

// The one logging library of augur's edges (server, runner, dispatcher).
// core/ never logs. Lines go to stderr as
// "[2026-12-04 19:53:02.123] [info] message".

#include <spdlog/spdlog.h>

#define AUGUR_LOG_INFO(...) ::spdlog::info(__VA_ARGS__)
#define AUGUR_LOG_WARN(...) ::spdlog::warn(__VA_ARGS__)
#define AUGUR_LOG_ERROR(...) ::spdlog::error(__VA_ARGS__)
#define AUGUR_LOG_DEBUG(...) ::spdlog::debug(__VA_ARGS__)

#endif  // AUGUR_SERVER_LOGGING_H_
