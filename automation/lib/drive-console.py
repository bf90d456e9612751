#!/usr/bin/env python3
"""drive-console.py - type at a program as a person would, on a terminal.

    drive-console.py TIMEOUT STEP... -- COMMAND [ARG...]

Runs COMMAND on a new pseudo-terminal (so it believes a person is there:
`make run` is interactive only on a terminal) and works through the
steps in order: "expect:TEXT" waits until TEXT has appeared in the output
since the previous expect, "send:TEXT" types TEXT (\\r and \\n escapes
are honoured, one character at a time, as typing: DRIVE_CONSOLE_DELAY
seconds apart, default 0.02), "eof" waits for the program to end. Everything the program prints is copied to stdout.
Exits 0 when every step was met, 1 naming the step that timed out.
"""
import os
import pty
import select
import signal
import sys
import time


def stop(pid):
    """End the program as Ctrl-C would (its traps clean up: an emulator
    it started goes too), and for good if it lingers."""
    try:
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, ChildProcessError):
        pass


def main():
    argv = sys.argv[1:]
    if '--' not in argv or len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    split = argv.index('--')
    deadline = time.monotonic() + float(argv[0])
    steps, command = argv[1:split], argv[split + 1:]
    delay = float(os.environ.get('DRIVE_CONSOLE_DELAY', '0.02'))
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    seen = b''
    for step in steps:
        kind, _, text = step.partition(':')
        text = text.encode().decode('unicode_escape').encode()
        if kind == 'send':
            for ch in text:
                os.write(fd, bytes([ch]))
                time.sleep(delay)
            continue
        while not (kind == 'expect' and text in seen):
            left = deadline - time.monotonic()
            if left <= 0:
                print(f'\n[drive-console: timed out at step {step!r}]', flush=True)
                stop(pid)
                return 1
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if not ready:
                continue
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b''
            if not data:
                if kind == 'eof':
                    break
                print(f'\n[drive-console: the program ended before {step!r}]', flush=True)
                return 1
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            seen += data
        if kind == 'expect':
            seen = seen[seen.index(text) + len(text):]
    os.waitpid(pid, 0)
    return 0


if __name__ == '__main__':
    sys.exit(main())
