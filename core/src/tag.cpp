// tag.cpp: the tag state machine of PROTOCOL 5.4. Every change of
// Engine::State::tag happens in drive_tag() or the two helpers it calls.
#include "engine_internal.hpp"

namespace asyncactor {

using detail::TagInput;
using detail::Timer;

// drive_tag() moves the tag state on one input:
//   idle    --beacon sent-->  pending (tag start armed at S + G)
//   pending --G elapsed-->    tagged, unless not ready or already stale
//   pending --beaten/stop-->  idle, silently (no tag was announced)
//   tagged  --period over-->  idle, kUntag
//   tagged  --beaten/stop-->  idle, kDetag
//   tagged  --beacon sent-->  kUntag, then pending again
void Engine::State::drive_tag(TagInput input, Time now) {
  switch (tag) {
    case TagState::kIdle:
      if (input != TagInput::kBeaconSent) break;
      tag = TagState::kPending;
      tag_sent = now;
      arm(Timer::kTagStart, now + config.setup.gap);
      break;
    case TagState::kPending:
      if (input == TagInput::kGapElapsed) {
        become_tagged(now);
      } else if (input == TagInput::kBeaten || input == TagInput::kStop) {
        tag = TagState::kIdle;
        cancel(Timer::kTagStart);
      } else if (input == TagInput::kBeaconSent) {
        tag_sent = now;
        arm(Timer::kTagStart, now + config.setup.gap);
      }
      break;
    case TagState::kTagged:
      if (input == TagInput::kPeriodOver) {
        become_idle(EventType::kUntag, now);
      } else if (input == TagInput::kBeaten || input == TagInput::kStop) {
        become_idle(EventType::kDetag, now);
      } else if (input == TagInput::kBeaconSent) {
        become_idle(EventType::kUntag, now);
        drive_tag(TagInput::kBeaconSent, now);
      }
      break;
  }
}

// drop_stale_tag() ends a tag whose time has passed, before anything else
// happens: after a suspension the node must not act on an old tag.
void Engine::State::drop_stale_tag(Time now) {
  if (tag == TagState::kIdle || now < tag_end()) return;
  drive_tag(tag == TagState::kTagged ? TagInput::kPeriodOver
                                     : TagInput::kGapElapsed,
            now);
}

// tag_end() is S + C + G/2 - slack: late timers never stretch a tag into
// the next one.
Time Engine::State::tag_end() const {
  const Setup& s = config.setup;
  return tag_sent + s.cycle + s.gap / 2 - config.slack;
}

void Engine::State::become_tagged(Time now) {
  cancel(Timer::kTagStart);
  if (config.value.is_null() || now >= tag_end()) {
    tag = TagState::kIdle;
    return;
  }
  tag = TagState::kTagged;
  arm(Timer::kTagEnd, tag_end());

  Event& e = emit(EventType::kTag, now);
  e.node = config.name;
  e.value = nodes[config.name].value;
  e.chain_full =
      history.size() >= static_cast<std::size_t>(config.setup.nodes);
}

void Engine::State::become_idle(EventType report, Time now) {
  tag = TagState::kIdle;
  cancel(Timer::kTagStart);
  cancel(Timer::kTagEnd);
  emit(report, now).node = config.name;
}

}  // namespace asyncactor
