// presence.cpp: client-to-node bookkeeping; see presence.hpp.
#include "presence.hpp"

namespace asyncactor::plugin {

void Presence::tie(const std::string& node, const std::string& client_id) {
  speaker_[node] = client_id;
  gone_.erase(node);
}

void Presence::untie(const std::string& node, const std::string& client_id) {
  auto it = speaker_.find(node);
  if (it != speaker_.end() && it->second == client_id) speaker_.erase(it);
}

void Presence::heard(const std::string& client_id, const std::string& node) {
  Client& client = clients_[client_id];
  gone_.erase(node);
  if (client.relay) {
    if (client.relayed.size() < kMaxRelayedNames) client.relayed.insert(node);
    return;
  }
  if (client.node.empty() || client.node == node) {
    client.node = node;
    tie(node, client_id);
    return;
  }

  // A second name from the same client: it relays for others.
  untie(client.node, client_id);
  client.relay = true;
  client.relayed.insert(client.node);
  client.relayed.insert(node);
  client.node.clear();
}

std::vector<std::string> Presence::disconnected(const std::string& client_id) {
  std::vector<std::string> offline;
  auto it = clients_.find(client_id);
  if (it == clients_.end()) return offline;

  Client& client = it->second;
  if (!client.relay) {
    auto sp = speaker_.find(client.node);
    if (sp != speaker_.end() && sp->second == client_id) {
      speaker_.erase(sp);
      gone_.insert(client.node);
      offline.push_back(client.node);
    }
  }
  for (const auto& node : client.relayed) {
    if (speaker_.count(node)) continue;  // now spoken for directly
    gone_.insert(node);
    offline.push_back(node);
  }
  clients_.erase(it);
  return offline;
}

Presence::Link Presence::link(const std::string& node) const {
  if (speaker_.count(node)) return Link::kDirect;
  if (gone_.count(node)) return Link::kGone;
  return Link::kHeard;
}

}  // namespace asyncactor::plugin
