// options.hpp: the command line of asyncactor-client.
//
//   ParseResult r = parse_options(argc, argv);
//   if (r.action == ParseResult::kHelp) print help_text() and exit 0;
//   if (r.action == ParseResult::kError) print r.error and exit 2;
//
// parse_options() checks the syntax of every flag; it does not check the
// protocol setup as a whole (asyncactor::check_config() does that).
#pragma once

#include <optional>
#include <string>

#include "asyncactor/setup.hpp"
#include "asyncactor/value.hpp"
#include "log.hpp"

namespace asyncactor::client {

enum class TransportKind { kMqtt, kSerf };

inline constexpr int kDefaultMqttPort = 1883;
inline constexpr int kDefaultMqttsPort = 8883;
inline constexpr int kDefaultSerfPort = 7373;

// Options is everything the command line sets, defaults filled in.
struct Options {
  TransportKind transport = TransportKind::kMqtt;
  std::string host = "127.0.0.1";
  int port = kDefaultMqttPort;
  std::string topic = "asyncactor/main";  // serf: the user-event name
  std::string name;                       // default: the host name
  asyncactor::Value value = asyncactor::Value::number(0);
  asyncactor::Setup setup;
  bool passive = false;
  std::string on_tag;
  std::string on_untag;
  std::string on_detag;
  bool json = false;
  bool raw = false;
  LogLevel log_level = LogLevel::kInfo;
  std::string serf_auth;

  // MQTT login. The password never comes from the command line, where ps
  // would show it: --password-file FILE (its first line) or, failing that,
  // the environment variable ASYNCACTOR_PASSWORD.
  std::string username;
  std::optional<std::string> password;
  std::string password_file;  // as given; parse_options() reads it

  // MQTT over TLS: on with mqtts:// or when --cafile or --cert is given.
  // Without --cafile the system's CA certificates are trusted.
  bool tls = false;
  std::string cafile;
  std::string certfile;  // client certificate; needs keyfile
  std::string keyfile;
};

// ParseResult is the outcome of parse_options(): run with `options`, print
// the help, or fail with the one-line `error`.
struct ParseResult {
  enum Action { kRun, kHelp, kError };
  Action action = kRun;
  Options options;
  std::string error;
};

// parse_options() reads argv[1..argc). Flags take their argument as the next
// word or after "=" (--port=1884). It reads the --password-file, and takes
// ASYNCACTOR_PASSWORD from the environment when there is none.
[[nodiscard]] ParseResult parse_options(int argc, const char* const* argv);

// parse_value() reads a --value: "null" is null (not ready), a finite number
// is a number, a JSON string in double quotes is that string (so "\"42\""
// gives the string 42), anything else is taken as a string verbatim.
[[nodiscard]] asyncactor::Value parse_value(const std::string& text);

// help_text() is the --help output.
[[nodiscard]] std::string help_text();

}  // namespace asyncactor::client
