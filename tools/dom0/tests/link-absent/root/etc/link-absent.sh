# link-absent: no link device on this machine, so nothing was mapped and
# the device says so.
link-check absent
!link-check send 1
!link-check map
