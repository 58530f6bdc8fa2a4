// presence.cpp: client-to-node bookkeeping; see presence.hpp.
#include "presence.hpp"

namespace asyncactor::plugin {

bool Presence::untie(const std::string& node, const std::string& client_id) {
  auto it = speakers_.find(node);
  if (it == speakers_.end() || it->second.erase(client_id) == 0) return false;
  if (!it->second.empty()) return false;
  speakers_.erase(it);
  return true;
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
    speakers_[node].insert(client_id);
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

  Client client = std::move(it->second);
  clients_.erase(it);
  if (!client.relay && untie(client.node, client_id) &&
      !relayed(client.node)) {
    gone_.insert(client.node);
    offline.push_back(client.node);
  }
  for (const auto& node : client.relayed) {
    if (speakers_.count(node) || relayed(node)) continue;
    gone_.insert(node);
    offline.push_back(node);
  }
  return offline;
}

bool Presence::relayed(const std::string& node) const {
  for (const auto& entry : clients_)
    if (entry.second.relay && entry.second.relayed.count(node)) return true;
  return false;
}

Presence::Link Presence::link(const std::string& node) const {
  if (speakers_.count(node)) return Link::kDirect;
  if (gone_.count(node)) return Link::kGone;
  return Link::kHeard;
}

}  // namespace asyncactor::plugin
