// help.cpp: the --help text (declared in options.hpp).
#include "options.hpp"

namespace asyncactor::client {

std::string help_text() {
  return R"(Usage: asyncactor-client [OPTIONS]

Joins a group of nodes sharing one broadcast channel (an MQTT topic or a
Serf user event) and takes part in the beacon protocol: the "tag" rotates
among the group, one cycle at a time. Events go to stdout, one line each;
diagnostics go to stderr.

Channel:
  --transport URL     mqtt://HOST[:PORT] (default mqtt://127.0.0.1:1883),
                      mqtts://HOST[:PORT] for MQTT over TLS (default port
                      8883), or serf://HOST[:PORT] for a Serf agent's RPC
                      port (default port 7373)
  --host HOST         MQTT broker host (default 127.0.0.1); shorthand for
                      --transport mqtt://HOST:PORT, not combinable with it
  --port PORT         MQTT broker port (default 1883)
  --topic NAME        MQTT topic, or Serf user-event name
                      (default asyncactor/main); for MQTT no + or #,
                      and not starting with $
  --serf-auth KEY     RPC auth key of the Serf agent, if it needs one

MQTT login and TLS:
  --username NAME     log in as NAME
  --password-file F   the password is the first line of file F; without
                      it, ASYNCACTOR_PASSWORD from the environment is used.
                      There is no --password: ps would show it
  --cafile FILE       trust this CA (PEM) for the broker's certificate;
                      turns TLS on. mqtts:// without it trusts the system's
  --cert FILE         client certificate (PEM), with --key; turns TLS on
  --key FILE          the client certificate's private key (PEM)
  A broker that refuses the login ends the client with status 1.

Node:
  --name NAME         this node's name, unique in the group, 1 to 64 bytes
                      (default: the host name)
  --value V           this node's value: a number, a string, or null for
                      "not ready" (never takes the tag). "\"42\"" is the
                      string 42. Default 0, so a plain node is ready; a
                      higher value wins collisions, a string beats a number
  --passive           listen and report only; never send

Setup (every node of a group should use the same):
  --cycle SECONDS     base period and tag length (default 7)
  --gap SECONDS       reserved for delivery and collisions (default 1);
                      cycle must be at least 3 * gap
  --nodes N           maximum chain length (default 5)
  --splits N          history entries per beacon, at least 2 (default 4)
  --n-hosts N         rough expected group size (default 10)
  --force-in          try hard to get onto the chain
  --version N         generation of this setup; the highest in the group
                      wins (default 0)

Hooks (run as /bin/sh -c CMD, never waited for; stdout goes to stderr):
  --on-tag CMD        when this node gets the tag
  --on-untag CMD      when its tag ends normally
  --on-detag CMD      when a better beacon takes the tag away; a still
                      running on-tag hook's process group gets SIGTERM first
  Environment: ASYNCACTOR_EVENT (tag|untag|detag), ASYNCACTOR_NODE,
  ASYNCACTOR_VALUE, ASYNCACTOR_TOPIC, ASYNCACTOR_CHAIN_FULL (true|false).
  A hook that fails or exits non-zero is logged as a warning. When the
  client exits, running on-tag hooks get SIGTERM, then SIGKILL after 2 s.

Output:
  --json              one JSON object per event and line: "event" (tag,
                      untag, detag, ping, recover, good_node, setup, clash,
                      isolated, connected, raw), "node", "value", "time"
                      (unix seconds) and per event: chain_full (tag, ping);
                      priority, replaced, local, remote (recover); nodes
                      (good_node); setup (setup); must_yield (clash);
                      message (raw)
  --raw               also report every valid message received (raw)
  --log-level LEVEL   error, warn, info (default) or debug; unusable
                      messages are warned about once per reason per 10 s
                      with counts, their payloads shown only at debug
  --help              show this text

Behaviour:
  The protocol starts once the channel is up. If the broker or agent goes
  away the client reconnects (0.5 s, doubling to 10 s) and carries on; what
  it would send meanwhile is dropped, and a long outage is reported as
  isolated, then connected.

Exit status:
  0  stopped by SIGINT, SIGTERM or SIGHUP
  1  could not set up (e.g. signal handling), or the broker refused the
     login, or the Serf agent refused the --serf-auth key
  2  bad command line or invalid setup
  3  another node already uses this name
)";
}

}  // namespace asyncactor::client
