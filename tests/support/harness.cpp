// harness.cpp: child processes, a private mosquitto and an MQTT subscriber
// for integration tests. See harness.hpp.
#include "harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <mosquitto.h>
#include <netinet/in.h>
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
#include <sstream>
#include <stdexcept>
#include <thread>

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

}  // namespace aatest
