# dm-mapcache (seed 001): xtf/tests/dm-guest has the table device read a
# frame through wren-dm's mapcache, gives the frame back
# (decrease_reservation), populates the gfn again and writes new data;
# the model must read the new data. It can only if the hypervisor sent
# IOREQ_TYPE_INVALIDATE and the model dropped its mapcache: without it
# the model reads the old frame its mapping still holds.
free-pages save
xl create /etc/dm-guest.cfg
wait-uart 1 "dm-guest: hello from COM2" 60
uart-input 1 ping
wait-xs /local/domain/1/data/dm-guest =done 60
wait-xs /local/domain/1/data/dm-mapcache =pass 5
wait-dm 1 invalidate 1
wait-dm 1 mapcache-invalidations 1
xl ioreq-list dm-guest
xl destroy dm-guest
free-pages same
