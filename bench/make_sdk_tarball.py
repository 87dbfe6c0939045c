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


def add_tree(t, path, arcname, root, copy_links=False):
    """Adds path like tar does, except that an absolute link or one leading outside `root`
    (Debian's /etc/alternatives, which omv's extractor refuses) is stored as what it points to."""
    if os.path.islink(path):
        real = os.path.realpath(path)
        inside = not os.path.isabs(os.readlink(path)) and (real == root or real.startswith(root + os.sep))
        if copy_links or not inside:
            if os.path.isdir(real):
                t.add(real, arcname=arcname, recursive=False)
                for name in sorted(os.listdir(real)):
                    add_tree(t, os.path.join(real, name), arcname + "/" + name, root, True)
            elif os.path.exists(real):
                t.add(real, arcname=arcname, recursive=False)
            return
    t.add(path, arcname=arcname, recursive=False)
    if os.path.isdir(path) and not os.path.islink(path):
        for name in sorted(os.listdir(path)):
            add_tree(t, os.path.join(path, name), arcname + "/" + name, root, copy_links)


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
            add_tree(t, src, a.top + "/" + dest, os.path.realpath(src))

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
