// serf_rpc.cpp: see serf_rpc.hpp.
#include "serf_rpc.hpp"

#include <cstring>

namespace asyncactor::client {

namespace {

using Packer = msgpack::packer<msgpack::sbuffer>;

// pack_header() writes a request header.
void pack_header(Packer& pk, const char* command, std::uint64_t seq) {
  pk.pack_map(2);
  pk.pack(std::string("Command"));
  pk.pack(std::string(command));
  pk.pack(std::string("Seq"));
  pk.pack(seq);
}

std::string to_string(const msgpack::sbuffer& buf) {
  return std::string(buf.data(), buf.size());
}

// text_of() reads a msgpack str or bin as bytes.
std::optional<std::string> text_of(const msgpack::object& o) {
  if (o.type == msgpack::type::STR)
    return std::string(o.via.str.ptr, o.via.str.size);
  if (o.type == msgpack::type::BIN)
    return std::string(o.via.bin.ptr, o.via.bin.size);
  return std::nullopt;
}

// field() finds `key` in a msgpack map, or returns nullptr.
const msgpack::object* field(const msgpack::object& map, std::string_view key) {
  if (map.type != msgpack::type::MAP) return nullptr;
  for (std::uint32_t i = 0; i < map.via.map.size; ++i) {
    const msgpack::object_kv& kv = map.via.map.ptr[i];
    auto name = text_of(kv.key);
    if (name && *name == key) return &kv.val;
  }
  return nullptr;
}

SerfInput make(SerfInput::Kind kind, std::string text) {
  SerfInput in;
  in.kind = kind;
  in.text = std::move(text);
  return in;
}

}  // namespace

SerfRpc::SerfRpc(std::string event_name) : event_name_(std::move(event_name)) {}

std::string SerfRpc::open(const std::string& auth_key) {
  pending_.clear();
  stream_open_ = false;
  want_record_ = false;
  unpacker_ = msgpack::unpacker();
  msgpack::sbuffer buf;
  Packer pk(buf);

  pending_[++seq_] = Pending::kHandshake;
  pack_header(pk, "handshake", seq_);
  pk.pack_map(1);
  pk.pack(std::string("Version"));
  pk.pack(1);
  if (!auth_key.empty()) {
    pending_[++seq_] = Pending::kAuth;
    pack_header(pk, "auth", seq_);
    pk.pack_map(1);
    pk.pack(std::string("AuthKey"));
    pk.pack(auth_key);
  }
  stream_seq_ = ++seq_;
  pack_header(pk, "stream", stream_seq_);
  pk.pack_map(1);
  pk.pack(std::string("Type"));
  pk.pack(std::string("user"));
  return to_string(buf);
}

std::string SerfRpc::event(std::string_view payload) {
  msgpack::sbuffer buf;
  Packer pk(buf);
  pending_[++seq_] = Pending::kEvent;
  pack_header(pk, "event", seq_);
  pk.pack_map(3);
  pk.pack(std::string("Name"));
  pk.pack(event_name_);
  pk.pack(std::string("Payload"));
  pk.pack_bin(static_cast<std::uint32_t>(payload.size()));
  pk.pack_bin_body(payload.data(), static_cast<std::uint32_t>(payload.size()));
  pk.pack(std::string("Coalesce"));
  pk.pack(false);
  return to_string(buf);
}

void SerfRpc::feed(const char* data, std::size_t size) {
  unpacker_.reserve_buffer(size);
  std::memcpy(unpacker_.buffer(), data, size);
  unpacker_.buffer_consumed(size);
}

std::optional<SerfInput> SerfRpc::next() {
  msgpack::object_handle handle;
  try {
    while (unpacker_.next(handle)) {
      const msgpack::object& obj = handle.get();
      auto in = want_record_ ? on_record(obj) : on_header(obj);
      if (in) return in;
    }
  } catch (const std::exception& e) {
    return make(SerfInput::kFatal,
                std::string("bad data from the agent: ") + e.what());
  }
  return std::nullopt;
}

// on_header() handles a response header; it returns nothing when the
// response needs no attention.
std::optional<SerfInput> SerfRpc::on_header(const msgpack::object& header) {
  const msgpack::object* seq_obj = field(header, "Seq");
  const msgpack::object* err_obj = field(header, "Error");
  if (seq_obj == nullptr || seq_obj->type != msgpack::type::POSITIVE_INTEGER)
    return make(SerfInput::kFatal, "response without a sequence number");
  std::uint64_t seq = seq_obj->via.u64;
  std::string error = err_obj ? text_of(*err_obj).value_or("") : "";

  if (seq == stream_seq_) {
    if (stream_open_) {
      want_record_ = true;
      return std::nullopt;
    }
    stream_open_ = true;
    if (error.empty()) return make(SerfInput::kReady, "");
    // An agent with rpc_auth answers a request made without auth so.
    bool denied = error.find("Authentication required") != std::string::npos;
    return make(denied ? SerfInput::kDenied : SerfInput::kFatal,
                "stream: " + error);
  }
  auto it = pending_.find(seq);
  if (it == pending_.end()) return std::nullopt;
  Pending what = it->second;
  pending_.erase(it);
  if (error.empty()) return std::nullopt;
  if (what == Pending::kEvent)
    return make(SerfInput::kError, "event: " + error);
  if (what == Pending::kAuth) return make(SerfInput::kDenied, "auth: " + error);
  return make(SerfInput::kFatal, "handshake: " + error);
}

// on_record() handles an event record of the stream.
std::optional<SerfInput> SerfRpc::on_record(const msgpack::object& record) {
  want_record_ = false;
  const msgpack::object* event = field(record, "Event");
  const msgpack::object* name = field(record, "Name");
  const msgpack::object* payload = field(record, "Payload");
  if (!event || !name || !payload) return std::nullopt;
  if (text_of(*event).value_or("") != "user") return std::nullopt;
  if (text_of(*name).value_or("") != event_name_) return std::nullopt;
  auto bytes = text_of(*payload);
  if (!bytes) return std::nullopt;

  SerfInput in;
  in.kind = SerfInput::kUserEvent;
  in.payload = std::move(*bytes);
  return in;
}

}  // namespace asyncactor::client
