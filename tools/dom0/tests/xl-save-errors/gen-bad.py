#!/usr/bin/env python3
"""gen-bad.py - write the bad save files of the xl-save-errors scenario
into root/etc/: each an xl file header with the config of a domain
"victim", then a migration stream that xl restore must refuse
(docs/designs/migration-stream.md). Rerun after changing the format."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = (b'name = "victim"\ntype = "pvh"\nkernel = "/boot/save-guest.elf"\n'
          b'memory = 8\n')


def xl_header(magic=b"Xen saved domain, xl format\n \0 \r"):
    return (magic + struct.pack("<IIII", 0x01020304, 0, 0, 4 + len(CONFIG)) +
            struct.pack("<I", len(CONFIG)) + CONFIG)


def record(rtype, body):
    return struct.pack("<II", rtype, len(body)) + body + b"\0" * ((8 - len(body) % 8) % 8)


def stream(version=3, memory=b""):
    ihdr = b"\xff" * 8 + struct.pack(">IIHHI", 0x58454E46, version, 0, 0, 0)
    dhdr = struct.pack("<IHHII", 2, 12, 0, 4, 17)
    return ihdr + dhdr + record(0x10, b"") + memory


def page_data(words, pages):
    return record(1, struct.pack("<II", len(words), 0) +
                  b"".join(struct.pack("<Q", w) for w in words) + b"\x5a" * (4096 * pages))


FILES = {
    "bad-magic.img": xl_header(b"Xen saved domain, xm format\n \0 \r") + stream(),
    "truncated.img": (xl_header() + stream(memory=page_data([0x100], 1)))[:-2000],
    "bad-version.img": xl_header() + stream(version=2),
    "bad-type.img": xl_header() + stream(memory=page_data([0x100 | 1 << 60], 0)),
    "bad-count.img": xl_header() + stream(memory=page_data([0x100, 0x101], 1)),
}

for name, data in FILES.items():
    with open(os.path.join(HERE, "root", "etc", name), "wb") as f:
        f.write(data)
