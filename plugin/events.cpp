// events.cpp: what the plugin does with each engine event. Leadership goes
// to the status topics; everything else becomes one key=value log line.
#include <mosquitto.h>
#include <mosquitto_broker.h>

#include "broker_io.hpp"
#include "member.hpp"

namespace asyncactor::plugin {

namespace {

const char* yes_no(bool b) { return b ? "true" : "false"; }

void log_setup(const Setup& s, const std::string& observer) {
  mosquitto_log_printf(
      MOSQ_LOG_INFO,
      "asyncactor: setup version=%lld cycle=%g gap=%g nodes=%d splits=%d "
      "n_hosts=%d force_in=%s observer=%s",
      static_cast<long long>(s.version), s.cycle, s.gap, s.nodes, s.splits,
      s.n_hosts, yes_no(s.force_in), observer.c_str());
}

void log_clash(const Event& e, const std::string& observer) {
  mosquitto_log_printf(
      MOSQ_LOG_WARNING,
      "asyncactor: clash node=%s must_yield=%s observer=%s: another node "
      "uses this name; %s",
      printable(e.node).c_str(), yes_no(e.must_yield), observer.c_str(),
      e.must_yield ? "the plugin stops taking part until the clash ends"
                   : "the newcomer was told to give way");
}

void log_recover(const Event& e, const std::string& observer) {
  mosquitto_log_printf(
      MOSQ_LOG_INFO,
      "asyncactor: recover priority=%d replaced=%s local=%s remote=%s "
      "observer=%s",
      e.priority, yes_no(e.replaced), names_text(e.local).c_str(),
      names_text(e.remote).c_str(), observer.c_str());
}

}  // namespace

void Member::handle(const Event& event) {
  std::string observer = printable(engine_.name());
  switch (event.type) {
    case EventType::kTag:
      leader_named(engine_.name(), event.value, event.time);
      break;
    case EventType::kPing:
      leader_named(event.node, event.value, event.time);
      break;
    case EventType::kUntag:  // the leader stays named until replaced
    case EventType::kRaw:
      break;
    case EventType::kDetag:
      mosquitto_log_printf(MOSQ_LOG_INFO, "asyncactor: detag observer=%s",
                           observer.c_str());
      break;
    case EventType::kRecover:
      log_recover(event, observer);
      break;
    case EventType::kGoodNode:
      mosquitto_log_printf(MOSQ_LOG_INFO,
                           "asyncactor: good_node nodes=%s observer=%s",
                           names_text(event.nodes).c_str(), observer.c_str());
      break;
    case EventType::kSetup:
      log_setup(event.setup, observer);
      break;
    case EventType::kClash:
      log_clash(event, observer);
      break;
    case EventType::kIsolated:
      mosquitto_log_printf(MOSQ_LOG_INFO, "asyncactor: isolated observer=%s",
                           observer.c_str());
      if (status_.leader() && *status_.leader() != engine_.name())
        leader_cleared("isolated", event.time);
      break;
    case EventType::kConnected:
      mosquitto_log_printf(MOSQ_LOG_INFO, "asyncactor: connected observer=%s",
                           observer.c_str());
      break;
  }
}

}  // namespace asyncactor::plugin
