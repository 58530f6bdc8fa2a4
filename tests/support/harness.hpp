// harness.hpp: real processes and a real broker for integration tests.
//
// Everything here runs on 127.0.0.1 only: brokers listen on free loopback
// ports, processes are children of the test and are killed (by PID) when
// their objects go out of scope.
//
//   aatest::Broker broker({});                  // mosquitto + the plugin
//   aatest::Process client = aatest::Process::spawn(
//       {aatest::client_path(), "--port", std::to_string(broker.port()),
//        "--name", "a", "--json"});
//   auto line = client.read_line(5.0);         // one stdout line, or nullopt
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aatest {

// Paths of the built programs (set by CMake).
std::string plugin_path();  // asyncactor_plugin.so
std::string client_path();  // asyncactor-client
std::string sim_path();     // asyncactor-sim

// free_port() returns a TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

// make_temp_dir() creates a fresh directory under /tmp and returns its path.
std::string make_temp_dir();

// now_s() is a monotonic clock in seconds, for test timing.
double now_s();

// Process is a child process whose stdout is read line by line and whose
// stderr is collected. The destructor sends SIGTERM, waits up to 2 s, then
// SIGKILLs, and always reaps the child.
class Process {
 public:
  static Process spawn(const std::vector<std::string>& argv,
                       const std::map<std::string, std::string>& env = {});
  Process(Process&&) noexcept;
  Process& operator=(Process&&) noexcept;
  ~Process();

  pid_t pid() const;
  bool running();
  void send_signal(int sig);

  // wait_exit() waits up to `timeout_s` for the child to end and returns its
  // exit code (128 + signal when killed), or nullopt on time-out.
  std::optional<int> wait_exit(double timeout_s);

  // read_line() returns the next stdout line (without "\n"), waiting up to
  // `timeout_s`; nullopt on time-out or end of output.
  std::optional<std::string> read_line(double timeout_s);

  // poll_lines() returns the stdout lines that are ready now, without
  // waiting.
  std::vector<std::string> poll_lines();

  // stderr_text() returns everything the child wrote to stderr so far.
  std::string stderr_text();

 private:
  struct Impl;
  explicit Process(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Broker is a private mosquitto on a free loopback port, by default with the
// asyncactor plugin loaded. Its log goes to a file (log()).
class Broker {
 public:
  struct Options {
    bool with_plugin = true;
    // plugin_opt_KEY VALUE lines, in order (without the "plugin_opt_").
    std::vector<std::pair<std::string, std::string>> plugin_options;
    std::string extra_config;  // appended to mosquitto.conf verbatim
    int port = 0;              // 0: pick a free port
  };
  explicit Broker(const Options& options);
  ~Broker();

  int port() const;
  const std::string& config_path() const;
  std::string log() const;  // the broker's log file so far

  // start() (re)starts mosquitto on the same port and waits until it accepts
  // connections; false if it did not within 10 s. The constructor starts it.
  bool start();
  void send_signal(int sig);
  // stop() kills the broker with `sig` and reaps it.
  void stop(int sig);
  bool running();

 private:
  Options options_;
  int port_;
  std::string dir_;
  std::string config_path_;
  std::string log_path_;
  std::optional<Process> process_;
};

// Subscriber is an MQTT client (libmosquitto) that collects messages on a
// topic filter.
class Subscriber {
 public:
  struct Received {
    std::string topic;
    std::string payload;
    bool retained = false;
    double at = 0;  // now_s() when it arrived
  };
  Subscriber(int port, const std::string& topic_filter);
  ~Subscriber();

  // next() waits up to `timeout_s` for the next message.
  std::optional<Received> next(double timeout_s);
  // wait_for() returns the first message (received now or later, up to
  // `timeout_s`) for which `pred` is true, skipping others.
  template <class Pred>
  std::optional<Received> wait_for(double timeout_s, Pred pred) {
    double end = now_s() + timeout_s;
    for (double left = timeout_s; left > 0; left = end - now_s()) {
      auto m = next(left);
      if (!m) return std::nullopt;
      if (pred(*m)) return m;
    }
    return std::nullopt;
  }
  // publish() sends a payload (QoS 1) on `topic`.
  bool publish(const std::string& topic, const std::string& payload,
               bool retain = false);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Relay forwards TCP connections from a free loopback port to `target_port`
// on 127.0.0.1, so that a test can cut a link (a bridge between two brokers)
// and restore it. A thread does the forwarding; the calls below are safe from
// the test's thread.
//
//   aatest::Relay relay(broker_b.port());      // A's bridge dials relay.port()
//   relay.cut();                               // link down, connects refused
//   relay.restore();                           // accepts again, same port
class Relay {
 public:
  // The relay listens on `listen_port`, or on a free port when it is 0.
  explicit Relay(int target_port, int listen_port = 0);
  ~Relay();
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  int port() const;
  // cut() closes every forwarded connection and the listening socket, so
  // new connects are refused. It returns once that is done.
  void cut();
  // restore() listens on the same port again; false if the port cannot be
  // bound (someone else took it meanwhile).
  bool restore();
  // connections() is the number of connections forwarded right now.
  int connections() const;
  // accepted() counts every connection forwarded since the relay started.
  int accepted() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// SerfAgent is a real `serf agent` on loopback only: gossip bound and
// advertised on 127.0.0.1, RPC on 127.0.0.1, no discovery, the "local"
// timing profile. It is stopped (SIGTERM, then SIGKILL) with the object.
//
//   aatest::SerfAgent first("s0");
//   aatest::SerfAgent second("s1", first.bind_port());   // joins the first
//   second.wait_members(2, 10.0);
class SerfAgent {
 public:
  // SerfAgent starts the agent named `node` and waits until its RPC port
  // accepts; with `join_port` it joins the agent gossiping on that port.
  explicit SerfAgent(const std::string& node, int join_port = 0);

  const std::string& node() const { return node_; }
  int bind_port() const { return bind_port_; }
  int rpc_port() const { return rpc_port_; }
  // rpc_url() is what asyncactor-client takes: serf://127.0.0.1:PORT.
  std::string rpc_url() const;

  // alive_members() asks the agent (`serf members`) for the alive members.
  std::vector<std::string> alive_members();
  // wait_members() waits until the agent sees `count` alive members.
  bool wait_members(size_t count, double timeout_s);
  Process& process() { return *process_; }

 private:
  std::string node_;
  int bind_port_;
  int rpc_port_;
  std::optional<Process> process_;
};

}  // namespace aatest
