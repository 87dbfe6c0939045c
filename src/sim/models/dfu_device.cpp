#include "sim/models/dfu_device.h"

namespace omv::sim {

using dfu::State;
using dfu::Status;

DfuDeviceModel::DfuDeviceModel(ModelContext& ctx) : ctx_(ctx) {}

void DfuDeviceModel::set_alt_setting(uint8_t, uint8_t alt) {
  alt_ = alt;
  counters_["SET_INTERFACE"]++;
}

void DfuDeviceModel::bus_reset() {
  counters_["bus_reset"]++;
  state_ = State::dfuIDLE;
  status_ = Status::OK;
  pending_ = false;
  stuck_ = false;
  end_session();
}

std::optional<std::string> DfuDeviceModel::take_mode_change() {
  auto m = next_mode_;
  next_mode_.reset();
  return m;
}

void DfuDeviceModel::enter_error(Status status) {
  state_ = State::dfuERROR;
  status_ = status;
  pending_ = false;
  counters_[std::string("error_") + dfu::status_name(static_cast<uint8_t>(status))]++;
}

Reply DfuDeviceModel::stall_with(Status status) {
  enter_error(status);
  counters_["stalls"]++;
  return Reply::stalled();
}

Reply DfuDeviceModel::status_reply() {
  dfu::StatusReply r;
  r.status = static_cast<uint8_t>(status_);
  r.state = static_cast<uint8_t>(state_);
  auto b = dfu::encode_status(r);
  return Reply::ok({b.begin(), b.end()});
}

Reply DfuDeviceModel::control(const SetupPacket& setup, std::span<const uint8_t> out) {
  const uint8_t req = setup.request;
  counters_[dfu::request_name(req)]++;
  if ((setup.request_type & 0x60) != 0x20) return stall_with(Status::errSTALLEDPKT);  // not a class request

  // dfuDNBUSY is only left by time; a stuck loader never leaves it. Anything but GETSTATUS stalls.
  if (state_ == State::dfuDNBUSY) {
    if (req == dfu::GETSTATUS && stuck_) {
      dfu::StatusReply r;
      r.state = static_cast<uint8_t>(State::dfuDNBUSY);
      r.poll_timeout_ms = static_cast<uint32_t>(ctx_.scaled(std::chrono::milliseconds(100)).count());
      auto b = dfu::encode_status(r);
      return Reply::ok({b.begin(), b.end()});
    }
    stuck_ = false;
    return stall_with(Status::errSTALLEDPKT);
  }

  switch (req) {
    case dfu::GETSTATE: return Reply::ok({static_cast<uint8_t>(state_)});
    case dfu::GETSTATUS: {
      if (state_ == State::dfuDNLOAD_SYNC && pending_) {
        pending_ = false;
        dfu::StatusReply r;
        r.state = static_cast<uint8_t>(State::dfuDNBUSY);
        r.poll_timeout_ms = poll_timeout(pending_block_, pending_data_);
        auto b = dfu::encode_status(r);
        // The loader works on the block after this reply; the host's timing model keeps the
        // device unresponsive for as long as the flash needs.
        if (ctx_.faults.fire("busy_forever")) {
          state_ = State::dfuDNBUSY;
          stuck_ = true;
          counters_["stuck_busy"]++;
          return Reply::ok({b.begin(), b.end()});
        }
        Result result = ctx_.faults.fire("err_write") ? Result{Status::errWRITE, false} : download(pending_block_, pending_data_);
        if (result.status != Status::OK) {
          enter_error(result.status);
        } else if (result.stuck_busy) {
          state_ = State::dfuDNBUSY;
          stuck_ = true;
          counters_["stuck_busy"]++;
        } else {
          state_ = State::dfuDNLOAD_SYNC;
        }
        return Reply::ok({b.begin(), b.end()});
      }
      if (state_ == State::dfuDNLOAD_SYNC) state_ = State::dfuDNLOAD_IDLE;
      if (state_ == State::dfuMANIFEST_SYNC) {
        if (!manifest_done_) {
          manifest();
          end_session();
          manifest_done_ = true;
          dfu::StatusReply r;
          r.state = static_cast<uint8_t>(State::dfuMANIFEST);
          auto b = dfu::encode_status(r);
          if (!manifestation_tolerant()) {
            // It leaves DFU once the reply is out (DfuSe "leave", intolerant loaders).
            state_ = State::dfuMANIFEST_WAIT_RESET;
            detach();
          }
          return Reply::ok({b.begin(), b.end()});
        }
        state_ = State::dfuIDLE;
      }
      Reply r = status_reply();
      return r;
    }
    case dfu::CLRSTATUS:
      if (state_ == State::dfuERROR) {
        state_ = State::dfuIDLE;
        status_ = Status::OK;
        return Reply::ok();
      }
      return stall_with(Status::errSTALLEDPKT);
    case dfu::ABORT:
      if (state_ == State::dfuIDLE || state_ == State::dfuDNLOAD_SYNC || state_ == State::dfuDNLOAD_IDLE ||
          state_ == State::dfuMANIFEST_SYNC || state_ == State::dfuUPLOAD_IDLE) {
        state_ = State::dfuIDLE;
        pending_ = false;
        return Reply::ok();
      }
      return stall_with(Status::errSTALLEDPKT);
    case dfu::DETACH:
      counters_["detach"]++;
      detach();
      return Reply::ok();
    case dfu::DNLOAD: {
      if (state_ != State::dfuIDLE && state_ != State::dfuDNLOAD_IDLE) return stall_with(Status::errSTALLEDPKT);
      if (out.empty()) {
        if (state_ == State::dfuIDLE && !end_of_download()) return stall_with(Status::errNOTDONE);
        state_ = State::dfuMANIFEST_SYNC;
        manifest_done_ = false;
        return Reply::ok();
      }
      if (ctx_.faults.fire("stall")) return stall_with(Status::errSTALLEDPKT);
      counters_["bytes_downloaded"] += out.size();
      pending_ = true;
      pending_block_ = setup.value;
      pending_data_.assign(out.begin(), out.end());
      state_ = State::dfuDNLOAD_SYNC;
      return Reply::ok();
    }
    case dfu::UPLOAD: {
      if (state_ != State::dfuIDLE && state_ != State::dfuUPLOAD_IDLE) return stall_with(Status::errSTALLEDPKT);
      std::vector<uint8_t> data;
      Status s = upload(setup.value, setup.length, data);
      if (s != Status::OK) return stall_with(s);
      counters_["bytes_uploaded"] += data.size();
      state_ = (short_upload_ends() && data.size() < setup.length) ? State::dfuIDLE : State::dfuUPLOAD_IDLE;
      return Reply::ok(std::move(data));
    }
    default:
      return stall_with(Status::errSTALLEDPKT);
  }
}

nlohmann::json DfuDeviceModel::stats() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : counters_) j[k] = v;
  j["state"] = dfu::state_name(static_cast<uint8_t>(state_));
  return j;
}

}  // namespace omv::sim
