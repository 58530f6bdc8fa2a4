// serf_test.cpp: asyncactor-client through real Serf agents on loopback,
// one client per agent.
#include <criterion/criterion.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "client_util.hpp"

using aatest::Process;
using aatest::SerfAgent;
using namespace clienttest;

Test(serf, tags_rotate_among_three_clients_on_three_agents) {
  SerfAgent s0("s0");
  SerfAgent s1("s1", s0.bind_port());
  SerfAgent s2("s2", s0.bind_port());
  cr_assert(s0.wait_members(3, 10.0), "the agents did not form a cluster");

  std::map<std::string, std::unique_ptr<Process>> clients;
  int value = 1;
  for (SerfAgent* agent : {&s0, &s1, &s2}) {
    std::string name = "n" + agent->node();
    clients[name] = std::make_unique<Process>(Process::spawn(client_args(
        {"--transport", agent->rpc_url()}, name,
        {"--value", std::to_string(value++), "--topic", "aa-test"})));
  }

  std::map<std::string, int> tags;
  std::string log;
  double end = aatest::now_s() + 10 * kCycle;
  while (aatest::now_s() < end && tags.size() < 3) {
    for (auto& [name, proc] : clients) {
      for (const std::string& text : proc->poll_lines()) {
        log += name + ": " + text + "\n";
        auto line = parse_line(text);
        if (line && line->event == "tag") ++tags[name];
      }
    }
    usleep(20000);
  }
  for (auto& [name, proc] : clients)
    cr_expect(tags[name] >= 1, "%s never tagged\n%s\n%s", name.c_str(),
              log.c_str(), proc->stderr_text().c_str());
}
