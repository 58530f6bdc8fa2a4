// options_test.cpp: a bad plugin option stops the broker from loading the
// plugin, with an error line that names the option.
#include <criterion/criterion.h>
#include <unistd.h>

#include "plugin_test.hpp"

using namespace aatest;

namespace {

// expect_refused() starts a broker with `extra` options and checks that it
// exits and that its log contains `needle`.
void expect_refused_with(const Broker::Options& options,
                         const std::string& needle) {
  Broker broker(options);
  double end = now_s() + 5;
  while (broker.running() && now_s() < end) usleep(50000);
  cr_expect(!broker.running(), "broker runs despite a bad option (%s)",
            needle.c_str());
  std::string log = broker.log();
  cr_expect(log.find(needle) != std::string::npos, "log lacks '%s':\n%s",
            needle.c_str(), log.c_str());
}

void expect_refused(std::vector<std::pair<std::string, std::string>> extra,
                    const std::string& needle) {
  expect_refused_with(plugin_broker_options(std::move(extra)), needle);
}

// expect_timing_refused() is expect_refused() for cycle or gap, which the
// usual test options already set.
void expect_timing_refused(const std::string& key, const std::string& value,
                           const std::string& needle) {
  Broker::Options o;
  o.plugin_options = {{"name", "broker"}, {key, value}};
  expect_refused_with(o, needle);
}

}  // namespace

Test(plugin_options, a_wildcard_topic_is_refused) {
  expect_refused({{"topic", "group/+"}},
                 "asyncactor: cannot load: plugin_opt_topic: must not "
                 "contain the wildcards");
  expect_refused({{"topic", "group/#"}},
                 "asyncactor: cannot load: plugin_opt_topic: must not "
                 "contain the wildcards");
}

Test(plugin_options, a_cycle_shorter_than_three_gaps_is_refused) {
  Broker::Options o;
  o.plugin_options = {{"name", "broker"}, {"cycle", "1"}, {"gap", "0.4"}};
  Broker broker(o);
  double end = now_s() + 5;
  while (broker.running() && now_s() < end) usleep(50000);
  cr_expect(!broker.running());
  std::string log = broker.log();
  cr_expect(log.find("asyncactor: cannot load: plugin_opt_cycle/gap") !=
                std::string::npos,
            "log:\n%s", log.c_str());
}

Test(plugin_options, an_unknown_option_is_refused) {
  expect_refused({{"colour", "red"}},
                 "asyncactor: cannot load: plugin_opt_colour: unknown option");
}

Test(plugin_options, a_bad_number_is_refused) {
  expect_refused({{"nodes", "five"}},
                 "asyncactor: cannot load: plugin_opt_nodes: not an integer");
}

Test(plugin_options, only_plain_decimal_numbers_are_accepted) {
  // strtod alone reads hex: plugin_opt_cycle 0x10 used to mean 16 s.
  expect_timing_refused("cycle", "0x10",
                        "asyncactor: cannot load: plugin_opt_cycle: not a "
                        "finite number: '0x10'");
  expect_timing_refused("gap", "nan",
                        "plugin_opt_gap: not a finite number: 'nan'");
  expect_refused({{"nodes", "0x10"}},
                 "plugin_opt_nodes: not an integer: '0x10'");
}

Test(plugin_options, a_huge_integer_is_out_of_range) {
  expect_refused({{"nodes", "99999999999999999999"}},
                 "plugin_opt_nodes: out of range: '99999999999999999999'");
  expect_refused({{"splits", "3000000000"}},
                 "plugin_opt_splits: out of range: '3000000000'");
  expect_refused({{"version", "99999999999999999999"}},
                 "plugin_opt_version: out of range");
}

Test(plugin_options, an_option_given_twice_is_refused) {
  expect_refused({{"name", "again"}},
                 "asyncactor: cannot load: plugin_opt_name: given twice");
}

Test(plugin_options, an_empty_value_is_refused) {
  // Mosquitto 2.0.11 rejects the line itself ("Empty value value in
  // configuration", on stderr) before the plugin sees it; the plugin
  // checks again in case a broker lets it through.
  Broker broker(plugin_broker_options({{"value", ""}}));
  double end = now_s() + 5;
  while (broker.running() && now_s() < end) usleep(50000);
  cr_expect(!broker.running(), "broker runs with an empty option");
}

Test(plugin_options, every_valid_option_is_accepted) {
  Broker broker(plugin_broker_options({{"topic", "site/group"},
                                       {"value", "\"alpha\""},
                                       {"nodes", "3"},
                                       {"splits", "3"},
                                       {"n_hosts", "4"},
                                       {"version", "2"},
                                       {"force_in", "false"},
                                       {"enabled", "false"}}));
  cr_assert(broker.running(), "log:\n%s", broker.log().c_str());
  cr_expect(wait_log(broker,
                     "asyncactor: start node=broker topic=site/group "
                     "value=\"alpha\" enabled=false version=2 cycle=2 "
                     "gap=0.4 nodes=3 splits=3 n_hosts=4 force_in=false",
                     3),
            "log:\n%s", broker.log().c_str());
}

// refused_alone() starts a broker with exactly `options` (no defaults) and
// returns its log once it has exited; "" if it keeps running.
std::string refused_alone(
    std::vector<std::pair<std::string, std::string>> options) {
  Broker::Options o;
  o.plugin_options = std::move(options);
  Broker broker(o);
  double end = now_s() + 5;
  while (broker.running() && now_s() < end) usleep(50000);
  return broker.running() ? std::string() : broker.log();
}

Test(plugin_options, a_gap_too_short_for_the_broker_tick_names_the_option) {
  // The broker ticks about every 100 ms; the plugin needs gap above 0.3 s.
  std::string log = refused_alone({{"name", "broker"}, {"gap", "0.3"}});
  cr_expect(log.find("asyncactor: cannot load: plugin_opt_gap: must be "
                     "more than 0.3 s") != std::string::npos,
            "log:\n%s", log.c_str());
  cr_expect(log.find("100 ms") != std::string::npos, "log:\n%s",
            log.c_str());
  cr_expect(log.find("slack") == std::string::npos, "log:\n%s", log.c_str());
}

Test(plugin_options, a_quoted_name_loses_its_quotes_like_a_value) {
  Broker::Options o;
  o.plugin_options = {{"name", "\"my broker\""},
                      {"cycle", "2"},
                      {"gap", "0.4"},
                      {"value", "\"my value\""}};
  Broker broker(o);
  cr_assert(broker.running(), "log:\n%s", broker.log().c_str());
  Subscriber topology(broker.port(), kTopic + "/topology");
  auto seen = topology.next(4.0);
  cr_assert(seen, "no topology; log:\n%s", broker.log().c_str());
  cr_expect(json_path(seen->payload, {"observer"}) ==
                std::string("\"my broker\""),
            "%s", seen->payload.c_str());
  cr_expect(json_path(seen->payload, {"nodes", "my broker", "value"}) ==
                std::string("\"my value\""),
            "%s", seen->payload.c_str());
}

Test(plugin_options, an_empty_quoted_name_is_refused) {
  std::string log = refused_alone({{"name", "\"\""}});
  cr_expect(log.find("asyncactor: cannot load: plugin_opt_name: empty name") !=
                std::string::npos,
            "log:\n%s", log.c_str());
}

Test(plugin_options, a_long_name_set_explicitly_is_refused_without_advice) {
  std::string log = refused_alone({{"name", std::string(65, 'n')}});
  cr_expect(log.find("asyncactor: cannot load: plugin_opt_name: longer than "
                     "64 bytes (it has 65)") != std::string::npos,
            "log:\n%s", log.c_str());
  cr_expect(log.find("set it explicitly") == std::string::npos, "log:\n%s",
            log.c_str());
}
