// presence.hpp: which broker client speaks for which node, so that a node
// can be reported offline the moment its connection drops.
//
// A client that publishes beacons for exactly one node name speaks for that
// node. A client that publishes for several names is a relay (a bridge, or a
// client forwarding for others): its names are remembered (up to
// kMaxRelayedNames) only so that they can all go offline when the relay
// disconnects. A node is:
//   - direct:  a connected client speaks for it: online;
//   - gone:    the client that spoke for it disconnected and it has not been
//              heard since: offline;
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

  void tie(const std::string& node, const std::string& client_id);
  void untie(const std::string& node, const std::string& client_id);

  std::unordered_map<std::string, Client> clients_;       // by client id
  std::unordered_map<std::string, std::string> speaker_;  // node -> client
  std::unordered_set<std::string> gone_;
};

}  // namespace asyncactor::plugin
