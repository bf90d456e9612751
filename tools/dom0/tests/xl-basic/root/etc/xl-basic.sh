# xl-basic: xl in dom0 drives a PV-aware guest (xtf/tests/xs-guest):
# create from a config, list, pause (its clock shows the gap), unpause,
# console output through the console daemon, shutdown through
# control/shutdown in xenstore, reboot through it (on_reboot restart
# builds the guest again as a new domain), and destroy, with the host's
# free memory back where it began.
free-pages save
xl list
xl create /etc/xs-guest.cfg
xl list
wait-xs /local/domain/1/data/started =1 60
wait-console 1 "xs-guest: started" 60
xl pause xs-guest
sleep 2
xl unpause xs-guest
wait-xs /local/domain/1/data/paused-ms >=1500 60
wait-xs /local/domain/1/data/ticks >=10 60
xl shutdown -w xs-guest
!xl domid xs-guest
xl list
free-pages same
xl create /etc/xs-guest.cfg
wait-xs /local/domain/2/data/started =1 60
xl reboot -w xs-guest
wait-xs /local/domain/3/data/started =1 60
xl list
xl destroy xs-guest
xl list
free-pages same
