# dm-table (seed 000): xtf/tests/dm-guest enables the table device over
# a page of its own RAM; wren-dm claims HVMMEM_ioreq_server for writes
# and gives the page that type, so each write of a descriptor comes to
# the model, which applies the legal ones and rejects an unknown flag,
# an address outside RAM and one into the table (the guest reads the old
# value back). The doorbell's checksum must match the guest's own walk.
free-pages save
xl create /etc/dm-guest.cfg
wait-uart 1 "dm-guest: hello from COM2" 60
uart-input 1 ping
wait-xs /local/domain/1/data/dm-guest =done 60
wait-xs /local/domain/1/data/dm-table =pass 5
wait-dm 1 dtable-rejected 3
wait-dm 1 dtable-applied 3
xl ioreq-list dm-guest
xl destroy dm-guest
free-pages same
