// presence_table_test.cpp: the plugin's client-to-node table on its own,
// with scripted connects and disconnects (no broker).
#include <criterion/criterion.h>

#include "presence.hpp"

using asyncactor::plugin::Presence;

Test(presence_table, a_client_speaks_for_its_node_until_it_disconnects) {
  Presence p;
  p.heard("c1", "x");
  cr_expect(p.link("x") == Presence::Link::kDirect);
  auto offline = p.disconnected("c1");
  cr_expect(offline == std::vector<std::string>{"x"});
  cr_expect(p.link("x") == Presence::Link::kGone);
  p.heard("c2", "x");
  cr_expect(p.link("x") == Presence::Link::kDirect, "back with a message");
}

Test(presence_table, a_duplicate_leaving_first_leaves_the_name_online) {
  Presence p;
  p.heard("original", "x");
  p.heard("newcomer", "x");  // spoke last
  cr_expect(p.disconnected("newcomer").empty());
  cr_expect(p.link("x") == Presence::Link::kDirect,
            "the original is still connected");
  cr_expect(p.disconnected("original") == std::vector<std::string>{"x"});
  cr_expect(p.link("x") == Presence::Link::kGone);
}

Test(presence_table, the_original_leaving_first_leaves_the_name_online) {
  Presence p;
  p.heard("original", "x");
  p.heard("newcomer", "x");
  p.heard("original", "x");
  cr_expect(p.disconnected("original").empty());
  cr_expect(p.link("x") == Presence::Link::kDirect);
  cr_expect(p.disconnected("newcomer") == std::vector<std::string>{"x"});
}

Test(presence_table, a_relay_takes_its_names_offline_unless_spoken_for) {
  Presence p;
  p.heard("bridge", "y");
  p.heard("bridge", "z");
  cr_expect(p.link("y") == Presence::Link::kHeard, "relayed: by age");
  p.heard("direct", "z");
  cr_expect(p.link("z") == Presence::Link::kDirect);
  cr_expect(p.disconnected("bridge") == std::vector<std::string>{"y"});
  cr_expect(p.link("y") == Presence::Link::kGone);
  cr_expect(p.link("z") == Presence::Link::kDirect);
}

Test(presence_table, a_client_that_turns_relay_no_longer_speaks_directly) {
  Presence p;
  p.heard("c", "a");
  p.heard("other", "a");
  p.heard("c", "b");  // c relays now
  cr_expect(p.link("a") == Presence::Link::kDirect, "other still speaks");
  cr_expect(p.disconnected("other").empty(), "c still passes a on");
  cr_expect(p.link("a") == Presence::Link::kHeard, "only relayed now");
  cr_expect(p.disconnected("c").size() == 2);
}
