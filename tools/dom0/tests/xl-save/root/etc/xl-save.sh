# xl-save: xl save a counting guest to /tmp (its RAM scratch area), xl
# restore it, and see it carry on in its new domain (domain 2). The guest
# ticks every 100 ms (measured at boot) and is saved once it counted to
# 100; the restored one must print a tick between 100 and 199, with its
# 1 MiB pattern checked, within 4 s: a guest booted afresh would first
# count 1 to 99 (10 s), and a broken pattern crashes it. Saving destroys the source;
# destroying the restored domain gives the host its frames back.
free-pages save
xl create /etc/saver.cfg
wait-console 1 "save-guest: tick 000100" 120
xl save 1 /tmp/saver.img
!xl domid saver
free-pages same
xl restore /tmp/saver.img
wait-console 2 "save-guest: tick 0001" 4
xl list
xl destroy saver
free-pages same
