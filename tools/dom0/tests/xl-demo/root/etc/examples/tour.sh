# The first session the README shows, run by dom0 itself when `make run`
# has no terminal (CI): list, create a guest, watch it, destroy it.
xl list
xl create /etc/examples/xs-guest.cfg
xl list
wait-xs /local/domain/1/data/ticks >=10 120
xl destroy xs-guest
xl list
