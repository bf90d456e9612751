# xl-create-arm64: each line is a dom0 command (tools/dom0/script.c); '!'
# lines must fail. xl builds arm64 guests from /boot (libxenguest's
# AArch64 builder, vCPU 0 by XEN_DOMCTL_setvcpucontext): XTF's example
# runs to its SUCCESS and powers off; the spinner is listed, destroyed;
# the host's free memory is back where it began after each.
free-pages save
xl create /etc/example.cfg
wait-gone example 30
expect-output "xl dmesg" "(d1) Test result: SUCCESS" "Domain 1 shut down: poweroff"
free-pages same
xl create /etc/spinner.cfg
expect-output "xl list" "spinner                                      2"
xl destroy spinner
!xl list spinner
free-pages same
