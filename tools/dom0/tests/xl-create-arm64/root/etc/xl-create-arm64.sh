# xl-create-arm64: each line is a dom0 command (tools/dom0/script.c); '!'
# lines must fail. xl builds arm64 guests from /boot (libxenguest's
# AArch64 builder, vCPU 0 by XEN_DOMCTL_setvcpucontext): XTF's example
# prints its SUCCESS on its PV console (read through xenconsoled, as xl
# console does) and powers off, and is destroyed; the spinner is listed
# (its banner names the PV console ring) and destroyed; the host's free memory is back where it began after
# each.
free-pages save
xl create /etc/example.cfg
wait-console 1 "Test result: SUCCESS" 30
wait-gone example 30
free-pages same
xl create /etc/spinner.cfg
wait-console 2 "console: PV console ring" 30
expect-output "xl list" "spinner                                      2"
xl destroy spinner
!xl list spinner
free-pages same
