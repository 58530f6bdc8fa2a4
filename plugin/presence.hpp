// presence.hpp: which broker client speaks for which node, so that a node
// can be reported offline the moment its connection drops.
//
// A client that publishes beacons for exactly one node name speaks for that
// node. Several clients may speak for one name at once (a node restarting
// before its old connection timed out, or a newcomer with a duplicate name
// that is about to be told to yield); the name stays spoken for until the
// last of them disconnects, whichever spoke last. A client that publishes
// for several names is a relay (a bridge, or a client forwarding for
// others): its names are remembered (up to kMaxRelayedNames) only so that
// they can all go offline when the relay disconnects. A node is:
//   - direct:  at least one connected client speaks for it: online;
//   - gone:    every client that spoke for it disconnected, no connected
//              relay has passed it on, and it has not been heard since:
//              offline;
//   - heard:   anything else (a relay, no client known): online while its
//              last message is recent (the caller decides what recent is).
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace asyncactor::plugin {

inline constexpr std::size_t kMaxRelayedNames = 256;

class Presence {
 public:
  enum class Link { kDirect, kGone, kHeard };

  // heard() notes that the client `client_id` published a message from
  // `node`.
  void heard(const std::string& client_id, const std::string& node);

  // disconnected() forgets `client_id` and returns the names that just went
  // offline because of it.
  std::vector<std::string> disconnected(const std::string& client_id);

  // link() says how `node` is known (see the file comment).
  Link link(const std::string& node) const;

 private:
  struct Client {
    std::string node;  // the one name, unless relay
    bool relay = false;
    std::unordered_set<std::string> relayed;  // relay only, capped
  };

  // untie() removes `client_id` from the speakers of `node`; true when it
  // was the last one.
  bool untie(const std::string& node, const std::string& client_id);

  // relayed() is true when a connected relay has passed on `node`.
  bool relayed(const std::string& node) const;

  using Ids = std::unordered_set<std::string>;
  std::unordered_map<std::string, Client> clients_;  // by client id
  std::unordered_map<std::string, Ids> speakers_;    // node -> client ids
  std::unordered_set<std::string> gone_;
};

}  // namespace asyncactor::plugin
