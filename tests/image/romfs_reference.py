#!/usr/bin/env python3
"""Independent ROMFS encoder used by the end-to-end tests to check `omv romfs build`.

Written from the format description (MicroPython vfs_rom, OpenMV mkromfs conventions):
  * varuint: big-endian base-128, bit 7 set on all but the last byte; 0x80 bytes in front
    pad it without changing the value.
  * header: kind 0x14A6B1 (D2 CD 31), 0x80 padding, payload length; payload starts at 16.
  * file record: kind 5 + padding + length = 8 bytes, then varuint name length + name, then a
    data record: kind 2 + padding + length, the padding chosen so the data starts at an image
    offset that is a multiple of the alignment (0/1 = none).
  * directory record (not written by mkromfs): kind 4 with the same 8-byte header, the name,
    then the nested records.

Usage:
  romfs_reference.py OUT DIR [ALIGN] [EXT=ALIGN ...]   (a folder, sorted by name, recursive)
  romfs_reference.py OUT --files ALIGN:PATH ...          (flat list, in order, mkromfs style)
"""
import os
import sys


def varuint(n):
    groups = [n & 0x7F]
    n >>= 7
    while n:
        groups.append(n & 0x7F)
        n >>= 7
    groups.reverse()
    return bytes([g | 0x80 for g in groups[:-1]] + [groups[-1]])


def header(kind, length, width):
    k = varuint(kind)
    n = varuint(length)
    pad = width - len(k) - len(n)
    assert pad >= 0
    return k + b"\x80" * pad + n


def file_record(offset, name, data, align):
    name_rec = varuint(len(name)) + name
    data_start = offset + 8 + len(name_rec)
    bare = 1 + len(varuint(len(data)))
    pad = 0
    if align > 1:
        pad = (-(data_start + bare)) % align
    data_rec = header(2, len(data), bare + pad) + data
    body = name_rec + data_rec
    return header(5, len(body), 8) + body


def dir_record(offset, name, children):
    name_rec = varuint(len(name)) + name
    pos = offset + 8 + len(name_rec)
    body = b""
    for child in children:
        rec = encode(pos, child)
        body += rec
        pos += len(rec)
    body = name_rec + body
    return header(4, len(body), 8) + body


def encode(offset, entry):
    if entry[0] == "dir":
        return dir_record(offset, entry[1], entry[2])
    return file_record(offset, entry[1], entry[2], entry[3])


def image(entries):
    payload = b""
    pos = 16
    for e in entries:
        rec = encode(pos, e)
        payload += rec
        pos += len(rec)
    return header(0x14A6B1, len(payload), 16) + payload


def scan(path, align, rules):
    out = []
    for name in sorted(os.listdir(path), key=lambda s: s.encode()):
        full = os.path.join(path, name)
        if os.path.isdir(full):
            out.append(("dir", name.encode(), scan(full, align, rules)))
        else:
            ext = name.rsplit(".", 1)[1].lower() if "." in name else None
            with open(full, "rb") as f:
                out.append(("file", name.encode(), f.read(), rules.get(ext, align)))
    return out


def main(argv):
    out = argv[1]
    if argv[2] == "--files":
        entries = []
        for item in argv[3:]:
            align, path = item.split(":", 1)
            with open(path, "rb") as f:
                entries.append(("file", os.path.basename(path).encode(), f.read(), int(align)))
    else:
        align = 4
        rules = {}
        for a in argv[3:]:
            if "=" in a:
                ext, n = a.split("=", 1)
                rules[ext.lstrip(".").lower()] = int(n)
            else:
                align = int(a)
        entries = scan(argv[2], align, rules)
    with open(out, "wb") as f:
        f.write(image(entries))


if __name__ == "__main__":
    main(sys.argv)
