// mqtt_transport.cpp: see mqtt_transport.hpp.
#include "mqtt_transport.hpp"

#include <mqtt_protocol.h>

#include <cstring>

#include "log.hpp"

namespace asyncactor::client {

namespace {

constexpr int kKeepAliveS = 10;
constexpr double kConnectTimeoutS = 5.0;
constexpr double kMiscIntervalS = 1.0;

}  // namespace

MqttTransport::MqttTransport(Config config, TransportListener& listener)
    : config_(std::move(config)), listener_(listener) {
  mosq_ = mosquitto_new(config_.client_id.c_str(), true, this);
  if (mosq_ == nullptr) return;  // start() reports it

  mosquitto_int_option(mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  mosquitto_connect_v5_callback_set(mosq_, &MqttTransport::on_connect);
  mosquitto_subscribe_v5_callback_set(mosq_, &MqttTransport::on_subscribe);
  mosquitto_message_v5_callback_set(mosq_, &MqttTransport::on_message);
  apply_login_and_tls();
}

// apply_login_and_tls() hands the user name, password and TLS files to
// libmosquitto; a failure is kept in setup_error_ for start() to report.
void MqttTransport::apply_login_and_tls() {
  int rc = MOSQ_ERR_SUCCESS;
  if (!config_.username.empty()) {
    const char* pw = config_.password ? config_.password->c_str() : nullptr;
    rc = mosquitto_username_pw_set(mosq_, config_.username.c_str(), pw);
    if (rc != MOSQ_ERR_SUCCESS) {
      setup_error_ = std::string("user name: ") + mosquitto_strerror(rc);
      return;
    }
  }
  if (!config_.tls) return;

  auto opt = [](const std::string& s) {
    return s.empty() ? nullptr : s.c_str();
  };
  if (config_.cafile.empty())
    rc = mosquitto_int_option(mosq_, MOSQ_OPT_TLS_USE_OS_CERTS, 1);
  if (rc == MOSQ_ERR_SUCCESS && !config_.cafile.empty())
    rc = mosquitto_tls_set(mosq_, opt(config_.cafile), nullptr,
                           opt(config_.certfile), opt(config_.keyfile),
                           nullptr);
  else if (rc == MOSQ_ERR_SUCCESS && !config_.certfile.empty())
    rc = mosquitto_tls_set(mosq_, nullptr, "/etc/ssl/certs",
                           opt(config_.certfile), opt(config_.keyfile),
                           nullptr);
  if (rc != MOSQ_ERR_SUCCESS)
    setup_error_ = std::string("TLS: ") + mosquitto_strerror(rc);
}

const char* MqttTransport::scheme() const {
  return config_.tls ? "mqtts" : "mqtt";
}

MqttTransport::~MqttTransport() {
  if (mosq_ != nullptr) mosquitto_destroy(mosq_);
}

bool MqttTransport::valid_topic(const std::string& topic) {
  return mosquitto_pub_topic_check(topic.c_str()) == MOSQ_ERR_SUCCESS;
}

void MqttTransport::start(asyncactor::Time now) {
  if (mosq_ == nullptr) {
    log_msg(LogLevel::kError, "cannot create an MQTT client");
    state_ = State::kStopped;
    return;
  }
  if (!setup_error_.empty()) {
    log_msg(LogLevel::kError, "cannot set up the MQTT client: %s",
            setup_error_.c_str());
    state_ = State::kStopped;
    gave_up_ = true;
    return;
  }
  log_msg(LogLevel::kInfo, "connecting to %s://%s:%d topic=%s%s%s",
          scheme(), config_.host.c_str(), config_.port,
          config_.topic.c_str(), config_.username.empty() ? "" : " user=",
          config_.username.c_str());
  attempt(now);
}

// attempt() opens a new connection (closing any old socket); the CONNACK
// and SUBACK arrive later through service().
void MqttTransport::attempt(asyncactor::Time now) {
  failure_.clear();
  refused_ = false;
  int rc = mosquitto_connect_async(mosq_, config_.host.c_str(), config_.port,
                                   kKeepAliveS);
  if (rc != MOSQ_ERR_SUCCESS) {
    std::string why =
        rc == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(rc);
    lost(now, why);
    return;
  }
  state_ = State::kConnecting;
  retry_at_ = asyncactor::kNever;
  misc_at_ = now + kMiscIntervalS;
  give_up_at_ = now + kConnectTimeoutS;
}

// lost() drops the link and schedules the next attempt. The socket stays
// open until then but is no longer polled.
void MqttTransport::lost(asyncactor::Time now, const std::string& why) {
  bool was_up = state_ == State::kUp;
  state_ = State::kWaiting;
  double delay = backoff_.next();
  retry_at_ = now + delay;
  misc_at_ = asyncactor::kNever;
  give_up_at_ = asyncactor::kNever;
  log_msg(was_up ? LogLevel::kWarn : LogLevel::kInfo,
          "%s %s://%s:%d: %s; retrying in %.1f s",
          was_up ? "lost connection to" : "cannot connect to", scheme(),
          config_.host.c_str(), config_.port, why.c_str(), delay);
  if (was_up) listener_.on_link_down();
}

void MqttTransport::add_poll_fds(std::vector<pollfd>& fds) const {
  if (state_ != State::kConnecting && state_ != State::kUp) return;

  int sock = mosquitto_socket(mosq_);
  if (sock < 0) return;
  short events = POLLIN;
  if (mosquitto_want_write(mosq_)) events |= POLLOUT;
  fds.push_back(pollfd{sock, events, 0});
}

asyncactor::Time MqttTransport::next_deadline() const {
  asyncactor::Time t = retry_at_ < misc_at_ ? retry_at_ : misc_at_;
  return t < give_up_at_ ? t : give_up_at_;
}

void MqttTransport::service(const std::vector<pollfd>& fds,
                            asyncactor::Time now) {
  if (state_ == State::kWaiting && now >= retry_at_) attempt(now);
  if (state_ != State::kConnecting && state_ != State::kUp) return;

  handle_socket(revents_for(fds, mosquitto_socket(mosq_)), now);
  if (state_ == State::kConnecting && now >= give_up_at_)
    lost(now, "no answer from the broker");
}

// handle_socket() reads, writes and keeps the connection alive; callbacks
// run inside and may ask for the link to be dropped via failure_.
void MqttTransport::handle_socket(short revents, asyncactor::Time now) {
  int rc = MOSQ_ERR_SUCCESS;
  if (revents & (POLLIN | POLLERR | POLLHUP))
    rc = mosquitto_loop_read(mosq_, 1);
  if (rc == MOSQ_ERR_SUCCESS && (revents & POLLOUT))
    rc = mosquitto_loop_write(mosq_, 1);
  if (rc == MOSQ_ERR_SUCCESS && now >= misc_at_) {
    rc = mosquitto_loop_misc(mosq_);
    misc_at_ = now + kMiscIntervalS;
  }
  if (refused_) {  // checked first: the read that saw it fails too
    log_msg(LogLevel::kError,
            "the broker at %s://%s:%d refused the login (%s): check "
            "--username and the password; not retrying",
            scheme(), config_.host.c_str(), config_.port, failure_.c_str());
    stop();
    gave_up_ = true;
  } else if (rc != MOSQ_ERR_SUCCESS) {
    lost(now,
         rc == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(rc));
  } else if (!failure_.empty()) {
    lost(now, failure_);
  }
}

// become_up() marks the link usable once the subscription is granted.
void MqttTransport::become_up() {
  state_ = State::kUp;
  give_up_at_ = asyncactor::kNever;
  backoff_.reset();
  log_msg(LogLevel::kInfo, "connected to %s://%s:%d", scheme(),
          config_.host.c_str(), config_.port);
  listener_.on_link_up();
}

void MqttTransport::on_connect(mosquitto* m, void* self, int rc, int,
                               const mosquitto_property*) {
  auto* t = static_cast<MqttTransport*>(self);
  if (rc != 0) {
    // A refused login does not get better by retrying with it.
    t->refused_ = rc == MQTT_RC_BAD_USERNAME_OR_PASSWORD ||
                  rc == MQTT_RC_NOT_AUTHORIZED;
    t->failure_ = t->refused_ ? mosquitto_reason_string(rc)
                              : std::string("broker refused: ") +
                                    mosquitto_reason_string(rc);
    return;
  }
  // Never send retained: a retained copy on the topic is an old (or
  // forged) beacon, and replaying it to each joiner would fake a live node.
  int sub = mosquitto_subscribe_v5(
      m, nullptr, t->config_.topic.c_str(), 1,
      MQTT_SUB_OPT_NO_LOCAL | MQTT_SUB_OPT_SEND_RETAIN_NEVER, nullptr);
  if (sub != MOSQ_ERR_SUCCESS)
    t->failure_ = std::string("subscribe: ") + mosquitto_strerror(sub);
}

void MqttTransport::on_subscribe(mosquitto*, void* self, int, int count,
                                 const int* granted,
                                 const mosquitto_property*) {
  auto* t = static_cast<MqttTransport*>(self);
  if (count < 1 || granted[0] >= 0x80) {
    t->failure_ = "the broker refused the subscription to " + t->config_.topic;
    return;
  }
  if (t->state_ == State::kConnecting) t->become_up();
}

void MqttTransport::on_message(mosquitto*, void* self,
                               const mosquitto_message* msg,
                               const mosquitto_property*) {
  auto* t = static_cast<MqttTransport*>(self);
  if (t->state_ != State::kUp) return;
  std::string_view payload;
  if (msg->payload != nullptr && msg->payloadlen > 0)
    payload = std::string_view(static_cast<const char*>(msg->payload),
                               static_cast<std::size_t>(msg->payloadlen));
  // Belt and braces: a broker that ignores the retain handling option still
  // marks the stored copies it sends.
  if (msg->retain)
    t->listener_.on_retained(payload);
  else
    t->listener_.on_payload(payload);
}

void MqttTransport::publish(std::string_view payload) {
  if (state_ != State::kUp) {
    log_msg(LogLevel::kDebug, "not connected; dropped %.*s",
            static_cast<int>(payload.size()), payload.data());
    return;
  }
  int rc = mosquitto_publish_v5(mosq_, nullptr, config_.topic.c_str(),
                                static_cast<int>(payload.size()),
                                payload.data(), 1, false, nullptr);
  if (rc != MOSQ_ERR_SUCCESS)
    log_msg(LogLevel::kWarn, "publish failed: %s", mosquitto_strerror(rc));
}

bool MqttTransport::connected() const { return state_ == State::kUp; }

void MqttTransport::stop() {
  if (state_ == State::kUp || state_ == State::kConnecting) {
    mosquitto_disconnect_v5(mosq_, MQTT_RC_NORMAL_DISCONNECTION, nullptr);
    if (mosquitto_want_write(mosq_)) (void)mosquitto_loop_write(mosq_, 1);
  }
  state_ = State::kStopped;
  retry_at_ = misc_at_ = give_up_at_ = asyncactor::kNever;
}

}  // namespace asyncactor::client
