// mqtt_transport.hpp: the channel as one MQTT v5 topic (libmosquitto).
//
// The node subscribes to the topic with QoS 1, "no local", so it never
// hears its own messages, and retain handling "never send", so the broker
// does not replay a retained message on the topic as if it were a beacon;
// a message that still arrives marked retained goes to on_retained(), not
// on_payload(). It publishes with QoS 1, never retained (PROTOCOL 2).
// The session is clean; the client id is "asyncactor-NAME-PID", unique per
// process, so that two processes given the same --name both stay connected
// and the engine can detect the clash (a shared client id would make the
// broker throw them out in turn).
//
// When the broker goes away the transport reconnects after 0.5 s, doubling
// to 10 s, and resubscribes; the engine keeps running meanwhile. A broker
// that refuses the login (bad user name or password, not authorized) is not
// retried: the transport gives up (see gave_up()).
//
// With a user name the client logs in (the password is optional in MQTT);
// with tls it speaks TLS, trusting `cafile` or else the system's CAs, and
// presents a client certificate when given one.
#pragma once

#include <mosquitto.h>

#include <optional>
#include <string>

#include "clock.hpp"
#include "transport.hpp"

namespace asyncactor::client {

class MqttTransport : public Transport {
 public:
  struct Config {
    std::string host;
    int port = 1883;
    std::string topic;
    std::string client_id;
    std::string username;                 // empty: no login
    std::optional<std::string> password;  // only with a username
    bool tls = false;
    std::string cafile;    // empty: trust the system's CAs
    std::string certfile;  // client certificate and key, both or neither
    std::string keyfile;
  };

  // MqttTransport() prepares a client; nothing happens before start().
  // mosquitto_lib_init() must have been called. `listener` must outlive it.
  MqttTransport(Config config, TransportListener& listener);
  ~MqttTransport() override;
  MqttTransport(const MqttTransport&) = delete;
  MqttTransport& operator=(const MqttTransport&) = delete;

  // valid_topic() is true when `topic` can be published to (no wildcards).
  [[nodiscard]] static bool valid_topic(const std::string& topic);

  void start(asyncactor::Time now) override;
  void add_poll_fds(std::vector<pollfd>& fds) const override;
  [[nodiscard]] asyncactor::Time next_deadline() const override;
  void service(const std::vector<pollfd>& fds, asyncactor::Time now) override;
  void publish(std::string_view payload) override;
  [[nodiscard]] bool connected() const override;
  void stop() override;
  [[nodiscard]] bool gave_up() const override { return gave_up_; }

 private:
  // kWaiting: before a retry; kConnecting: socket open, no SUBACK yet.
  enum class State { kIdle, kWaiting, kConnecting, kUp, kStopped };

  void attempt(asyncactor::Time now);
  void lost(asyncactor::Time now, const std::string& why);
  void handle_socket(short revents, asyncactor::Time now);
  void become_up();
  void apply_login_and_tls();
  [[nodiscard]] const char* scheme() const;

  static void on_connect(mosquitto* m, void* self, int rc, int flags,
                         const mosquitto_property* props);
  static void on_subscribe(mosquitto* m, void* self, int mid, int count,
                           const int* granted, const mosquitto_property* props);
  static void on_message(mosquitto* m, void* self, const mosquitto_message* msg,
                         const mosquitto_property* props);

  Config config_;
  TransportListener& listener_;
  mosquitto* mosq_ = nullptr;
  State state_ = State::kIdle;
  Backoff backoff_{0.5, 10.0};
  asyncactor::Time retry_at_ = asyncactor::kNever;
  asyncactor::Time misc_at_ = asyncactor::kNever;
  asyncactor::Time give_up_at_ = asyncactor::kNever;
  std::string failure_;  // set by callbacks: why the link must be dropped
  std::string setup_error_;  // the constructor could not apply the config
  bool refused_ = false;     // the broker refused the login (CONNACK)
  bool gave_up_ = false;
};

}  // namespace asyncactor::client
