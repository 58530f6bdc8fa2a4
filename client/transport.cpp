// transport.cpp: see transport.hpp.
#include "transport.hpp"

namespace asyncactor::client {

short revents_for(const std::vector<pollfd>& fds, int fd) {
  for (const pollfd& p : fds)
    if (p.fd == fd) return p.revents;
  return 0;
}

}  // namespace asyncactor::client
