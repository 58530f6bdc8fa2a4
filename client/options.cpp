// options.cpp: see options.hpp.
#include "options.hpp"

#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <optional>

#include "asyncactor/text.hpp"

namespace asyncactor::client {

namespace {

// An option handler stores its argument and returns an error, or "".
using Handler = std::function<std::string(const std::string&)>;

struct Flags {
  std::map<std::string, Handler> with_arg;
  std::map<std::string, std::function<void()>> switches;
  bool host_or_port = false;  // --host or --port given
  bool transport = false;     // --transport given
};

std::optional<double> to_double(const std::string& text) {
  if (!is_decimal(text, false)) return std::nullopt;
  errno = 0;
  double d = std::strtod(text.c_str(), nullptr);
  if (errno != 0 || !std::isfinite(d)) return std::nullopt;
  return d;
}

// IntResult: the number, or why there is none.
struct IntResult {
  long long value = 0;
  bool ok = false;
  bool out_of_range = false;  // decimal digits, but too big
};

IntResult to_integer(const std::string& text) {
  IntResult r;
  if (!is_decimal(text, true)) return r;
  errno = 0;
  r.value = std::strtoll(text.c_str(), nullptr, 10);
  r.out_of_range = errno == ERANGE;
  r.ok = !r.out_of_range;
  return r;
}

Handler number_into(double* out, const char* flag) {
  return [out, flag](const std::string& text) -> std::string {
    auto d = to_double(text);
    if (!d)
      return std::string(flag) + " needs a finite decimal number, not '" +
             text + "'";
    *out = *d;
    return "";
  };
}

Handler int_into(int* out, const char* flag) {
  return [out, flag](const std::string& text) -> std::string {
    IntResult n = to_integer(text);
    if (n.ok && (n.value < INT_MIN || n.value > INT_MAX))
      n.out_of_range = true;
    if (n.out_of_range)
      return std::string(flag) + " is out of range: '" + text + "'";
    if (!n.ok)
      return std::string(flag) + " needs a decimal integer, not '" + text +
             "'";
    *out = static_cast<int>(n.value);
    return "";
  };
}

std::string parse_port(const std::string& text, int* port) {
  IntResult n = to_integer(text);
  if (!n.ok || n.value < 1 || n.value > 65535)
    return "bad port '" + text + "'";
  *port = static_cast<int>(n.value);
  return "";
}

// split_host_port() splits "HOST[:PORT]" or "[V6]:PORT"; the port keeps
// its old value when absent.
std::string split_host_port(const std::string& rest, Options& o) {
  std::string host = rest;
  std::string port;
  if (!rest.empty() && rest[0] == '[') {
    auto close = rest.find(']');
    if (close == std::string::npos) return "bad address '" + rest + "'";
    host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return "bad address '" + rest + "'";
      port = rest.substr(close + 2);
    }
  } else if (auto colon = rest.rfind(':'); colon != std::string::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty()) return "no host in '" + rest + "'";
  o.host = host;
  return port.empty() ? "" : parse_port(port, &o.port);
}

std::string parse_transport(const std::string& url, Options& o) {
  static const std::string kMqtt = "mqtt://";
  static const std::string kMqtts = "mqtts://";
  static const std::string kSerf = "serf://";
  if (url.compare(0, kMqtt.size(), kMqtt) == 0) {
    o.transport = TransportKind::kMqtt;
    o.port = kDefaultMqttPort;
    return split_host_port(url.substr(kMqtt.size()), o);
  }
  if (url.compare(0, kMqtts.size(), kMqtts) == 0) {
    o.transport = TransportKind::kMqtt;
    o.tls = true;
    o.port = kDefaultMqttsPort;
    return split_host_port(url.substr(kMqtts.size()), o);
  }
  if (url.compare(0, kSerf.size(), kSerf) == 0) {
    o.transport = TransportKind::kSerf;
    o.port = kDefaultSerfPort;
    return split_host_port(url.substr(kSerf.size()), o);
  }
  return "--transport needs mqtt://HOST:PORT, mqtts://HOST:PORT or "
         "serf://HOST:PORT, not '" + url + "'";
}

void add_setup_flags(Flags& f, Options& o) {
  asyncactor::Setup& s = o.setup;
  f.with_arg["--cycle"] = number_into(&s.cycle, "--cycle");
  f.with_arg["--gap"] = number_into(&s.gap, "--gap");
  f.with_arg["--nodes"] = int_into(&s.nodes, "--nodes");
  f.with_arg["--splits"] = int_into(&s.splits, "--splits");
  f.with_arg["--n-hosts"] = int_into(&s.n_hosts, "--n-hosts");
  f.with_arg["--version"] = [&s](const std::string& text) -> std::string {
    IntResult n = to_integer(text);
    if (n.out_of_range) return "--version is out of range: '" + text + "'";
    if (!n.ok)
      return "--version needs a decimal integer, not '" + text + "'";
    s.version = n.value;
    return "";
  };
  f.switches["--force-in"] = [&s] { s.force_in = true; };
}

void add_transport_flags(Flags& f, Options& o) {
  f.with_arg["--host"] = [&f, &o](const std::string& text) -> std::string {
    f.host_or_port = true;
    o.host = text;
    return text.empty() ? "--host needs a host name" : "";
  };
  f.with_arg["--port"] = [&f, &o](const std::string& text) {
    f.host_or_port = true;
    return parse_port(text, &o.port);
  };
  f.with_arg["--transport"] = [&f, &o](const std::string& text) {
    f.transport = true;
    return parse_transport(text, o);
  };
  f.with_arg["--topic"] = [&o](const std::string& text) -> std::string {
    o.topic = text;
    return text.empty() ? "--topic must not be empty" : "";
  };
  f.with_arg["--serf-auth"] = [&o](const std::string& text) {
    o.serf_auth = text;
    return std::string();
  };
}

Handler file_into(std::string* out, const char* flag) {
  return [out, flag](const std::string& text) -> std::string {
    *out = text;
    return text.empty() ? std::string(flag) + " needs a file name" : "";
  };
}

void add_login_flags(Flags& f, Options& o) {
  f.with_arg["--username"] = [&o](const std::string& text) -> std::string {
    o.username = text;
    return text.empty() ? "--username must not be empty" : "";
  };
  f.with_arg["--password-file"] =
      file_into(&o.password_file, "--password-file");
  f.with_arg["--password"] = [](const std::string&) -> std::string {
    return "--password is not accepted (ps would show it): use "
           "--password-file FILE or ASYNCACTOR_PASSWORD";
  };
  f.with_arg["--cafile"] = file_into(&o.cafile, "--cafile");
  f.with_arg["--cert"] = file_into(&o.certfile, "--cert");
  f.with_arg["--key"] = file_into(&o.keyfile, "--key");
}

// read_password() reads the first line of `path` (without its line end).
std::string read_password(const std::string& path, std::string& out) {
  std::ifstream in(path);
  if (!in) return "--password-file: cannot read '" + path + "'";
  std::getline(in, out);
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return "";
}

// check_login() checks the login and TLS flags as a whole and fills in the
// password.
std::string check_login(Options& o) {
  bool tls_flags = !o.cafile.empty() || !o.certfile.empty() ||
                   !o.keyfile.empty();
  if (o.transport == TransportKind::kSerf &&
      (tls_flags || !o.username.empty() || !o.password_file.empty()))
    return "--username, --password-file, --cafile, --cert and --key are "
           "for MQTT only";
  if (!o.password_file.empty() && o.username.empty())
    return "--password-file needs --username";
  if (!o.certfile.empty() && o.keyfile.empty())
    return "--cert needs --key";
  if (!o.keyfile.empty() && o.certfile.empty())
    return "--key needs --cert";
  for (const std::string* file : {&o.cafile, &o.certfile, &o.keyfile})
    if (!file->empty() && access(file->c_str(), R_OK) != 0)
      return "cannot read '" + *file + "': " + std::strerror(errno);
  if (tls_flags) o.tls = true;

  if (!o.password_file.empty())
    return read_password(o.password_file, o.password.emplace());
  const char* env = std::getenv("ASYNCACTOR_PASSWORD");
  if (env && !o.username.empty()) o.password = env;
  return "";
}

Handler string_into(std::string* out) {
  return [out](const std::string& text) {
    *out = text;
    return std::string();
  };
}

void add_node_flags(Flags& f, Options& o) {
  f.with_arg["--name"] = [&o](const std::string& text) -> std::string {
    o.name = text;
    return text.empty() ? "--name must not be empty" : "";
  };
  f.with_arg["--value"] = [&o](const std::string& text) {
    o.value = parse_value(text);
    return std::string();
  };
  f.with_arg["--on-tag"] = string_into(&o.on_tag);
  f.with_arg["--on-untag"] = string_into(&o.on_untag);
  f.with_arg["--on-detag"] = string_into(&o.on_detag);
  f.with_arg["--log-level"] = [&o](const std::string& text) -> std::string {
    auto level = parse_log_level(text);
    if (!level) return "--log-level needs error, warn, info or debug";
    o.log_level = *level;
    return "";
  };
  f.switches["--passive"] = [&o] { o.passive = true; };
  f.switches["--json"] = [&o] { o.json = true; };
  f.switches["--raw"] = [&o] { o.raw = true; };
}

std::string default_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0')
    return "asyncactor";
  return buf;
}

// apply_word() handles argv[i] (and maybe argv[i + 1]); it advances `i`.
std::string apply_word(Flags& f, int argc, const char* const* argv, int& i) {
  std::string word = argv[i];
  std::optional<std::string> inline_arg;
  if (auto eq = word.find('='); eq != std::string::npos) {
    inline_arg = word.substr(eq + 1);
    word.resize(eq);
  }
  if (auto it = f.switches.find(word); it != f.switches.end()) {
    if (inline_arg) return word + " takes no argument";
    it->second();
    return "";
  }
  auto it = f.with_arg.find(word);
  if (it == f.with_arg.end()) return "unknown option '" + word + "'";
  if (inline_arg) return it->second(*inline_arg);
  if (i + 1 >= argc) return word + " needs an argument";
  return it->second(argv[++i]);
}

}  // namespace

asyncactor::Value parse_value(const std::string& text) {
  if (text == "null") return asyncactor::Value();
  if (auto d = to_double(text)) return asyncactor::Value::number(*d);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    return asyncactor::Value::string(text.substr(1, text.size() - 2));
  return asyncactor::Value::string(text);
}

ParseResult parse_options(int argc, const char* const* argv) {
  ParseResult r;
  Flags f;
  add_setup_flags(f, r.options);
  add_transport_flags(f, r.options);
  add_node_flags(f, r.options);
  add_login_flags(f, r.options);
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      r.action = ParseResult::kHelp;
      return r;
    }
    r.error = apply_word(f, argc, argv, i);
    if (!r.error.empty()) break;
  }
  if (r.error.empty() && f.host_or_port && f.transport)
    r.error = "use either --transport or --host/--port, not both";
  if (r.error.empty()) r.error = check_login(r.options);
  if (!r.error.empty()) r.action = ParseResult::kError;
  if (r.options.name.empty()) r.options.name = default_name();
  return r;
}

}  // namespace asyncactor::client
