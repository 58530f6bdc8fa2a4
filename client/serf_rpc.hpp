// serf_rpc.hpp: the client side of the Serf agent's RPC protocol, as bytes
// in and bytes out (no sockets here).
//
// Every request is a msgpack header {"Command", "Seq"} followed by a body
// when the command has one; every response is a header {"Error", "Seq"},
// and a "stream" subscription then sends a header and an event record for
// each event. This class speaks just enough of it for the channel:
//
//   SerfRpc rpc("asyncactor/main");
//   send(rpc.open(""));                 // handshake, [auth,] stream user
//   rpc.feed(bytes, n);
//   while (auto in = rpc.next()) {
//     if (in->kind == SerfInput::kUserEvent) use(in->payload);
//   }
//   send(rpc.event(payload));
//
// Serf echoes a user event to its sender too; the engine ignores echoes.
#pragma once

#include <cstdint>
#include <map>
#include <msgpack.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace asyncactor::client {

// SerfInput is one thing the agent told us.
struct SerfInput {
  enum Kind {
    kReady,      // the user-event stream is open: the link is up
    kUserEvent,  // a user event with our name arrived: `payload`
    kError,      // a request failed, e.g. an event too large: `text`
    kFatal,      // handshake or stream refused, or garbage: `text`
    kDenied,     // the agent refused our auth key, or wants one: `text`.
                 // Permanent: retrying with the same key cannot succeed.
  };
  Kind kind = kReady;
  std::string payload;
  std::string text;
};

// Serf agents refuse a user event whose name and payload together exceed
// this many bytes (the default limit of Serf).
inline constexpr std::size_t kSerfUserEventLimit = 512;

class SerfRpc {
 public:
  // SerfRpc() speaks for user events named `event_name`; other user events
  // on the same agent are skipped.
  explicit SerfRpc(std::string event_name);

  // open() forgets any earlier connection and returns the requests that
  // open a new one: handshake, auth (when `auth_key` is not empty) and a
  // stream of user events.
  [[nodiscard]] std::string open(const std::string& auth_key);

  // event() returns the request that broadcasts `payload` as a user event,
  // without coalescing.
  [[nodiscard]] std::string event(std::string_view payload);

  // feed() appends bytes received from the agent.
  void feed(const char* data, std::size_t size);

  // next() returns the next complete input, or std::nullopt when more bytes
  // are needed. After kFatal or kDenied the connection must be dropped.
  [[nodiscard]] std::optional<SerfInput> next();

 private:
  enum class Pending { kHandshake, kAuth, kEvent };

  std::optional<SerfInput> on_header(const msgpack::object& header);
  std::optional<SerfInput> on_record(const msgpack::object& record);

  std::string event_name_;
  std::uint64_t seq_ = 0;
  std::uint64_t stream_seq_ = 0;
  bool stream_open_ = false;  // the stream's first response arrived
  bool want_record_ = false;  // the next object is an event record
  std::map<std::uint64_t, Pending> pending_;
  msgpack::unpacker unpacker_;
};

}  // namespace asyncactor::client
