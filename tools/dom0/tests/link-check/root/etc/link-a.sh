# link-check, machine A: the region is mmio_direct in dom0 and no
# allocator frame; then send, and see machine B agree. The second
# session opens the device again: B must find the new session, not the
# old one's leftovers.
link-check map
link-check send 4
link-check send 1
