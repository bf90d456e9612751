# link-check, machine A: send, and see machine B agree. The second
# session opens the device again: B must find the new session, not the
# old one's leftovers.
link-check send 4
link-check send 1
