# xl-errors: what xl refuses, and that nothing is left behind. A config
# with an unknown key, one without a kernel, one naming a kernel that
# does not exist, and one asking for more memory than the host has (the
# build fails part of the way through populating) are each refused with
# the free frames back where they began; then ten domains are created
# and destroyed in a row and the host is as it began.
free-pages save
!xl create /etc/typo.cfg
!xl create /etc/nokernel.cfg
!xl create /etc/missing.cfg
free-pages same
!xl create /etc/huge.cfg
free-pages same
xl list
repeat 10 "xl create /etc/good.cfg; xl destroy loop"
free-pages same
xl list
