// auth_test.cpp: asyncactor-client logging in to a real mosquitto with a
// password file, and connecting over TLS with a CA and certificates made
// here with openssl. Everything listens on 127.0.0.1.
#include <criterion/criterion.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "client_util.hpp"

using aatest::Broker;
using aatest::Process;
using namespace clienttest;

namespace {

// TempDir is a fresh directory removed with the object.
struct TempDir {
  std::string path = aatest::make_temp_dir();
  ~TempDir() { (void)std::system(("rm -rf '" + path + "'").c_str()); }
};

// sh() runs a shell command and reports whether it succeeded.
bool sh(const std::string& command) {
  return std::system(command.c_str()) == 0;
}

// write_file() writes `text` to `path`, readable by its owner only.
void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  chmod(path.c_str(), 0600);
}

// password_broker() is a broker (no plugin) that takes only user "node"
// with password "right".
Broker::Options password_broker(const std::string& dir) {
  std::string file = dir + "/passwd";
  cr_assert(sh("mosquitto_passwd -c -b " + file + " node right"),
            "mosquitto_passwd failed");
  Broker::Options o;
  o.with_plugin = false;
  o.extra_config = "allow_anonymous false\npassword_file " + file + "\n";
  return o;
}

// expect_tag() expects `client` to be tagged.
void expect_tag(Process& client) {
  std::vector<Line> seen;
  cr_expect(wait_event(client, "tag", kFirstTagS, &seen), "no tag\n%s%s",
            describe(seen).c_str(), client.stderr_text().c_str());
}

// expect_refused() expects `client` to exit 1 at once with a refusal.
void expect_refused(Process& client, const std::string& reason) {
  auto code = client.wait_exit(5.0);
  std::string err = client.stderr_text();
  cr_assert(code, "the client kept retrying: %s", err.c_str());
  cr_expect_eq(*code, 1, "exit code %d: %s", *code, err.c_str());
  cr_expect(err.find("error: the broker at mqtt://127.0.0.1:") !=
                    std::string::npos &&
                err.find("refused the login (" + reason + ")") !=
                    std::string::npos,
            "%s", err.c_str());
  cr_expect(err.find("retrying in") == std::string::npos, "%s", err.c_str());
}

// make_pki() makes a CA, a server certificate for 127.0.0.1 and a client
// certificate, all signed by the CA, in `dir`.
void make_pki(const std::string& dir) {
  std::string d = "'" + dir + "'";
  std::string quiet = " >/dev/null 2>&1";
  cr_assert(sh("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "
               "/CN=asyncactor-test-ca -keyout " + d + "/ca.key -out " + d +
               "/ca.crt" + quiet),
            "openssl: CA");
  for (std::string who : {"server", "client"}) {
    std::string subj = who == "server" ? "/CN=127.0.0.1" : "/CN=node";
    cr_assert(sh("openssl req -newkey rsa:2048 -nodes -subj " + subj +
                 " -keyout " + d + "/" + who + ".key -out " + d + "/" + who +
                 ".csr" + quiet),
              "openssl: %s request", who.c_str());
    write_file(dir + "/" + who + ".ext",
               who == "server" ? "subjectAltName=IP:127.0.0.1\n"
                               : "extendedKeyUsage=clientAuth\n");
    cr_assert(sh("openssl x509 -req -days 2 -in " + d + "/" + who +
                 ".csr -CA " + d + "/ca.crt -CAkey " + d +
                 "/ca.key -CAcreateserial -extfile " + d + "/" + who +
                 ".ext -out " + d + "/" + who + ".crt" + quiet),
              "openssl: %s certificate", who.c_str());
  }
}

// tls_broker() is a broker (no plugin) with a TLS listener on `tls_port`;
// with `require_cert` clients must present a certificate from the CA.
Broker::Options tls_broker(const std::string& dir, int tls_port,
                           bool require_cert) {
  Broker::Options o;
  o.with_plugin = false;
  o.extra_config = "listener " + std::to_string(tls_port) +
                   " 127.0.0.1\ncafile " + dir + "/ca.crt\ncertfile " + dir +
                   "/server.crt\nkeyfile " + dir + "/server.key\n";
  if (require_cert) o.extra_config += "require_certificate true\n";
  return o;
}

}  // namespace

Test(auth, the_right_password_from_a_file_gets_the_client_tagged) {
  TempDir temp;
  const std::string& dir = temp.path;
  Broker broker(password_broker(dir));
  write_file(dir + "/pw", "right\n");
  Process c = Process::spawn(
      client_args(mqtt(broker.port()), "n",
                  {"--username", "node", "--password-file", dir + "/pw"}));
  expect_tag(c);
}

Test(auth, the_password_can_come_from_the_environment) {
  TempDir temp;
  const std::string& dir = temp.path;
  Broker broker(password_broker(dir));
  Process c = Process::spawn(
      client_args(mqtt(broker.port()), "n", {"--username", "node"}),
      {{"ASYNCACTOR_PASSWORD", "right"}});
  expect_tag(c);
}

Test(auth, a_wrong_password_exits_1_with_a_clear_error) {
  TempDir temp;
  const std::string& dir = temp.path;
  Broker broker(password_broker(dir));
  write_file(dir + "/pw", "wrong\n");
  Process c = Process::spawn(
      client_args(mqtt(broker.port()), "n",
                  {"--username", "node", "--password-file", dir + "/pw"}));
  // mosquitto 2.0 answers a wrong password with "not authorized" too.
  expect_refused(c, "Not authorized");
}

Test(auth, no_login_on_a_broker_that_needs_one_exits_1) {
  TempDir temp;
  const std::string& dir = temp.path;
  Broker broker(password_broker(dir));
  Process c = Process::spawn(client_args(mqtt(broker.port()), "n"));
  expect_refused(c, "Not authorized");
}

Test(auth, a_client_trusting_the_ca_connects_over_tls) {
  TempDir temp;
  const std::string& dir = temp.path;
  make_pki(dir);
  int tls_port = aatest::free_port();
  Broker broker(tls_broker(dir, tls_port, false));
  cr_assert(broker.running(), "log:\n%s", broker.log().c_str());
  Process c = Process::spawn(client_args(
      {"--transport", "mqtts://127.0.0.1:" + std::to_string(tls_port)}, "n",
      {"--cafile", dir + "/ca.crt"}));
  expect_tag(c);
  cr_expect(c.stderr_text().find("connected to mqtts://127.0.0.1:") !=
                std::string::npos,
            "%s", c.stderr_text().c_str());
}

Test(auth, a_client_certificate_is_presented_when_the_broker_wants_one) {
  TempDir temp;
  const std::string& dir = temp.path;
  make_pki(dir);
  int tls_port = aatest::free_port();
  Broker broker(tls_broker(dir, tls_port, true));
  cr_assert(broker.running(), "log:\n%s", broker.log().c_str());
  Process c = Process::spawn(client_args(
      {"--transport", "mqtts://127.0.0.1:" + std::to_string(tls_port)}, "n",
      {"--cafile", dir + "/ca.crt", "--cert", dir + "/client.crt", "--key",
       dir + "/client.key"}));
  expect_tag(c);
}

Test(auth, tls_without_the_ca_does_not_connect) {
  TempDir temp;
  const std::string& dir = temp.path;
  make_pki(dir);
  int tls_port = aatest::free_port();
  Broker broker(tls_broker(dir, tls_port, false));
  // The system's CAs do not know the test CA: the handshake fails and the
  // client keeps trying, as for any network fault.
  Process c = Process::spawn(client_args(
      {"--transport", "mqtts://127.0.0.1:" + std::to_string(tls_port)}, "n"));
  std::vector<Line> seen;
  cr_expect(!wait_event(c, "tag", 3.0, &seen), "tagged without trust");
  std::string err = c.stderr_text();
  cr_expect(err.find("cannot connect to mqtts://127.0.0.1:") !=
                std::string::npos,
            "%s", err.c_str());
  cr_expect(c.running());
}
