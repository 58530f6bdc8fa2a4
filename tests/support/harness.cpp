// harness.cpp: child processes, a private mosquitto and an MQTT subscriber
// for integration tests. See harness.hpp.
#include "harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <atomic>
#include <vector>

namespace aatest {

std::string plugin_path() { return AATEST_PLUGIN_PATH; }
std::string client_path() { return AATEST_CLIENT_PATH; }
std::string sim_path() { return AATEST_SIM_PATH; }

double now_s() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

std::string make_temp_dir() {
  char tmpl[] = "/tmp/aatest-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

// ---------------------------------------------------------------- Process

// A failed cr_assert leaves the test by longjmp, so no destructor runs and
// the children would outlive the test. Every child is listed here until it
// is reaped, and whatever is still listed when the test process exits is
// killed (by PID).
namespace {

std::mutex children_mu;
std::set<pid_t> children;

void kill_children_at_exit() {
  std::lock_guard<std::mutex> lock(children_mu);
  for (pid_t pid : children) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  children.clear();
}

void track_child(pid_t pid) {
  static std::once_flag once;
  std::call_once(once, [] { std::atexit(kill_children_at_exit); });
  std::lock_guard<std::mutex> lock(children_mu);
  children.insert(pid);
}

void forget_child(pid_t pid) {
  std::lock_guard<std::mutex> lock(children_mu);
  children.erase(pid);
}

}  // namespace

struct Process::Impl {
  pid_t pid = -1;
  int out_fd = -1;
  int err_fd = -1;
  std::string out_buf;
  std::string err_text;
  bool out_eof = false;
  std::optional<int> status;

  // drain() reads whatever the pipes hold now, waiting up to `timeout_s` for
  // the first byte on stdout.
  void drain(double timeout_s) {
    pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    int ms = timeout_s > 0 ? static_cast<int>(timeout_s * 1000) : 0;
    if (poll(fds, 2, ms) <= 0) return;
    char buf[4096];
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(out_fd, buf, sizeof buf);
      if (n > 0) out_buf.append(buf, static_cast<size_t>(n));
      if (n == 0) out_eof = true;
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(err_fd, buf, sizeof buf);
      if (n > 0) err_text.append(buf, static_cast<size_t>(n));
      if (n == 0) {
        close(err_fd);
        err_fd = -1;
      }
    }
  }

  std::optional<std::string> take_line() {
    auto nl = out_buf.find('\n');
    if (nl == std::string::npos) return std::nullopt;
    std::string line = out_buf.substr(0, nl);
    out_buf.erase(0, nl + 1);
    return line;
  }

  bool reap(int flags) {
    if (status) return true;
    int st = 0;
    pid_t r = waitpid(pid, &st, flags);
    if (r != pid) return false;
    status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    forget_child(pid);
    return true;
  }

  void terminate() {
    if (pid <= 0) return;
    if (!reap(WNOHANG)) {
      kill(pid, SIGTERM);
      double end = now_s() + 2.0;
      while (!reap(WNOHANG) && now_s() < end) usleep(10000);
      if (!status) {
        kill(pid, SIGKILL);
        reap(0);
      }
    }
    if (out_fd >= 0) close(out_fd);
    if (err_fd >= 0) close(err_fd);
    out_fd = err_fd = -1;
  }
};

Process::Process(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Process::Process(Process&&) noexcept = default;
Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    if (impl_) impl_->terminate();
    impl_ = std::move(other.impl_);
  }
  return *this;
}
Process::~Process() {
  if (impl_) impl_->terminate();
}

Process Process::spawn(const std::vector<std::string>& argv,
                       const std::map<std::string, std::string>& env) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    setpgid(0, 0);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    dprintf(2, "exec %s failed: %s\n", args[0], strerror(errno));
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  auto impl = std::make_unique<Impl>();
  impl->pid = pid;
  track_child(pid);
  impl->out_fd = out[0];
  impl->err_fd = err[0];
  fcntl(impl->out_fd, F_SETFL, O_NONBLOCK);
  fcntl(impl->err_fd, F_SETFL, O_NONBLOCK);
  return Process(std::move(impl));
}

pid_t Process::pid() const { return impl_->pid; }

bool Process::running() { return !impl_->reap(WNOHANG); }

void Process::send_signal(int sig) {
  if (running()) kill(impl_->pid, sig);
}

std::optional<int> Process::wait_exit(double timeout_s) {
  double end = now_s() + timeout_s;
  while (!impl_->reap(WNOHANG)) {
    if (now_s() >= end) return std::nullopt;
    impl_->drain(0.01);
    usleep(5000);
  }
  impl_->drain(0);
  return impl_->status;
}

std::optional<std::string> Process::read_line(double timeout_s) {
  double end = now_s() + timeout_s;
  for (;;) {
    if (auto line = impl_->take_line()) return line;
    double left = end - now_s();
    if (left <= 0 || impl_->out_eof) return std::nullopt;
    impl_->drain(left < 0.05 ? left : 0.05);
  }
}

std::vector<std::string> Process::poll_lines() {
  impl_->drain(0);
  std::vector<std::string> lines;
  while (auto line = impl_->take_line()) lines.push_back(*line);
  return lines;
}

std::string Process::stderr_text() {
  impl_->drain(0);
  return impl_->err_text;
}

// ----------------------------------------------------------------- Broker

static bool port_accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

static std::string broker_config(const Broker::Options& o, int port,
                                 const std::string& log_path) {
  std::ostringstream c;
  c << "# written by the asyncactor test harness\n"
    << "per_listener_settings false\n"
    << "allow_anonymous true\n"
    << "persistence false\n"
    << "user root\n"
    << "log_dest file " << log_path << "\n"
    << "log_type all\n"
    << "log_timestamp true\n"
    << "listener " << port << " 127.0.0.1\n";
  if (o.with_plugin) {
    c << "plugin " << plugin_path() << "\n";
    for (const auto& [k, v] : o.plugin_options)
      c << "plugin_opt_" << k << " " << v << "\n";
  }
  c << o.extra_config << "\n";
  return c.str();
}

Broker::Broker(const Options& options)
    : options_(options),
      port_(options.port ? options.port : free_port()),
      dir_(make_temp_dir()) {
  config_path_ = dir_ + "/mosquitto.conf";
  log_path_ = dir_ + "/mosquitto.log";
  std::ofstream(config_path_) << broker_config(options_, port_, log_path_);
  start();
}

Broker::~Broker() {
  process_.reset();
  std::string cmd = "rm -rf '" + dir_ + "'";
  if (std::system(cmd.c_str()) != 0) { /* best effort */ }
}

int Broker::port() const { return port_; }
const std::string& Broker::config_path() const { return config_path_; }

std::string Broker::log() const {
  std::ifstream in(log_path_);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool Broker::start() {
  process_.reset();
  process_.emplace(Process::spawn({"mosquitto", "-c", config_path_}));
  double end = now_s() + 10.0;
  while (now_s() < end) {
    if (!process_->running()) return false;
    if (port_accepts(port_)) return true;
    usleep(20000);
  }
  return false;
}

void Broker::send_signal(int sig) {
  if (process_) process_->send_signal(sig);
}

void Broker::stop(int sig) {
  if (!process_) return;
  process_->send_signal(sig);
  process_->wait_exit(10.0);
  process_.reset();
}

bool Broker::running() { return process_ && process_->running(); }

// ------------------------------------------------------------- Subscriber

struct Subscriber::Impl {
  mosquitto* mosq = nullptr;
  std::string filter;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Received> queue;
  bool subscribed = false;

  static void on_connect(mosquitto* m, void* self, int rc) {
    auto* impl = static_cast<Impl*>(self);
    if (rc == 0) mosquitto_subscribe(m, nullptr, impl->filter.c_str(), 1);
  }
  static void on_subscribe(mosquitto*, void* self, int, int, const int*) {
    auto* impl = static_cast<Impl*>(self);
    std::lock_guard<std::mutex> lock(impl->mu);
    impl->subscribed = true;
    impl->cv.notify_all();
  }
  static void on_message(mosquitto*, void* self,
                         const mosquitto_message* msg) {
    auto* impl = static_cast<Impl*>(self);
    Received r;
    r.topic = msg->topic;
    r.payload.assign(static_cast<const char*>(msg->payload),
                     static_cast<size_t>(msg->payloadlen));
    r.retained = msg->retain;
    r.at = now_s();
    std::lock_guard<std::mutex> lock(impl->mu);
    impl->queue.push_back(std::move(r));
    impl->cv.notify_all();
  }
};

Subscriber::Subscriber(int port, const std::string& topic_filter)
    : impl_(std::make_unique<Impl>()) {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
  impl_->filter = topic_filter;
  impl_->mosq = mosquitto_new(nullptr, true, impl_.get());
  if (!impl_->mosq) throw std::runtime_error("mosquitto_new failed");
  mosquitto_connect_callback_set(impl_->mosq, Impl::on_connect);
  mosquitto_subscribe_callback_set(impl_->mosq, Impl::on_subscribe);
  mosquitto_message_callback_set(impl_->mosq, Impl::on_message);
  mosquitto_reconnect_delay_set(impl_->mosq, 1, 2, false);
  if (mosquitto_connect(impl_->mosq, "127.0.0.1", port, 30) != MOSQ_ERR_SUCCESS)
    throw std::runtime_error("subscriber cannot connect");
  mosquitto_loop_start(impl_->mosq);
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->cv.wait_for(lock, std::chrono::seconds(5),
                     [&] { return impl_->subscribed; });
}

Subscriber::~Subscriber() {
  mosquitto_disconnect(impl_->mosq);
  mosquitto_loop_stop(impl_->mosq, true);
  mosquitto_destroy(impl_->mosq);
}

std::optional<Subscriber::Received> Subscriber::next(double timeout_s) {
  std::unique_lock<std::mutex> lock(impl_->mu);
  auto ms = std::chrono::milliseconds(static_cast<long>(timeout_s * 1000));
  if (!impl_->cv.wait_for(lock, ms, [&] { return !impl_->queue.empty(); }))
    return std::nullopt;
  Received r = std::move(impl_->queue.front());
  impl_->queue.pop_front();
  return r;
}

bool Subscriber::publish(const std::string& topic, const std::string& payload,
                         bool retain) {
  return mosquitto_publish(impl_->mosq, nullptr, topic.c_str(),
                           static_cast<int>(payload.size()), payload.data(),
                           1, retain) == MOSQ_ERR_SUCCESS;
}

// ------------------------------------------------------------------ Relay

namespace {

// listen_on() binds a listening socket to 127.0.0.1:`port`; -1 on failure.
int listen_on(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(fd, 16) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// dial() connects to 127.0.0.1:`port` and returns a non-blocking socket,
// or -1 (nobody listening).
int dial(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  fcntl(fd, F_SETFL, O_NONBLOCK);
  return fd;
}

// Link is one forwarded connection: bytes read from one side wait in the
// buffer towards the other until it can take them.
struct Link {
  int fd[2];
  std::string towards[2];  // towards[i]: bytes to write to fd[i]
  bool dead = false;
};

constexpr size_t kRelayBuffer = 256 * 1024;

}  // namespace

struct Relay::Impl {
  enum class Command { kNone, kCut, kRestore, kQuit };

  int target = 0;
  int port = 0;
  int listen_fd = -1;
  int wake[2] = {-1, -1};
  std::vector<Link> links;
  std::atomic<int> open_links{0};
  std::atomic<int> total{0};
  std::thread thread;

  std::mutex mu;
  std::condition_variable cv;
  Command command = Command::kNone;
  bool result = false;

  // pump() reads what `side` offers into the other side's buffer, and writes
  // what waits for `side`. Any error or end of stream kills the link.
  static void pump(Link& l, int side, short revents) {
    int other = 1 - side;
    if (revents & (POLLERR | POLLNVAL)) l.dead = true;
    if (revents & (POLLIN | POLLHUP)) {
      char buf[16384];
      ssize_t n = read(l.fd[side], buf, sizeof buf);
      if (n > 0)
        l.towards[other].append(buf, static_cast<size_t>(n));
      else if (n == 0 || (errno != EAGAIN && errno != EINTR))
        l.dead = true;
    }
    if ((revents & POLLOUT) && !l.towards[side].empty()) {
      ssize_t n = send(l.fd[side], l.towards[side].data(),
                       l.towards[side].size(), MSG_NOSIGNAL);
      if (n > 0)
        l.towards[side].erase(0, static_cast<size_t>(n));
      else if (n < 0 && errno != EAGAIN && errno != EINTR)
        l.dead = true;
    }
  }

  void close_links() {
    for (auto& l : links) {
      close(l.fd[0]);
      close(l.fd[1]);
    }
    links.clear();
    open_links = 0;
  }

  void accept_one() {
    int in = accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (in < 0) return;
    int out = dial(target);
    if (out < 0) {
      close(in);
      return;
    }
    int one = 1;
    setsockopt(in, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(out, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    links.push_back(Link{{in, out}, {}, false});
    ++total;
    open_links = static_cast<int>(links.size());
  }

  // obey() runs a command from the test's thread; false when it is to quit.
  bool obey() {
    char drop[64];
    while (read(wake[0], drop, sizeof drop) > 0) {
    }
    std::lock_guard<std::mutex> lock(mu);
    Command c = command;
    command = Command::kNone;
    if (c == Command::kCut || c == Command::kQuit) {
      if (listen_fd >= 0) close(listen_fd);
      listen_fd = -1;
      close_links();
      result = true;
    } else if (c == Command::kRestore) {
      if (listen_fd < 0) listen_fd = listen_on(port);
      result = listen_fd >= 0;
    }
    cv.notify_all();
    return c != Command::kQuit;
  }

  void run() {
    for (;;) {
      std::vector<pollfd> fds = {{wake[0], POLLIN, 0}};
      if (listen_fd >= 0) fds.push_back({listen_fd, POLLIN, 0});
      size_t first_link = fds.size();
      for (const auto& l : links) {
        for (int side = 0; side < 2; ++side) {
          short ev = 0;
          if (l.towards[1 - side].size() < kRelayBuffer) ev |= POLLIN;
          if (!l.towards[side].empty()) ev |= POLLOUT;
          fds.push_back({l.fd[side], ev, 0});
        }
      }
      if (poll(fds.data(), fds.size(), -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[0].revents && !obey()) return;
      if (listen_fd >= 0 && first_link == 2 && fds[1].revents) accept_one();
      for (size_t i = 0; i < links.size() && first_link + 2 * i < fds.size();
           ++i) {
        for (int side = 0; side < 2; ++side)
          pump(links[i], side, fds[first_link + 2 * i + side].revents);
      }
      for (auto it = links.begin(); it != links.end();) {
        if (it->dead) {
          close(it->fd[0]);
          close(it->fd[1]);
          it = links.erase(it);
        } else {
          ++it;
        }
      }
      open_links = static_cast<int>(links.size());
    }
  }

  bool send_command(Command c) {
    std::unique_lock<std::mutex> lock(mu);
    command = c;
    char one = 1;
    if (write(wake[1], &one, 1) != 1) return false;
    cv.wait(lock, [&] { return command == Command::kNone; });
    return result;
  }
};

Relay::Relay(int target_port, int listen_port)
    : impl_(std::make_unique<Impl>()) {
  impl_->target = target_port;
  for (int attempt = 0; attempt < 20 && impl_->listen_fd < 0; ++attempt) {
    impl_->port = listen_port ? listen_port : free_port();
    impl_->listen_fd = listen_on(impl_->port);
    if (listen_port) break;
  }
  if (impl_->listen_fd < 0) throw std::runtime_error("relay cannot listen");
  if (pipe2(impl_->wake, O_CLOEXEC | O_NONBLOCK) != 0)
    throw std::runtime_error("pipe failed");
  impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

Relay::~Relay() {
  impl_->send_command(Impl::Command::kQuit);
  impl_->thread.join();
  close(impl_->wake[0]);
  close(impl_->wake[1]);
}

int Relay::port() const { return impl_->port; }
void Relay::cut() { impl_->send_command(Impl::Command::kCut); }
bool Relay::restore() { return impl_->send_command(Impl::Command::kRestore); }
int Relay::connections() const { return impl_->open_links; }
int Relay::accepted() const { return impl_->total; }

// -------------------------------------------------------------- SerfAgent

SerfAgent::SerfAgent(const std::string& node, int join_port)
    : node_(node), bind_port_(free_port()), rpc_port_(free_port()) {
  std::string bind = "127.0.0.1:" + std::to_string(bind_port_);
  std::vector<std::string> argv = {
      "serf", "agent", "-node=" + node, "-bind=" + bind, "-advertise=" + bind,
      "-rpc-addr=127.0.0.1:" + std::to_string(rpc_port_), "-profile=local",
      "-log-level=warn"};
  if (join_port) argv.push_back("-join=127.0.0.1:" + std::to_string(join_port));
  process_.emplace(Process::spawn(argv));
  double end = now_s() + 10.0;
  while (now_s() < end && process_->running() && !port_accepts(rpc_port_))
    usleep(20000);
  if (!port_accepts(rpc_port_))
    throw std::runtime_error("serf agent " + node + " did not start: " +
                             process_->stderr_text());
}

std::string SerfAgent::rpc_url() const {
  return "serf://127.0.0.1:" + std::to_string(rpc_port_);
}

std::vector<std::string> SerfAgent::alive_members() {
  Process members = Process::spawn(
      {"serf", "members", "-rpc-addr=127.0.0.1:" + std::to_string(rpc_port_),
       "-status=alive"});
  std::vector<std::string> names;
  while (auto line = members.read_line(5.0)) {
    std::istringstream words(*line);
    std::string name;
    if (words >> name) names.push_back(name);
  }
  return names;
}

bool SerfAgent::wait_members(size_t count, double timeout_s) {
  double end = now_s() + timeout_s;
  do {
    if (alive_members().size() >= count) return true;
    usleep(200000);
  } while (now_s() < end);
  return false;
}

}  // namespace aatest
