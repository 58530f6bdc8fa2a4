// serf_test.cpp: asyncactor-client through real Serf agents on loopback,
// one client per agent.
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
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

namespace {

// AuthAgent is a lone serf agent on loopback whose RPC needs `key`
// (rpc_auth can only be set in a configuration file).
class AuthAgent {
 public:
  explicit AuthAgent(const std::string& key)
      : dir_(aatest::make_temp_dir()), rpc_port_(aatest::free_port()) {
    std::string config = dir_ + "/auth.json";
    std::ofstream(config) << "{\"rpc_auth\": \"" << key << "\"}\n";
    std::string bind = "127.0.0.1:" + std::to_string(aatest::free_port());
    process_.emplace(Process::spawn(
        {"serf", "agent", "-node=auth0", "-bind=" + bind, "-advertise=" + bind,
         "-rpc-addr=127.0.0.1:" + std::to_string(rpc_port_),
         "-profile=local", "-log-level=warn", "-config-file=" + config}));
  }
  ~AuthAgent() {
    process_.reset();
    std::string cmd = "rm -rf '" + dir_ + "'";
    if (std::system(cmd.c_str()) != 0) { /* best effort */ }
  }

  // ready() waits until the RPC port accepts connections.
  bool ready(double timeout_s) {
    double end = aatest::now_s() + timeout_s;
    while (aatest::now_s() < end && process_->running()) {
      int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      addr.sin_port = htons(static_cast<uint16_t>(rpc_port_));
      bool ok =
          connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
      close(fd);
      if (ok) return true;
      usleep(50000);
    }
    return false;
  }
  std::string url() const {
    return "serf://127.0.0.1:" + std::to_string(rpc_port_);
  }

 private:
  std::string dir_;
  int rpc_port_;
  std::optional<Process> process_;
};

// refused() runs a client on `agent` with `extra` and expects it to exit 1
// at once with an error naming the cause.
void expect_refused(AuthAgent& agent, std::vector<std::string> extra,
                    const std::string& cause) {
  Process c = Process::spawn(client_args({"--transport", agent.url()}, "n",
                                         std::move(extra)));
  auto code = c.wait_exit(5.0);
  std::string err = c.stderr_text();
  cr_assert(code, "the client kept retrying: %s", err.c_str());
  cr_expect_eq(*code, 1, "exit code %d: %s", *code, err.c_str());
  cr_expect(err.find("error: serf agent at " + agent.url() +
                     " refused the client") != std::string::npos,
            "%s", err.c_str());
  cr_expect(err.find(cause) != std::string::npos, "%s", err.c_str());
  cr_expect(err.find("retrying in") == std::string::npos, "%s", err.c_str());
}

}  // namespace

Test(serf, the_right_auth_key_gets_the_client_tagged) {
  AuthAgent agent("s3cret");
  cr_assert(agent.ready(10.0), "the agent did not start");
  Process c = Process::spawn(client_args({"--transport", agent.url()}, "n",
                                         {"--serf-auth", "s3cret"}));
  std::vector<Line> seen;
  cr_expect(wait_event(c, "tag", 4 * kCycle, &seen, "n"), "no tag: %s",
            c.stderr_text().c_str());
}

Test(serf, a_wrong_auth_key_exits_1_without_retrying) {
  AuthAgent agent("s3cret");
  cr_assert(agent.ready(10.0), "the agent did not start");
  expect_refused(agent, {"--serf-auth", "wrong"},
                 "the --serf-auth key is wrong");
}

Test(serf, a_missing_auth_key_exits_1_without_retrying) {
  AuthAgent agent("s3cret");
  cr_assert(agent.ready(10.0), "the agent did not start");
  expect_refused(agent, {}, "give it with --serf-auth");
}
