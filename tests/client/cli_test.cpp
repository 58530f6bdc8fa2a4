// cli_test.cpp: the command line of asyncactor-client, as a user meets it.
#include <criterion/criterion.h>
#include <signal.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "client_util.hpp"

using aatest::Process;

namespace {

// run_to_exit() runs the client with `args` and returns its exit code.
int run_to_exit(const std::vector<std::string>& args, std::string* err) {
  std::vector<std::string> argv = {aatest::client_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  Process p = Process::spawn(argv);
  auto code = p.wait_exit(5.0);
  if (err) *err = p.stderr_text();
  return code ? *code : -1;
}

void expect_usage_error(const std::vector<std::string>& args,
                        const std::string& words) {
  std::string err;
  int code = run_to_exit(args, &err);
  cr_expect_eq(code, 2, "exit code %d, expected 2 for '%s'", code,
               args.empty() ? "" : args[0].c_str());
  cr_expect(err.find(words) != std::string::npos,
            "stderr lacks '%s': %s", words.c_str(), err.c_str());
}

}  // namespace

Test(cli, an_unknown_flag_exits_2_and_names_it) {
  expect_usage_error({"--frobnicate"}, "--frobnicate");
}

Test(cli, a_flag_without_its_argument_exits_2) {
  expect_usage_error({"--port"}, "--port needs an argument");
}

Test(cli, a_bad_number_exits_2) {
  expect_usage_error({"--cycle", "soon"}, "--cycle");
  expect_usage_error({"--port", "70000"}, "bad port");
}

Test(cli, an_invalid_setup_exits_2_with_the_engine_reason) {
  std::string err;
  int code = run_to_exit({"--cycle", "1", "--gap", "0.5"}, &err);
  cr_expect_eq(code, 2, "exit code %d", code);
  cr_expect(err.find("cycle") != std::string::npos, "stderr: %s", err.c_str());
}

Test(cli, a_bad_transport_url_exits_2) {
  expect_usage_error({"--transport", "http://x"}, "--transport");
  expect_usage_error({"--transport", "serf://h:1", "--port", "2"},
                     "either --transport or --host/--port");
}

Test(cli, a_wildcard_topic_exits_2) {
  expect_usage_error({"--topic", "a/+/b"}, "not a valid MQTT topic");
}

Test(cli, help_exits_0_and_documents_every_flag) {
  Process p = Process::spawn({aatest::client_path(), "--help"});
  std::string text;
  while (auto line = p.read_line(5.0)) text += *line + "\n";
  auto code = p.wait_exit(5.0);
  cr_assert(code, "--help did not exit");
  cr_expect_eq(*code, 0);
  for (const char* flag :
       {"--host", "--port", "--transport", "--topic", "--name", "--value",
        "--cycle", "--gap", "--nodes", "--splits", "--version", "--passive",
        "--on-tag", "--on-untag", "--on-detag", "--json", "--raw",
        "--log-level", "--serf-auth", "ASYNCACTOR_CHAIN_FULL", "--username",
        "--password-file", "ASYNCACTOR_PASSWORD", "--cafile", "--cert",
        "--key", "mqtts://"})
    cr_expect(text.find(flag) != std::string::npos, "help lacks %s", flag);
}

Test(cli, sigterm_exits_0_even_without_a_broker) {
  int port = aatest::free_port();
  Process p = Process::spawn(clienttest::client_args(clienttest::mqtt(port),
                                                     "lonely"));
  usleep(800000);
  cr_assert(p.running(), "client died: %s", p.stderr_text().c_str());
  p.send_signal(SIGTERM);
  auto code = p.wait_exit(3.0);
  cr_assert(code, "client ignored SIGTERM");
  cr_expect_eq(*code, 0, "exit code %d: %s", *code, p.stderr_text().c_str());
}

Test(cli, sigint_exits_0) {
  Process p = Process::spawn(clienttest::client_args(
      clienttest::mqtt(aatest::free_port()), "lonely"));
  usleep(500000);
  p.send_signal(SIGINT);
  auto code = p.wait_exit(3.0);
  cr_assert(code, "client ignored SIGINT");
  cr_expect_eq(*code, 0);
}

Test(cli, sighup_stops_cleanly_with_a_log_line) {
  Process p = Process::spawn(clienttest::client_args(
      clienttest::mqtt(aatest::free_port()), "lonely"));
  usleep(500000);
  cr_assert(p.running(), "client died: %s", p.stderr_text().c_str());
  p.send_signal(SIGHUP);
  auto code = p.wait_exit(3.0);
  cr_assert(code, "client ignored SIGHUP");
  cr_expect_eq(*code, 0, "exit code %d: %s", *code, p.stderr_text().c_str());
  cr_expect(p.stderr_text().find("info: signal 1: stopping") !=
                std::string::npos,
            "%s", p.stderr_text().c_str());
}

Test(cli, bad_login_and_tls_combinations_exit_2) {
  expect_usage_error({"--cert", "/etc/hostname"}, "--cert needs --key");
  expect_usage_error({"--key", "/etc/hostname"}, "--key needs --cert");
  expect_usage_error({"--password", "secret"},
                     "--password is not accepted (ps would show it)");
  expect_usage_error({"--password-file", "/etc/hostname"},
                     "--password-file needs --username");
  expect_usage_error({"--username", "u", "--password-file", "/nonexistent"},
                     "--password-file: cannot read '/nonexistent'");
  expect_usage_error({"--cafile", "/nonexistent"},
                     "cannot read '/nonexistent'");
  expect_usage_error({"--transport", "serf://127.0.0.1", "--username", "u"},
                     "for MQTT only");
}

Test(cli, only_plain_decimal_numbers_are_accepted) {
  // strtod alone reads hex: --cycle 0x10 used to run with a 16 s cycle.
  expect_usage_error({"--cycle", "0x10"},
                     "--cycle needs a finite decimal number, not '0x10'");
  expect_usage_error({"--gap", "inf"}, "not 'inf'");
  expect_usage_error({"--gap", " 1"}, "not ' 1'");
  expect_usage_error({"--nodes", "0x10"},
                     "--nodes needs a decimal integer, not '0x10'");
}

Test(cli, a_huge_integer_is_out_of_range_not_malformed) {
  expect_usage_error({"--nodes", "99999999999999999999"},
                     "--nodes is out of range: '99999999999999999999'");
  expect_usage_error({"--splits", "3000000000"},
                     "--splits is out of range: '3000000000'");
  expect_usage_error({"--version", "99999999999999999999"},
                     "--version is out of range");
}

Test(cli, a_dollar_topic_is_refused) {
  // The broker drops what clients publish on $-topics without a word.
  expect_usage_error({"--topic", "$SYS/aa"}, "--topic '$SYS/aa' starts with $");
  expect_usage_error({"--topic", "$share/x"}, "starts with $");
}
