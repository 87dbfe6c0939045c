#!/usr/bin/env python3
"""Builds a benchmark SDK tarball in the real layout: one top-level folder, sdk.version inside,
real toolchain files (Debian's arm-none-eabi toolchain) under gcc/, padded with incompressible
data to about --mib MiB. The tar stream is written as two concatenated xz streams (toolchain, then
padding + end of archive), so the toolchain is compressed only once.

  make_sdk_tarball.py --out FILE --top NAME --version V [--mib 200] SRC=DEST...
"""
import argparse
import os
import subprocess
import tarfile


class Counting:
    def __init__(self, f):
        self.f, self.n = f, 0

    def write(self, b):
        self.f.write(b)
        self.n += len(b)
        return len(b)

    def tell(self):
        return self.n


def xz_part(out, add, end):
    with open(out, "wb") as o:
        p = subprocess.Popen(["xz", "-6", "-T2"], stdin=subprocess.PIPE, stdout=o)
        t = tarfile.open(fileobj=Counting(p.stdin), mode="w", format=tarfile.PAX_FORMAT)
        add(t)
        if end:
            t.close()
        p.stdin.close()
        if p.wait() != 0:
            raise SystemExit("xz failed")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--top", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--mib", type=int, default=200)
    ap.add_argument("sources", nargs="+")
    a = ap.parse_args()
    part1, part2 = a.out + ".1", a.out + ".2"

    def toolchain(t):
        for spec in a.sources:
            src, dest = spec.split("=", 1)
            t.add(src, arcname=a.top + "/" + dest, recursive=True)

    xz_part(part1, toolchain, end=False)
    pad = max(0, (a.mib << 20) - os.path.getsize(part1) - 4096)

    def padding(t):
        info = tarfile.TarInfo(a.top + "/sdk.version")
        data = (a.version + "\n").encode()
        info.size = len(data)
        t.addfile(info, __import__("io").BytesIO(data))
        info = tarfile.TarInfo(a.top + "/stedgeai/blob.bin")
        info.size = pad
        with open("/dev/urandom", "rb") as r:
            t.addfile(info, r)

    xz_part(part2, padding, end=True)
    with open(a.out, "wb") as o:
        for part in (part1, part2):
            with open(part, "rb") as f:
                while True:
                    b = f.read(1 << 20)
                    if not b:
                        break
                    o.write(b)
            os.remove(part)


if __name__ == "__main__":
    main()
