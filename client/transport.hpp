// transport.hpp: the broadcast channel, as the event loop sees it.
//
// A transport owns its sockets and its reconnect timers but never blocks:
// the loop asks which descriptors to poll and until when, then hands the
// poll results back.
//
//   transport->start(mono_now());
//   for (;;) {
//     std::vector<pollfd> fds;
//     transport->add_poll_fds(fds);
//     poll(fds, until min(transport->next_deadline(), ...));
//     transport->service(fds, mono_now());   // may call the listener
//     transport->publish(payload);           // dropped while down
//   }
//
// Implementations: MqttTransport (mqtt_transport.hpp) and SerfTransport
// (serf_transport.hpp).
#pragma once

#include <poll.h>

#include <string_view>
#include <vector>

#include "asyncactor/time.hpp"

namespace asyncactor::client {

// TransportListener receives what a transport has to report. Calls happen
// only from inside Transport::service().
class TransportListener {
 public:
  virtual ~TransportListener() = default;

  // on_link_up() reports that the channel works: subscribed and ready to
  // carry messages both ways. It is called again after each reconnect.
  virtual void on_link_up() = 0;

  // on_link_down() reports that an established link was lost; the transport
  // is already trying to reconnect.
  virtual void on_link_down() = 0;

  // on_payload() passes one message from the channel. Its bytes are only
  // valid during the call.
  virtual void on_payload(std::string_view payload) = 0;

  // on_retained() passes a message the broker marked as retained: a stored
  // copy, not something a peer just sent. It must not be used as one.
  virtual void on_retained(std::string_view payload) = 0;
};

class Transport {
 public:
  virtual ~Transport() = default;

  // start() begins connecting, without waiting for the outcome.
  virtual void start(asyncactor::Time now) = 0;

  // add_poll_fds() appends the descriptors to wait on, with their events.
  virtual void add_poll_fds(std::vector<pollfd>& fds) const = 0;

  // next_deadline() is when service() must run even if no descriptor is
  // ready (keep-alive, reconnect), or asyncactor::kNever.
  [[nodiscard]] virtual asyncactor::Time next_deadline() const = 0;

  // service() handles the descriptors that poll() marked ready (it finds its
  // own in `fds` by fd) and any timer due at `now`.
  virtual void service(const std::vector<pollfd>& fds,
                       asyncactor::Time now) = 0;

  // publish() sends one message. While the link is down the message is
  // dropped (logged at debug): the protocol copes with lost beacons, and a
  // stale beacon sent late would be worse than none.
  virtual void publish(std::string_view payload) = 0;

  // connected() is true between on_link_up() and on_link_down().
  [[nodiscard]] virtual bool connected() const = 0;

  // stop() disconnects cleanly, flushing what it can without blocking for
  // long. The transport does nothing afterwards.
  virtual void stop() = 0;

  // gave_up() is true once the transport has stopped for good because the
  // broker or agent refused this client in a way that retrying cannot fix
  // (bad credentials). The transport has logged why; the client exits
  // with kExitRefused.
  [[nodiscard]] virtual bool gave_up() const = 0;
};

// Exit status after the broker or agent refused the client's credentials.
inline constexpr int kExitRefused = 1;

// revents_for() returns the poll result for `fd` in `fds`, or 0.
[[nodiscard]] short revents_for(const std::vector<pollfd>& fds, int fd);

}  // namespace asyncactor::client
