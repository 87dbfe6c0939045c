#include "sim/gadget/gadget_host.h"

#include <gtest/gtest.h>

#include <deque>

#include "core/error.h"

namespace omv::sim::gadget {
namespace {

using transport::Millis;

// A device controller driven by a script of events, recording how each request ended.
class ScriptedController : public DeviceController {
 public:
  std::deque<std::vector<SetupPacket>> script;  // one batch per wait()
  std::vector<uint8_t> out_data;                // what receive() hands over

  std::vector<std::string> log;  // "plug 37C5:9204", "send 6", "ack", "stall", "receive 4", "unplug"
  std::vector<Descriptors> plugged_with;

  void plug(const Descriptors& d) override {
    plugged_ = true;
    plugged_with.push_back(d);
    log.push_back("plug " + std::to_string(d.device[10] | (d.device[11] << 8)));
  }
  void unplug() override {
    if (plugged_) log.push_back("unplug");
    plugged_ = false;
  }
  bool plugged() const override { return plugged_; }
  std::vector<SetupPacket> wait(Millis) override {
    if (script.empty()) return {};
    auto batch = std::move(script.front());
    script.pop_front();
    return batch;
  }
  std::vector<uint8_t> receive(size_t length) override {
    log.push_back("receive " + std::to_string(length));
    return out_data;
  }
  void send(std::span<const uint8_t> data) override {
    sent.assign(data.begin(), data.end());
    log.push_back("send " + std::to_string(data.size()));
  }
  void acknowledge() override { log.push_back("ack"); }
  void stall() override { log.push_back("stall"); }

  std::vector<uint8_t> sent;

 private:
  bool plugged_ = false;
};

SetupPacket setup(uint8_t type, uint8_t request, uint16_t value, uint16_t index, uint16_t length) {
  return {type, request, value, index, length};
}

// A minimal DFU-looking device: GETSTATUS answers, DNLOAD keeps the data, DETACH re-enumerates
// with another product id, request 0x77 is refused, request 0x78 unplugs it.
class TinyModel : public UsbDeviceModel {
 public:
  std::optional<transport::UsbDeviceInfo> identity() const override {
    if (gone) return std::nullopt;
    transport::UsbDeviceInfo info;
    info.id = {0x1209, static_cast<uint16_t>(detached ? 0x0002 : 0x0001)};
    info.product = "Tiny";
    info.generation = detached ? 2 : 1;
    for (uint8_t alt = 0; alt < 2; ++alt) {
      transport::UsbInterfaceInfo itf;
      itf.alt = alt;
      itf.cls = 0xFE;
      itf.subclass = 1;
      itf.protocol = 2;
      itf.name = alt == 0 ? "first" : "second";
      info.interfaces.push_back(itf);
    }
    return info;
  }
  Reply control(const SetupPacket& s, std::span<const uint8_t> out) override {
    requests.push_back(s.request);
    if (s.request == 0x03) return Reply::ok({0, 0, 0, 0, 2, 0, 0xEE, 0xEE});  // longer than wLength
    if (s.request == 0x01) {
      received.assign(out.begin(), out.end());
      return Reply::ok();
    }
    if (s.request == 0x00) {
      detached = true;
      return Reply::ok();
    }
    if (s.request == 0x78) {
      gone = true;
      return Reply::ok();
    }
    return Reply::stalled();
  }
  void set_alt_setting(uint8_t interface, uint8_t alt) override { alts.emplace_back(interface, alt); }
  void bus_reset() override { ++resets; }
  nlohmann::json stats() const override { return {}; }

  bool detached = false, gone = false;
  int resets = 0;
  std::vector<uint8_t> requests, received;
  std::vector<std::pair<uint8_t, uint8_t>> alts;
};

HostOptions fast() {
  HostOptions o;
  o.poll = Millis(0);
  o.replug_gap = Millis(0);
  o.reset_window = Millis(0);
  return o;
}

TEST(GadgetHost, PlugsTheModelsIdentity) {
  TinyModel model;
  ScriptedController ctl;
  GadgetHost host(model, ctl, fast());
  host.step(Millis(0));
  ASSERT_EQ(ctl.plugged_with.size(), 1u);
  EXPECT_EQ(ctl.log.front(), "plug 1");
  EXPECT_EQ(ctl.plugged_with[0].strings, (std::vector<std::string>{"Tiny", "first", "second"}));
}

TEST(GadgetHost, AnswersStringRequestsFromTheTableTruncatedToWLength) {
  TinyModel model;
  ScriptedController ctl;
  GadgetHost host(model, ctl, fast());
  ctl.script.push_back({setup(0x80, 0x06, 0x0302, 0x0409, 255), setup(0x80, 0x06, 0x0301, 0x0409, 4),
                        setup(0x80, 0x06, 0x0309, 0x0409, 255)});
  host.step(Millis(0));
  EXPECT_EQ(ctl.log, (std::vector<std::string>{"plug 1", "send 12", "send 4", "stall"}));
  EXPECT_TRUE(model.requests.empty()) << "string requests never reach the model";
}

TEST(GadgetHost, SetInterfaceSelectsTheAltInTheModel) {
  TinyModel model;
  ScriptedController ctl;
  GadgetHost host(model, ctl, fast());
  ctl.script.push_back({setup(0x00, 0x09, 1, 0, 0), setup(0x01, 0x0B, 1, 0, 0), setup(0x81, 0x0A, 0, 0, 1),
                        setup(0x01, 0x0B, 5, 0, 0)});
  host.step(Millis(0));
  EXPECT_EQ(ctl.log, (std::vector<std::string>{"plug 1", "ack", "ack", "send 1", "stall"}));
  EXPECT_EQ(ctl.sent, std::vector<uint8_t>{1});
  EXPECT_EQ(model.alts, (std::vector<std::pair<uint8_t, uint8_t>>{{0, 1}})) << "alt 5 does not exist";
}

TEST(GadgetHost, ClassRequestsGoToTheModel) {
  TinyModel model;
  ScriptedController ctl;
  ctl.out_data = {1, 2, 3, 4};
  GadgetHost host(model, ctl, fast());
  ctl.script.push_back({setup(0xA1, 0x03, 0, 0, 6), setup(0x21, 0x01, 2, 0, 4), setup(0x21, 0x77, 0, 0, 0),
                        setup(0xA1, 0x77, 0, 0, 8)});
  host.step(Millis(0));
  EXPECT_EQ(ctl.log, (std::vector<std::string>{"plug 1", "send 6", "receive 4", "ack", "stall", "stall"}));
  EXPECT_EQ(model.requests, (std::vector<uint8_t>{0x03, 0x01, 0x77, 0x77}));
  EXPECT_EQ(model.received, (std::vector<uint8_t>{1, 2, 3, 4}));
  EXPECT_EQ(host.stats()["out_bytes"], 4);
  EXPECT_EQ(host.stats()["stalls"], 2);
}

TEST(GadgetHost, ARefusedDataStageIsStalledAfterTheData) {
  TinyModel model;
  ScriptedController ctl;
  ctl.out_data = {9};
  GadgetHost host(model, ctl, fast());
  ctl.script.push_back({setup(0x21, 0x77, 0, 0, 1), setup(0x21, 0x01, 0, 0, 1)});
  host.step(Millis(0));
  EXPECT_EQ(ctl.log, (std::vector<std::string>{"plug 1", "receive 1", "stall", "receive 1", "ack"}));
  EXPECT_EQ(model.requests, (std::vector<uint8_t>{0x77, 0x01}));
}

TEST(GadgetHost, AnswersTheStandardRequestsOfEnumeration) {
  TinyModel model;
  ScriptedController ctl;
  GadgetHost host(model, ctl, fast());
  ctl.script.push_back({setup(0x80, 0x06, 0x0100, 0, 64), setup(0x80, 0x06, 0x0200, 0, 9),
                        setup(0x80, 0x06, 0x0200, 0, 255), setup(0x80, 0x06, 0x0600, 0, 10),
                        setup(0x80, 0x00, 0, 0, 2), setup(0x00, 0x09, 2, 0, 0), setup(0x00, 0x09, 1, 0, 0),
                        setup(0x80, 0x08, 0, 0, 1)});
  host.step(Millis(0));
  const auto& d = ctl.plugged_with.at(0);
  EXPECT_EQ(ctl.log, (std::vector<std::string>{"plug 1", "send 18", "send 9", "send " + std::to_string(d.config.size()),
                                               "stall", "send 2", "stall", "ack", "send 1"}));
  EXPECT_EQ(ctl.sent, std::vector<uint8_t>{1}) << "configured";
  EXPECT_TRUE(model.requests.empty());
}

TEST(GadgetHost, ReEnumeratesWhenTheModelChangesIdentityAndDropsStaleEvents) {
  TinyModel model;
  ScriptedController ctl;
  GadgetHost host(model, ctl, fast());
  ctl.script.push_back({setup(0x21, 0x00, 1000, 0, 0), setup(0xA1, 0x03, 0, 0, 6)});
  host.step(Millis(0));
  EXPECT_EQ(ctl.log, (std::vector<std::string>{"plug 1", "ack", "unplug", "plug 2"}));
  EXPECT_EQ(model.requests, std::vector<uint8_t>{0x00}) << "the GETSTATUS was for the old device";
  EXPECT_EQ(host.stats()["generation"], 2);
}

TEST(GadgetHost, UnplugsWhenTheModelIsGoneAndReplugsWhenItReturns) {
  TinyModel model;
  ScriptedController ctl;
  GadgetHost host(model, ctl, fast());
  ctl.script.push_back({setup(0x21, 0x78, 0, 0, 0)});
  host.step(Millis(0));
  EXPECT_FALSE(ctl.plugged());
  host.step(Millis(0));
  EXPECT_FALSE(ctl.plugged());
  model.gone = false;
  host.step(Millis(0));
  EXPECT_TRUE(ctl.plugged());
  EXPECT_EQ(ctl.log, (std::vector<std::string>{"plug 1", "ack", "unplug", "plug 1"}));
}

TEST(GadgetHost, APortResetOfAConfiguredDeviceReachesTheModel) {
  TinyModel model;
  ScriptedController ctl;
  GadgetHost host(model, ctl, fast());
  // Enumeration reads the device descriptor before configuring; after that only a port reset does.
  ctl.script.push_back({setup(0x80, 0x06, 0x0100, 0, 18), setup(0x00, 0x09, 1, 0, 0), setup(0x80, 0x06, 0x0100, 0, 18),
                        setup(0x80, 0x06, 0x0100, 0, 18)});
  host.step(Millis(0));
  EXPECT_EQ(model.resets, 1);
  EXPECT_EQ(host.stats()["bus_resets"], 1);
}

TEST(GadgetHost, FaultPullsTheCableAfterEnoughOutDataAndStaysOut) {
  TinyModel model;
  ScriptedController ctl;
  ctl.out_data = std::vector<uint8_t>(64, 0xAB);
  auto opt = fast();
  opt.unplug_after_out_bytes = 100;
  GadgetHost host(model, ctl, opt);
  ctl.script.push_back({setup(0x21, 0x01, 0, 0, 64), setup(0x21, 0x01, 1, 0, 64), setup(0x21, 0x01, 2, 0, 64)});
  int rounds = 0;
  host.serve([&] { return ++rounds > 5; });
  EXPECT_TRUE(host.fault_fired());
  EXPECT_FALSE(ctl.plugged());
  EXPECT_EQ(ctl.log, (std::vector<std::string>{"plug 1", "receive 64", "ack", "receive 64", "ack", "unplug"}));
  EXPECT_EQ(rounds, 1) << "serve returns once the fault fired";
}

TEST(GadgetHost, ARequestLostInAPowerCycleIsNeverAnsweredAndTheDeviceComesBack) {
  TinyModel model;
  ScriptedController ctl;
  ctl.out_data = std::vector<uint8_t>(64, 0xAB);
  auto opt = fast();
  bool lost = false;
  opt.request_lost = [&] {
    if (!lost) return false;
    lost = false;
    model.detached = true;  // the camera's next enumeration
    return true;
  };
  GadgetHost host(model, ctl, opt);
  ctl.script.push_back({setup(0x21, 0x01, 0, 0, 64)});
  host.step(Millis(0));
  lost = true;
  ctl.script.push_back({setup(0x21, 0x01, 1, 0, 64), setup(0xA1, 0x03, 0, 0, 6)});
  host.step(Millis(0));
  EXPECT_EQ(ctl.log, (std::vector<std::string>{"plug 1", "receive 64", "ack", "receive 64", "unplug", "plug 2"}));
  EXPECT_EQ(host.stats()["drops"], 1);
  EXPECT_FALSE(host.fault_fired()) << "the device comes back by itself";
}

// A configured device whose model has just re-enumerated (DFU_DETACH), with the old
// connection kept up for a port reset as long as the test runs.
struct JustDetached {
  static HostOptions options() {
    auto o = fast();
    o.reset_window = Millis(60000);
    return o;
  }
  TinyModel model;
  ScriptedController ctl;
  GadgetHost host{model, ctl, options()};
  JustDetached() {
    ctl.script.push_back({setup(0x00, 0x09, 1, 0, 0), setup(0x21, 0x00, 1000, 0, 0)});
    host.step(Millis(0));
  }
};

TEST(GadgetHost, APortResetRightAfterAReEnumerationMeetsTheNewDeviceInPlace) {
  JustDetached d;
  auto& [model, ctl, host] = d;
  EXPECT_TRUE(ctl.plugged()) << "the old connection waits for a reset";
  // usbfs lets the interface go (SET_INTERFACE 0), then the reset reads the device descriptor.
  ctl.script.push_back({setup(0x01, 0x0B, 0, 0, 0)});
  host.step(Millis(0));
  ctl.script.push_back({setup(0x80, 0x06, 0x0100, 0, 18)});
  host.step(Millis(0));
  EXPECT_EQ(ctl.log, (std::vector<std::string>{"plug 1", "ack", "ack", "ack", "send 18"}));
  EXPECT_EQ(ctl.sent[10] | (ctl.sent[11] << 8), 2) << "the reset reads the new device";
  EXPECT_EQ(host.stats()["plugs"], 2);
  EXPECT_EQ(host.stats()["generation"], 2);
}

TEST(GadgetHost, AnyOtherRequestAfterAReEnumerationFindsTheDeviceGone) {
  JustDetached d;
  auto& [model, ctl, host] = d;
  ctl.script.push_back({setup(0xA1, 0x03, 0, 0, 6)});
  host.step(Millis(0));
  EXPECT_EQ(ctl.log, (std::vector<std::string>{"plug 1", "ack", "ack", "unplug", "plug 2"}));
  EXPECT_EQ(model.requests, std::vector<uint8_t>{0x00});
}

TEST(GadgetHost, DevicesWithBulkEndpointsAreNotServedYet) {
  class BulkModel : public TinyModel {
   public:
    std::optional<transport::UsbDeviceInfo> identity() const override {
      auto info = TinyModel::identity();
      info->interfaces[0].endpoints = {{0x81, 0x02, 64}};
      return info;
    }
  } model;
  ScriptedController ctl;
  GadgetHost host(model, ctl, fast());
  try {
    host.step(Millis(0));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unsupported);
  }
}

}  // namespace
}  // namespace omv::sim::gadget
