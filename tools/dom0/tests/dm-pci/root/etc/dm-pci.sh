# dm-pci: wren-dm claims PCI function 00:05.0 (map_pcidev); dom0 sends
# xtf/tests/dm-guest "ping pci", so after its other checks it reads the
# function's IDs through 0xcf8/0xcfc, writes and reads back its scratch
# dword, and reads all-ones from 00:06.0, which nobody claims.
xl create /etc/dm-guest.cfg
wait-uart 1 "dm-guest: hello from COM2" 60
uart-input 1 "ping pci"
wait-xs /local/domain/1/data/dm-pci =pass 30
wait-dm 1 pci 3
xl ioreq-list dm-guest
xl destroy dm-guest
