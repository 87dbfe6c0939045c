#!/usr/bin/env python3
"""A small HTTP(S) file server for the SDK install tests and benchmark.

Serves the files of --root on 127.0.0.1 (a random free port unless --port), writes the port to
--port-file once it listens, honours single byte ranges ("bytes=N-" / "bytes=N-M") with If-Range,
sends ETag and Last-Modified, and can misbehave on purpose:

  --drop-after BYTES  end the connection after sending BYTES of a body (a dropped transfer);
  --drop-times N      ... only for the first N bodies longer than BYTES (default: every one);
  --rate BYTES        send at most BYTES per second (to stop a client mid-transfer);
  --no-range          ignore Range headers (always 200 with the whole file);
  --tls CERT KEY      serve HTTPS with this certificate.

Every request is appended to --log as one JSON line: method, path, range, status, bytes sent.
"""
import argparse
import email.utils
import http.server
import json
import os
import socket
import ssl
import sys
import threading
import time


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--log")
    p.add_argument("--drop-after", type=int, default=-1)
    p.add_argument("--drop-times", type=int, default=-1)
    p.add_argument("--rate", type=int, default=0)
    p.add_argument("--no-range", action="store_true")
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    return p.parse_args()


ARGS = parse_args()
ROOT = os.path.abspath(ARGS.root)
LOCK = threading.Lock()
DROPS_LEFT = [ARGS.drop_times]


def log(entry):
    if not ARGS.log:
        return
    with LOCK, open(ARGS.log, "a") as f:
        f.write(json.dumps(entry) + "\n")


def should_drop():
    if ARGS.drop_after < 0:
        return False
    with LOCK:
        if DROPS_LEFT[0] == 0:
            return False
        if DROPS_LEFT[0] > 0:
            DROPS_LEFT[0] -= 1
        return True


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_HEAD(self):
        self.serve(head=True)

    def do_GET(self):
        self.serve(head=False)

    def serve(self, head):
        path = os.path.normpath(os.path.join(ROOT, self.path.split("?")[0].lstrip("/")))
        entry = {"method": self.command, "path": self.path, "range": self.headers.get("Range"),
                 "if_range": self.headers.get("If-Range")}
        if not path.startswith(ROOT + os.sep) or not os.path.isfile(path):
            entry.update(status=404, sent=0)
            log(entry)
            body = b"not found\n"
            self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
            return
        st = os.stat(path)
        size = st.st_size
        etag = '"%x-%x"' % (st.st_size, int(st.st_mtime_ns))
        modified = email.utils.formatdate(st.st_mtime, usegmt=True)
        start, end, status = 0, size - 1, 200
        rng = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if rng and not ARGS.no_range and (if_range is None or if_range in (etag, modified)):
            spec = rng.strip().split("=", 1)[1] if "=" in rng else ""
            first, _, last = spec.partition("-")
            try:
                start = int(first)
                end = int(last) if last else size - 1
            except ValueError:
                start, end = 0, size - 1
            if start >= size:
                entry.update(status=416, sent=0)
                log(entry)
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % size)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            end = min(end, size - 1)
            status = 206
        length = end - start + 1
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "none" if ARGS.no_range else "bytes")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
        # Only a body longer than --drop-after can be cut short (a .sha256 file is not).
        drop = not head and length > ARGS.drop_after and should_drop()
        if drop:
            self.send_header("Connection", "close")
        self.end_headers()
        sent = 0
        if not head:
            limit = min(length, ARGS.drop_after) if drop else length
            began = time.monotonic()
            with open(path, "rb") as f:
                f.seek(start)
                try:
                    while sent < limit:
                        chunk = f.read(min(256 * 1024, limit - sent))
                        if not chunk:
                            break
                        if ARGS.rate:
                            # never more than 1/20 s worth at once, so a client can be stopped mid-way
                            chunk = chunk[: max(1, ARGS.rate // 20)]
                            f.seek(start + sent + len(chunk))
                        self.wfile.write(chunk)
                        sent += len(chunk)
                        if ARGS.rate:
                            ahead = sent / ARGS.rate - (time.monotonic() - began)
                            if ahead > 0:
                                time.sleep(ahead)
                except (BrokenPipeError, ConnectionResetError):
                    pass
        entry.update(status=status, sent=sent, dropped=drop)
        log(entry)
        if drop:
            self.wfile.flush()
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.close_connection = True


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    server = Server(("127.0.0.1", ARGS.port), Handler)
    if ARGS.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(ARGS.tls[0], ARGS.tls[1])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    tmp = ARGS.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, ARGS.port_file)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
