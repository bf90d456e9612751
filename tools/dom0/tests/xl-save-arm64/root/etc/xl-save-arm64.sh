# xl-save-arm64: xl save an arm64 guest that ticks every 200 ms (checking
# its pattern, V0-V31, FPCR, FPSR and that its counter never goes back)
# to /tmp, xl restore it, and see it carry on in domain 2: its ticks go
# on (d2 prints ticks, never a banner of its own: a guest booted afresh
# would), no check failed, the source is gone and the host's frames
# come back when the restored domain is destroyed. Each string looked
# for in `xl dmesg` is split in two quoted halves: the log also holds
# dom0's echo of this very line, which must not match.
free-pages save
xl create /etc/saver.cfg
sleep 3
expect-output "xl dmesg" "(d1) arm64-xl-saver: t""ick 5"
xl save saver /tmp/saver.img
!xl domid saver
xl restore /tmp/saver.img
sleep 3
expect-output "xl dmesg" "(d2) arm64-xl-saver: t""ick" ", moved ""1" "!(d2) --- Wren"" XTF" "!arm64-xl-saver: B""AD"
xl list
xl destroy saver
free-pages same
