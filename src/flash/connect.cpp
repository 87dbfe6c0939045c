#include "flash/connect.h"

#include "transport/bus_factory.h"

namespace omv::flash {

Connection connect(const boards::Board& board, const ConnectOptions& options, Reporter& reporter) {
  Connection c;
  c.usb = transport::make_usb_bus(options.sim);
  c.hid = transport::make_hid_bus(options.sim);
  SessionRequest req{board, options.mode, options.serial, c.usb.get(), c.hid.get(), reporter, options.wait};
  c.session = open_session(req, options.session_type);
  reporter.info("connected to " + c.session->describe());
  return c;
}

}  // namespace omv::flash
