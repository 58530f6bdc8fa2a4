// serf_transport.cpp: see serf_transport.hpp.
#include "serf_transport.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "log.hpp"

namespace asyncactor::client {

namespace {

constexpr double kOpenTimeoutS = 5.0;
constexpr std::size_t kReadChunk = 16384;

// open_socket() starts a non-blocking TCP connect; it returns the socket,
// or -1 with `why` set.
int open_socket(const std::string& host, int port, std::string& why) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  int rc =
      getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (rc != 0) {
    why = gai_strerror(rc);
    return -1;
  }
  int fd =
      socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd >= 0 && connect(fd, found->ai_addr, found->ai_addrlen) != 0 &&
      errno != EINPROGRESS) {
    why = std::strerror(errno);
    close(fd);
    fd = -1;
  } else if (fd < 0) {
    why = std::strerror(errno);
  }
  freeaddrinfo(found);
  return fd;
}

}  // namespace

SerfTransport::SerfTransport(Config config, TransportListener& listener)
    : config_(std::move(config)),
      listener_(listener),
      rpc_(config_.event_name) {}

SerfTransport::~SerfTransport() { close_socket(); }

void SerfTransport::start(asyncactor::Time now) {
  log_msg(LogLevel::kInfo, "connecting to serf://%s:%d event=%s",
          config_.host.c_str(), config_.port, config_.event_name.c_str());
  attempt(now);
}

void SerfTransport::attempt(asyncactor::Time now) {
  std::string why;
  fd_ = open_socket(config_.host, config_.port, why);
  if (fd_ < 0) {
    lost(now, why);
    return;
  }
  state_ = State::kConnecting;
  retry_at_ = asyncactor::kNever;
  give_up_at_ = now + kOpenTimeoutS;
}

void SerfTransport::close_socket() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  out_.clear();
}

void SerfTransport::lost(asyncactor::Time now, const std::string& why) {
  bool was_up = state_ == State::kUp;
  close_socket();
  state_ = State::kWaiting;
  double delay = backoff_.next();
  retry_at_ = now + delay;
  give_up_at_ = asyncactor::kNever;
  log_msg(was_up ? LogLevel::kWarn : LogLevel::kInfo,
          "%s serf://%s:%d: %s; retrying in %.1f s",
          was_up ? "lost connection to" : "cannot connect to",
          config_.host.c_str(), config_.port, why.c_str(), delay);
  if (was_up) listener_.on_link_down();
}

void SerfTransport::add_poll_fds(std::vector<pollfd>& fds) const {
  if (fd_ < 0) return;

  short events = state_ == State::kConnecting ? POLLOUT : POLLIN;
  if (!out_.empty()) events |= POLLOUT;
  fds.push_back(pollfd{fd_, events, 0});
}

asyncactor::Time SerfTransport::next_deadline() const {
  return retry_at_ < give_up_at_ ? retry_at_ : give_up_at_;
}

void SerfTransport::service(const std::vector<pollfd>& fds,
                            asyncactor::Time now) {
  if (state_ == State::kWaiting && now >= retry_at_) attempt(now);
  if (fd_ < 0) return;

  short revents = revents_for(fds, fd_);
  if (state_ == State::kConnecting && revents != 0) finish_connect(now);
  if (fd_ >= 0 && state_ != State::kConnecting &&
      (revents & (POLLIN | POLLERR | POLLHUP)))
    read_input(now);
  if (fd_ >= 0 && (revents & POLLOUT) && !flush())
    lost(now, std::strerror(errno));
  if (fd_ >= 0 && state_ != State::kUp && now >= give_up_at_)
    lost(now, "no answer from the agent");
}

// finish_connect() checks the outcome of the TCP connect and, on success,
// queues the RPC handshake.
void SerfTransport::finish_connect(asyncactor::Time now) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err != 0) {
    lost(now, std::strerror(err));
    return;
  }
  state_ = State::kOpening;
  out_ = rpc_.open(config_.auth_key);
}

void SerfTransport::read_input(asyncactor::Time now) {
  char buf[kReadChunk];
  ssize_t n = recv(fd_, buf, sizeof buf, 0);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
    lost(now,
         n == 0 ? "the agent closed the connection" : std::strerror(errno));
    return;
  }
  if (n < 0) return;

  rpc_.feed(buf, static_cast<std::size_t>(n));
  while (fd_ >= 0) {
    auto in = rpc_.next();
    if (!in) break;
    handle(*in, now);
  }
}

void SerfTransport::handle(const SerfInput& in, asyncactor::Time now) {
  switch (in.kind) {
    case SerfInput::kReady:
      state_ = State::kUp;
      give_up_at_ = asyncactor::kNever;
      backoff_.reset();
      log_msg(LogLevel::kInfo, "connected to serf://%s:%d",
              config_.host.c_str(), config_.port);
      listener_.on_link_up();
      return;
    case SerfInput::kUserEvent:
      if (state_ == State::kUp) listener_.on_payload(in.payload);
      return;
    case SerfInput::kError:
      log_msg(LogLevel::kWarn, "serf agent: %s", in.text.c_str());
      return;
    case SerfInput::kFatal:
      log_msg(LogLevel::kError, "serf agent: %s", in.text.c_str());
      lost(now, in.text);
      return;
    case SerfInput::kDenied:
      log_msg(LogLevel::kError,
              "serf agent at serf://%s:%d refused the client (%s): %s; "
              "not retrying",
              config_.host.c_str(), config_.port, in.text.c_str(),
              config_.auth_key.empty()
                  ? "it needs an RPC auth key: give it with --serf-auth"
                  : "the --serf-auth key is wrong");
      stop();
      gave_up_ = true;
      return;
  }
}

// flush() writes what it can of out_; false on a socket error.
bool SerfTransport::flush() {
  while (!out_.empty()) {
    ssize_t n = send(fd_, out_.data(), out_.size(), MSG_NOSIGNAL);
    if (n < 0) return errno == EAGAIN || errno == EINTR;
    out_.erase(0, static_cast<std::size_t>(n));
  }
  return true;
}

void SerfTransport::publish(std::string_view payload) {
  if (state_ != State::kUp) {
    log_msg(LogLevel::kDebug, "not connected; dropped %.*s",
            static_cast<int>(payload.size()), payload.data());
    return;
  }
  std::size_t size = config_.event_name.size() + payload.size();
  if (size > kSerfUserEventLimit)
    log_msg(LogLevel::kError,
            "user event of %zu bytes exceeds serf's default limit of %zu; "
            "use a shorter --topic or --name",
            size, kSerfUserEventLimit);
  out_ += rpc_.event(payload);
  if (!flush()) log_msg(LogLevel::kDebug, "send: %s", std::strerror(errno));
}

bool SerfTransport::connected() const { return state_ == State::kUp; }

void SerfTransport::stop() {
  if (fd_ >= 0) (void)flush();
  close_socket();
  state_ = State::kStopped;
  retry_at_ = give_up_at_ = asyncactor::kNever;
}

}  // namespace asyncactor::client
