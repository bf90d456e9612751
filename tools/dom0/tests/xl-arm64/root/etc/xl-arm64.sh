# xl-arm64: each line is a dom0 command (tools/dom0/script.c); '!' lines
# must fail. dom0 on arm64 with its services (xenstored, xenconsoled)
# answers xl's view of the host and of itself: xl info names the arm64
# machine and Xen on Arm's capability string, xl list finds dom0.
expect-output "xl info" ": aarch64" ": xen-3.0-aarch64" "nr_cpus                : 2" "!x86"
expect-output "xl list" "Domain-0                                     0"
xl list Domain-0
!xl list no-such-domain
xenstore-ls
xenstore-write /tool/arm64 yes
expect-output "xenstore-read /tool/arm64" "yes"
