#!/usr/bin/env python3
"""pty-relay.py LINKFILE LOG - a terminal for an emulator's serial port.

Makes a pseudo-terminal, writes the path of its far end to LINKFILE (for
Bochs's "com1: mode=term, dev=..."), then relays: what is typed on stdin
goes in raw, and what the emulator sends comes out on stdout and is
appended to LOG. Ends when stdin closes or on SIGTERM. Used by
automation/run-demo.sh to make Bochs interactive (QEMU needs no relay:
its serial line can be stdio).
"""
import os
import pty
import select
import signal
import sys
import termios
import tty


def main():
    link, log_path = sys.argv[1], sys.argv[2]
    master, slave = pty.openpty()
    tty.setraw(slave)
    with open(link + '.tmp', 'w') as f:
        f.write(os.ttyname(slave))
    os.rename(link + '.tmp', link)
    saved = None
    if os.isatty(0):
        saved = termios.tcgetattr(0)
        tty.setraw(0)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        with open(log_path, 'ab', buffering=0) as log:
            while True:
                ready, _, _ = select.select([0, master], [], [])
                if 0 in ready:
                    data = os.read(0, 1024)
                    if not data:
                        return 0
                    os.write(master, data)
                if master in ready:
                    data = os.read(master, 4096)
                    os.write(1, data)
                    log.write(data)
    finally:
        if saved:
            termios.tcsetattr(0, termios.TCSADRAIN, saved)


if __name__ == '__main__':
    sys.exit(main())
