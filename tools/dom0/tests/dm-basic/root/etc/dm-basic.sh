# dm-basic: a domU whose COM2 (0x2f8) and table device registers (MMIO
# 0xfebf0000) are dom0's device model, wren-dm (xtf/tests/dm-guest checks
# what it gets and reports in xenstore; the table itself is dm-table's,
# the replaced frame dm-mapcache's). dom0 checks the UART's output, queues
# the line the guest waits for, checks the guest's verdicts and the
# model's counters, lists the server, and destroys the domain: the
# server goes with it and the host's free memory is back where it began.
free-pages save
!xl create /etc/bad-dm.cfg
xl create /etc/dm-guest.cfg
xl ioreq-list dm-guest
wait-uart 1 "dm-guest: hello from COM2" 60
uart-input 1 ping
wait-uart 1 "dm-guest: got ping" 30
wait-xs /local/domain/1/data/dm-uart =pass 30
wait-xs /local/domain/1/data/dm-regs =pass 30
wait-console 1 "dm-guest: data/dm-regs pass" 30
wait-dm 1 pio 10
wait-dm 1 mmio 10
wait-xs /local/domain/1/data/dm-guest =done 60
xl ioreq-list
xl destroy dm-guest
!xl ioreq-list 1
free-pages same
