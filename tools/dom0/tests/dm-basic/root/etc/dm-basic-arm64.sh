# dm-basic on arm64 (test-arm64.cfg): the same guest and checks as
# dm-basic.sh, but an Arm guest has no port space: its UART is wren-dm's
# MMIO 16550 at 0x23000000 (tools/dm/layout.h), so every UART access is
# an MMIO request (over a hundred: each byte sent polls LSR first) and
# none is port I/O.
free-pages save
!xl create /etc/bad-dm.cfg
xl create /etc/dm-guest.cfg
expect-output "xl ioreq-list dm-guest" "mmio     0x23000000-0x23000007 uart"
!expect-output "xl ioreq-list dm-guest" "pcidev"
wait-uart 1 "dm-guest: hello from COM2" 60
uart-input 1 ping
wait-uart 1 "dm-guest: got ping" 30
wait-xs /local/domain/1/data/dm-uart =pass 30
wait-xs /local/domain/1/data/dm-regs =pass 30
wait-console 1 "dm-guest: data/dm-regs pass" 30
wait-dm 1 mmio 100 10
!wait-dm 1 pio 1 1
wait-xs /local/domain/1/data/dm-guest =done 60
xl ioreq-list
xl destroy dm-guest
!xl ioreq-list 1
free-pages same
