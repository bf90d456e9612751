# xl-linux: Debian's unmodified Linux kernel created by xl from a config.
# It finds xenbus through dom0's xenstored (it announces the shutdown
# requests it obeys under control/), runs the linux test's checks on hvc0
# (served by dom0's console daemon), and is then shut down through
# control/shutdown by `xl shutdown -w`; the host's free memory is back
# where it began.
free-pages save
xl create /etc/linux.cfg
xl list
wait-xs /local/domain/1/control/feature-poweroff =1 900
wait-console 1 "Test result: SUCCESS" 900
wait-console 1 "waiting for xl shutdown" 120
xl shutdown -w linux
free-pages same
xl list
