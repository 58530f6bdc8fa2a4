// node.cpp: see node.hpp.
#include "node.hpp"

#include "clock.hpp"
#include "log.hpp"
#include "output.hpp"

namespace asyncactor::client {

using asyncactor::Event;
using asyncactor::EventType;

namespace {

}  // namespace

Node::Node(asyncactor::EngineConfig config, Transport& transport,
           HookRunner& hooks, bool json)
    : engine_(std::move(config)),
      transport_(transport),
      hooks_(hooks),
      json_(json) {}

void Node::on_link_up() {
  if (started_) {
    // The broker (or agent) may have restarted and forgotten this node;
    // a node off the chain or not ready could stay silent for a long time.
    log_msg(LogLevel::kInfo, "link back; the engine carries on");
    engine_.announce(mono_now());
    return;
  }
  started_ = true;
  log_msg(LogLevel::kInfo, "starting as %s", engine_.name().c_str());
  engine_.start(mono_now());
}

void Node::on_link_down() {
  log_msg(LogLevel::kDebug, "link down; messages are dropped until it is back");
}

void Node::on_payload(std::string_view payload) {
  if (!started_) return;

  asyncactor::Time now = mono_now();
  if (payload.empty()) {
    drops_.note(kDropEmpty, payload, now);
    return;
  }
  asyncactor::DropReason why = engine_.receive(payload, now);
  if (why != asyncactor::DropReason::kNone)
    drops_.note(asyncactor::drop_reason_name(why), payload, now);
}

void Node::on_retained(std::string_view payload) {
  // A retained message is old news replayed by the broker, never a live
  // beacon: feeding it to the engine would resurrect a gone (or forged)
  // node at every start and reconnect.
  drops_.note(kDropRetained, payload, mono_now());
}

void Node::step(asyncactor::Time now) {
  if (!started_) return;

  engine_.advance(now);
  flush(now);
  drops_.flush(now);
}

asyncactor::Time Node::next_deadline() const {
  asyncactor::Time t = drops_.next_deadline();
  if (started_ && engine_.next_deadline() < t) t = engine_.next_deadline();
  return t;
}

void Node::flush(asyncactor::Time now) {
  while (auto message = engine_.pop_message())
    transport_.publish(asyncactor::encode(*message));
  while (auto event = engine_.pop_event()) report(*event, now);
}

void Node::report(const Event& event, asyncactor::Time now) {
  EventContext context{engine_.name(), engine_.value(),
                       wall_time_of(event.time, now)};
  print_event(json_, event, context);
  run_hook(event);
  if (event.type == EventType::kClash) on_clash(event);
}

void Node::run_hook(const Event& event) {
  HookRunner::Kind kind;
  if (event.type == EventType::kTag) {
    kind = HookRunner::kTag;
  } else if (event.type == EventType::kUntag) {
    kind = HookRunner::kUntag;
  } else if (event.type == EventType::kDetag) {
    kind = HookRunner::kDetag;
  } else {
    return;
  }
  hooks_.run(kind,
             {engine_.name(), value_text(engine_.value()), event.chain_full});
}

void Node::on_clash(const Event& event) {
  if (!event.must_yield) {
    log_msg(LogLevel::kWarn,
            "a newcomer tried to use the name %s too; it was told to yield",
            event.node.c_str());
    return;
  }
  log_msg(LogLevel::kError,
          "another node is already using the name %s; pick a unique --name",
          event.node.c_str());
  exit_code_ = kExitClash;
}

}  // namespace asyncactor::client
