// serf_transport.hpp: the channel as a Serf user event, through the RPC
// port of a local Serf agent (serf agent -rpc-addr=127.0.0.1:7373).
//
// The node sends each message as a user event named after --topic, without
// coalescing, and streams user events of that name. Serf delivers a user
// event to its sender as well; the engine ignores those echoes. Serf refuses
// events whose name and payload exceed 512 bytes: such a message is logged
// as an error (and still offered to the agent, which may allow more).
//
// When the agent goes away, the transport reconnects after 0.5 s, doubling
// to 10 s. When the agent refuses the auth key (or wants one and got none)
// it gives up instead: see gave_up(). Closing the RPC connection never
// makes the agent leave its cluster.
#pragma once

#include <string>

#include "clock.hpp"
#include "serf_rpc.hpp"
#include "transport.hpp"

namespace asyncactor::client {

class SerfTransport : public Transport {
 public:
  struct Config {
    std::string host;
    int port = 7373;
    std::string event_name;
    std::string auth_key;  // empty: no auth request
  };

  // SerfTransport() prepares a connection; nothing happens before start().
  // `listener` must outlive it.
  SerfTransport(Config config, TransportListener& listener);
  ~SerfTransport() override;
  SerfTransport(const SerfTransport&) = delete;
  SerfTransport& operator=(const SerfTransport&) = delete;

  void start(asyncactor::Time now) override;
  void add_poll_fds(std::vector<pollfd>& fds) const override;
  [[nodiscard]] asyncactor::Time next_deadline() const override;
  void service(const std::vector<pollfd>& fds, asyncactor::Time now) override;
  void publish(std::string_view payload) override;
  [[nodiscard]] bool connected() const override;
  void stop() override;
  [[nodiscard]] bool gave_up() const override { return gave_up_; }

 private:
  // kConnecting: TCP connect under way; kOpening: RPC handshake sent.
  enum class State { kIdle, kWaiting, kConnecting, kOpening, kUp, kStopped };

  void attempt(asyncactor::Time now);
  void lost(asyncactor::Time now, const std::string& why);
  void close_socket();
  void finish_connect(asyncactor::Time now);
  void read_input(asyncactor::Time now);
  void handle(const SerfInput& in, asyncactor::Time now);
  [[nodiscard]] bool flush();

  Config config_;
  TransportListener& listener_;
  SerfRpc rpc_;
  int fd_ = -1;
  State state_ = State::kIdle;
  std::string out_;  // bytes not yet written
  Backoff backoff_{0.5, 10.0};
  asyncactor::Time retry_at_ = asyncactor::kNever;
  asyncactor::Time give_up_at_ = asyncactor::kNever;
  bool gave_up_ = false;  // the agent refused our auth key
};

}  // namespace asyncactor::client
