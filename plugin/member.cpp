// member.cpp: the engine glue; see member.hpp.
#include "member.hpp"

#include <mosquitto.h>
#include <mosquitto_broker.h>

#include "broker_io.hpp"

namespace asyncactor::plugin {

namespace {

const char* yes_no(bool b) { return b ? "true" : "false"; }

std::string client_id_of(const mosquitto* client) {
  const char* id = client ? mosquitto_client_id(client) : nullptr;
  return id ? id : "";
}

}  // namespace

Member::Member(PluginOptions options)
    : options_(std::move(options)),
      engine_(options_.engine),
      drops_(printable(options_.engine.name)),
      status_(options_.topic, options_.engine.name) {}

void Member::start() {
  Time now = mono_now();
  const Setup& s = options_.engine.setup;
  mosquitto_log_printf(
      MOSQ_LOG_INFO,
      "asyncactor: start node=%s topic=%s value=%s enabled=%s version=%lld "
      "cycle=%g gap=%g nodes=%d splits=%d n_hosts=%d force_in=%s",
      printable(engine_.name()).c_str(), options_.topic.c_str(),
      value_text(engine_.value()).c_str(), yes_no(engine_.enabled()),
      static_cast<long long>(s.version), s.cycle, s.gap, s.nodes, s.splits,
      s.n_hosts, yes_no(s.force_in));
  last_tick_ = now;
  // A retained message kept from before (persistence) must not be replayed
  // to joining nodes either: clear it, silently, before anyone subscribes.
  clear_retained();
  status_.set_start_time(now);
  engine_.start(now);
  pump(now, true);
}

void Member::on_message(const mosquitto_evt_message& message) {
  if (!message.topic || options_.topic != message.topic) return;

  Time now = mono_now();
  check_ticks(now);
  std::string_view payload;
  if (message.payload && message.payloadlen > 0)
    payload = std::string_view(static_cast<const char*>(message.payload),
                               message.payloadlen);
  std::string client_id = client_id_of(message.client);
  // Still a live beacon now; only the stored copy is unwanted. An empty
  // retained message deletes the stored one and is no beacon at all.
  if (message.retain && !payload.empty())
    retained_seen(client_id, message.qos, now);
  receive(client_id, payload, now);
  if (now >= engine_.next_deadline()) engine_.advance(now);
  if (watcher_ && now >= watcher_->next_deadline()) watcher_->advance(now);
  pump(now, false);
}

void Member::receive(const std::string& client_id, std::string_view payload,
                     Time now) {
  DecodeResult decoded = decode(payload);
  if (!decoded.ok()) {
    drops_.note(decoded.error, client_id, now);
    return;
  }
  DropReason why = engine_.receive(decoded.message, now);
  if (why != DropReason::kNone) {
    drops_.note(why, client_id, now);
    return;
  }

  const Message& m = decoded.message;
  if (watcher_) (void)watcher_->receive(m, now);
  if (m.type != MessageType::kHist && m.node != engine_.name())
    presence_.heard(client_id, m.node);
}

void Member::on_tick() {
  Time now = mono_now();
  last_tick_ = now;
  if (now >= engine_.next_deadline()) engine_.advance(now);
  if (watcher_ && now >= watcher_->next_deadline()) watcher_->advance(now);
  pump(now, false);
  drops_.flush(now);
  if (now >= reclear_at_) {
    reclear_at_ = kNever;
    clear_retained();
  }
  if (retained_unlogged_ > 0 &&
      now - retained_logged_at_ >= kDropLogInterval)
    log_retained(now);
}

void Member::on_disconnect(const mosquitto_evt_disconnect& disconnect) {
  std::string client_id = client_id_of(disconnect.client);
  std::vector<std::string> offline = presence_.disconnected(client_id);
  if (offline.empty()) return;

  Time now = mono_now();
  mosquitto_log_printf(
      MOSQ_LOG_INFO, "asyncactor: offline nodes=%s client=%s observer=%s",
      names_text(offline).c_str(), printable(client_id).c_str(),
      printable(engine_.name()).c_str());
  const auto& leader = status_.leader();
  for (const auto& node : offline) {
    if (leader && *leader == node) {
      leader_cleared("offline", now);
      break;
    }
  }
  pump(now, true);
}

void Member::on_reload() {
  mosquitto_log_printf(MOSQ_LOG_INFO,
                       "asyncactor: reload node=%s options=unchanged "
                       "(plugin options are read only at start)",
                       printable(engine_.name()).c_str());
}

void Member::pump(Time now, bool force_topology) {
  while (auto message = engine_.pop_message())
    publish(options_.topic, encode(*message), false);
  while (auto event = engine_.pop_event()) handle(*event);
  check_clash(now);
  pump_watcher();
  status_.publish_topology(engine_, presence_, now, force_topology);
}

void Member::leader_named(const std::string& node, const Value& value,
                          Time at) {
  // Its tag starts a gap after its beacon: the client may be gone by then.
  if (presence_.link(node) == Presence::Link::kGone) {
    leader_cleared("offline", at);
    return;
  }
  if (!status_.set_leader(node, value, at)) return;
  mosquitto_log_printf(MOSQ_LOG_INFO,
                       "asyncactor: leader node=%s value=%s observer=%s",
                       printable(node).c_str(), value_text(value).c_str(),
                       printable(engine_.name()).c_str());
}

void Member::leader_cleared(const char* reason, Time at) {
  if (!status_.clear_leader(at)) return;
  mosquitto_log_printf(MOSQ_LOG_INFO,
                       "asyncactor: leader node=null reason=%s observer=%s",
                       reason, printable(engine_.name()).c_str());
}

// check_clash() starts the watcher when the broker begins to give way and
// drops it when the clash is over.
void Member::check_clash(Time now) {
  bool clashing = engine_.clashing();
  if (clashing && !was_clashing_) {
    EngineConfig config = options_.engine;
    config.name = kWatcherName;
    config.enabled = false;
    config.raw = false;
    config.setup = engine_.setup();
    watcher_.emplace(std::move(config));
    watcher_->start(now);
  }
  if (was_clashing_ && !clashing) {
    watcher_.reset();
    mosquitto_log_printf(MOSQ_LOG_INFO,
                         "asyncactor: clash_end node=%s taking part again",
                         printable(engine_.name()).c_str());
  }
  was_clashing_ = clashing;
}

// pump_watcher() takes from the watcher the two reports that concern the
// leader topic; the broker's own engine reports the rest.
void Member::pump_watcher() {
  if (!watcher_) return;
  while (watcher_->pop_message()) {
  }  // passive: nothing to send
  while (auto event = watcher_->pop_event()) {
    if (event->type == EventType::kPing) {
      leader_named(event->node, event->value, event->time);
    } else if (event->type == EventType::kIsolated) {
      leader_cleared("isolated", event->time);
    }
  }
}

// retained_seen() handles a client PUBLISH on the group topic with the
// retain flag: the broker would store it and replay it to every node that
// joins as if it were live, resurrecting a gone (or forged) node each time.
void Member::retained_seen(const std::string& client_id, int qos,
                           Time now) {
  ++retained_total_;
  ++retained_unlogged_;
  retained_client_ = printable(client_id);
  clear_retained();
  if (qos == 2) reclear_at_ = now + kReclearDelay;
  if (now - retained_logged_at_ >= kDropLogInterval) log_retained(now);
}

// clear_retained() deletes the retained message on the group topic: an
// empty retained publish, queued by the broker after the message that is
// being handled, so it lands after that message was stored.
void Member::clear_retained() {
  (void)publish(options_.topic, std::string_view(), true);
}

void Member::log_retained(Time now) {
  mosquitto_log_printf(
      MOSQ_LOG_WARNING,
      "asyncactor: retained message on the group topic topic=%s count=%llu "
      "total=%llu client=%s observer=%s: beacons must not be retained; the "
      "plugin cleared it so that joining nodes do not replay it",
      options_.topic.c_str(),
      static_cast<unsigned long long>(retained_unlogged_),
      static_cast<unsigned long long>(retained_total_),
      retained_client_.empty() ? "-" : retained_client_.c_str(),
      printable(engine_.name()).c_str());
  retained_unlogged_ = 0;
  retained_logged_at_ = now;
}

void Member::check_ticks(Time now) {
  if (warned_no_ticks_ || now - last_tick_ <= kTickSilence) return;
  warned_no_ticks_ = true;
  mosquitto_log_printf(
      MOSQ_LOG_WARNING,
      "asyncactor: no broker tick for %.1f s: the plugin cannot keep time "
      "and beacons only when messages arrive. per_listener_settings true "
      "stops ticks in mosquitto 2.0.11; set it to false",
      now - last_tick_);
}

}  // namespace asyncactor::plugin
