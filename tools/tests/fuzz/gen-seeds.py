#!/usr/bin/env python3
"""gen-seeds.py - write seed inputs for the host fuzz harnesses.

    tools/tests/fuzz/gen-seeds.py NAME OUTDIR     NAME: decode, elf, walk, format
                                                  pvh-build or sr-restore

The committed corpora (corpus/NAME/) started from these seeds and were
then grown by fuzzing and minimised with libFuzzer's -merge=1; rerun this
script only to start a corpus afresh. The input formats are described at
the top of fuzz-NAME.c.
"""
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


# ---- decode: every instruction of the decoder's unit-test corpus ----------

def decode_seeds():
    text = open(os.path.join(HERE, "..", "decode-corpus.h")).read()
    entry = re.compile(r"\{ (M32|M64), \w+, [\w |()]+, (\d+), \{ ([0-9a-fx, ]+) \}")
    for i, m in enumerate(entry.finditer(text)):
        mode = b"\x01" if m.group(1) == "M64" else b"\x00"
        code = bytes(int(x, 16) for x in m.group(3).split(","))
        yield "insn-%03d" % i, mode + code


# ---- elf: small PVH-style images -----------------------------------------

def note(name, ntype, desc):
    name = name + b"\0"
    pad = lambda b: b + b"\0" * (-len(b) % 4)
    return struct.pack("<III", len(name), len(desc), ntype) + pad(name) + pad(desc)


def elf_image(is64, loads, notes):
    """loads: [(paddr, payload, memsz)]; notes: bytes of one PT_NOTE."""
    ehsize, phsize = (64, 56) if is64 else (52, 32)
    phnum = len(loads) + 1
    data_off = ehsize + phnum * phsize
    body, phdrs = b"", []
    for paddr, payload, memsz in loads:
        phdrs.append((1, data_off + len(body), paddr, len(payload), memsz))
        body += payload
    phdrs.append((4, data_off + len(body), 0, len(notes), 0))
    body += notes
    ident = b"\x7fELF" + bytes([2 if is64 else 1, 1, 1]) + b"\0" * 9
    if is64:
        hdr = ident + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0x100000, ehsize, 0, 0,
                                  ehsize, phsize, phnum, 0, 0, 0)
        ph = b"".join(struct.pack("<IIQQQQQQ", t, 7, o, p, p, f, m, 8)
                      for t, o, p, f, m in phdrs)
    else:
        hdr = ident + struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, 0x100000, ehsize, 0, 0,
                                  ehsize, phsize, phnum, 0, 0, 0)
        ph = b"".join(struct.pack("<IIIIIIII", t, o, p, p, f, m, 7, 4)
                      for t, o, p, f, m in phdrs)
    return hdr + ph + body


def elf_seeds():
    entry = note(b"Xen", 18, struct.pack("<I", 0x100000))
    guest_os = note(b"Xen", 6, b"wren\0")
    gnu = note(b"GNU", 3, b"\x01\x02\x03\x04\x05\x06\x07\x08")
    code = bytes(range(32))
    yield "elf64-pvh", elf_image(True, [(0x100000, code, 0x40)], entry)
    yield "elf32-pvh", elf_image(False, [(0x100000, code, 0x40)], entry)
    yield "elf64-two-loads", elf_image(True, [(0x100000, code, 32), (0x200000, code[:8], 0x1000)],
                                       gnu + guest_os + entry)
    yield "elf32-notes", elf_image(False, [(0x100000, code[:4], 4)], guest_os + entry + gnu)
    yield "elf64-bss-only", elf_image(True, [(0x100000, b"", 0x2000)], entry)


# ---- walk: one page-table chain per paging mode ---------------------------

PG, PSE, PAE, LMA, LA57, WP = 1, 2, 4, 8, 16, 32
P, RW, US, PS = 1, 2, 4, 0x80
WRITE, USER = 1, 2


def frame(gfn, entry, size, kind=1):
    """A frame whose every entry is 'entry' (kind bit 0: writable)."""
    return struct.pack("<IBB", gfn, kind, size.bit_length() - 3) + entry.to_bytes(size, "little")


def walk_input(paging, cr3, acc1, acc2, frames):
    head = bytes([paging]) + struct.pack("<Q", cr3)
    for va, flags in (acc1, acc2):
        head += struct.pack("<QB", va, flags)
    return head + bytes([len(frames)]) + b"".join(frames)


def chain(entries, size, kind=1):
    """Tables at gfn 1, 2, ...: table i holds entries[i]."""
    return [frame(i + 1, e, size, kind) for i, e in enumerate(entries)]


def walk_seeds():
    r = P | RW | US
    va32, va64 = 0x12345678, 0x00007f1234567abc
    data4 = frame(9, 0x11111111, 4)
    data8 = frame(9, 0x1111111111111111, 8)
    yield "off", walk_input(0, 0, (va32, WRITE), (1 << 33, 0), [])
    yield "2level", walk_input(PG | WP, 0x1000, (va32, WRITE | USER), (va32, 0),
                               chain([0x2000 | r, 0x9000 | r], 4) + [data4])
    yield "2level-pse", walk_input(PG | PSE, 0x1000, (va32, WRITE), (0x80001234, USER),
                                   chain([0x00c00000 | (3 << 13) | PS | r], 4))
    yield "2level-ro", walk_input(PG | WP, 0x1000, (va32, WRITE), (va32, USER),
                                  chain([0x2000 | P | US, 0x9000 | r], 4, kind=0))
    yield "pae", walk_input(PG | PAE | WP, 0x1020, (va32, WRITE), (0xc0000000, USER),
                            chain([0x2000 | P, 0x3000 | r, 0x9000 | r], 8) + [data8])
    yield "pae-2m", walk_input(PG | PAE, 0x1000, (va32, WRITE | USER), (va32, 0),
                               chain([0x2000 | P, 0x40200000 | PS | r], 8))
    yield "long4", walk_input(PG | PAE | LMA | WP, 0x1000, (va64, WRITE), (0xffff800000001000, 0),
                              chain([0x2000 | r, 0x3000 | r, 0x4000 | r, 0x9000 | r], 8) + [data8])
    yield "long4-1g", walk_input(PG | PAE | LMA, 0x1000, (va64, WRITE | USER), (va64, USER),
                                 chain([0x2000 | r, 0x80000000 | PS | r], 8))
    yield "long4-2m", walk_input(PG | PAE | LMA | WP, 0x1000, (va64, USER), (va64, WRITE | USER),
                                 chain([0x2000 | r, 0x3000 | r, 0x600000 | PS | P | US], 8))
    yield "long5", walk_input(PG | PAE | LMA | LA57 | WP, 0x1000, (0x00ff123456789abc, WRITE),
                              (0xff00000000000000, 0),
                              chain([0x2000 | r, 0x3000 | r, 0x4000 | r, 0x5000 | r, 0x9000 | r], 8))
    yield "long4-self", walk_input(PG | PAE | LMA, 0x1000, (va64, WRITE), (0x0000008040201000, 0),
                                   [frame(1, 0x1000 | r, 8)])


# ---- format: a small-buffer size, then the formats the callers use --------

def format_seeds():
    formats = [(0x40, "%d|%s|%#lx|%-8.3s|%*d|%.*s|%p|%c"), (0, "%s"),
               (5, "%5d|%-4s|%08x"), (0x10, "%#012lx-%#014lx %s"),
               (0xff, "%+d % d %+.3d %-08d %#o %#X"),
               (3, "%hhd %hu %lld %zu %jx %td"), (8, "%q %% %"),
               (0x20, "%99999d"), (1, "%*.*s|%-*c"), (7, "plain text")]
    for i, (small, fmt) in enumerate(formats):
        yield "fmt-%02d" % i, bytes([small]) + fmt.encode()


# ---- pvh-build: the elf seeds behind a RAM size and ramdisk/vCPU byte ------

def pvh_build_seeds():
    heads = [bytes([0, 0]), bytes([1, 0x05]), bytes([3, 0x0e])]
    for i, (name, image) in enumerate(elf_seeds()):
        yield name, heads[i % len(heads)] + image
    entry = note(b"Xen", 18, struct.pack("<Q", 0x100000))
    code = bytes(range(64))
    yield "elf64-entry8-low", bytes([2, 1]) + elf_image(
        True, [(0x100000, code, 0x3000), (0x1000, code[:16], 0x100)], entry)


# ---- sr-restore: small migration streams, good and subtly bad -----------

def sr_record(rtype, body):
    pad = b"\0" * ((8 - len(body) % 8) % 8)
    return struct.pack("<II", rtype, len(body)) + body + pad


def sr_page_data(entries):
    """entries: (pfn, type, data or None)"""
    words = b"".join(struct.pack("<Q", pfn | typ << 60) for pfn, typ, _ in entries)
    data = b"".join(d for _, _, d in entries if d is not None)
    return sr_record(1, struct.pack("<II", len(entries), 0) + words + data)


def sr_stream(memory, static_tsc=False, extra=b""):
    ihdr = b"\xff" * 8 + struct.pack(">IIHHI", 0x58454E46, 3, 0, 0, 0)
    dhdr = struct.pack("<IHHII", 2, 12, 0, 4, 17)
    tsc = sr_record(8, struct.pack("<IIQII", 1, 2400000, 12345, 1, 0))
    params = struct.pack("<II", 2, 0) + struct.pack("<QQQQ", 1, 0x3c, 17, 0x3e)
    tail = (tsc + sr_record(7, bytes(4096)) + sr_record(10, params) +
            sr_record(9, bytes(range(256)) * 2) + sr_record(0, b""))
    return (ihdr + dhdr + (tsc if static_tsc else b"") + extra + sr_record(0x10, b"") +
            memory + tail)


def sr_restore_seeds():
    page = bytes(i * 7 & 0xff for i in range(4096))
    yield "one-page", sr_stream(sr_page_data([(3, 0, page)]))
    yield "types", sr_stream(sr_page_data(
        [(1, 0, page), (2, 0xd, None), (4, 0xe, None), (5, 0xf, None), (6, 0, page)]))
    yield "rounds", sr_stream(sr_page_data([(3, 0, page), (4, 0, page)]) +
                              sr_page_data([(4, 0, page[::-1])]) +
                              sr_page_data([(3, 0xd, None)]))
    yield "static-tsc-optional", sr_stream(sr_page_data([(63, 0, page)]), True,
                                           sr_record(0x80000005, b"opt"))
    yield "xtab-after-ram", sr_stream(sr_page_data([(8, 0, page)]) +
                                      sr_page_data([(8, 0xf, None)]))


SEEDS = {"decode": decode_seeds, "elf": elf_seeds, "walk": walk_seeds,
         "format": format_seeds, "pvh-build": pvh_build_seeds,
         "sr-restore": sr_restore_seeds}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in SEEDS:
        sys.exit(__doc__)
    os.makedirs(sys.argv[2], exist_ok=True)
    for name, data in SEEDS[sys.argv[1]]():
        with open(os.path.join(sys.argv[2], "seed-" + name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
