// client_util.hpp: helpers for tests that run asyncactor-client processes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness.hpp"

namespace clienttest {

// The short protocol timing of every client test.
inline constexpr double kCycle = 2.0;
// Enough for a lone node to listen, speak and be tagged (PROTOCOL 8).
inline constexpr double kFirstTagS = 4 * kCycle;
inline constexpr double kGap = 0.4;

// Line is one JSON event line of `asyncactor-client --json`.
struct Line {
  std::string event;
  std::string node;
  double time = 0;
  std::string text;  // the whole line
};

// parse_line() reads an event line; std::nullopt if it is not one.
std::optional<Line> parse_line(const std::string& text);

// wait_event() reads `client`'s stdout until an event named `event` (from
// `node`, when not empty) arrives; every line read is appended to `seen`.
std::optional<Line> wait_event(aatest::Process& client,
                               const std::string& event,
                               double timeout_s, std::vector<Line>* seen,
                               const std::string& node = "");

// client_args() is a client on `transport_args` with the short timing, JSON
// output and `name`, plus `extra`.
std::vector<std::string> client_args(std::vector<std::string> transport_args,
                                     const std::string& name,
                                     std::vector<std::string> extra = {});

// mqtt() is the transport arguments for a broker on `port`.
std::vector<std::string> mqtt(int port);

// read_file() returns a file's contents, or "" if it cannot be read.
std::string read_file(const std::string& path);

// wait_file() waits until `path` exists and is not empty.
bool wait_file(const std::string& path, double timeout_s);

// describe() lists lines for a failure message.
std::string describe(const std::vector<Line>& lines);

// plain_broker() is a mosquitto without the plugin: the clients alone.
aatest::Broker::Options plain_broker();

}  // namespace clienttest
