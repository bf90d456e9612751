# xl-fork-arm64: xl fork-vm on Arm. The parent (arm64-xl-saver) ticks
# every 200 ms over a checked pattern, its FP/SIMD registers and its
# counter. The fork (domain 3, as ids are not reused at once; no
# xenstore entries and no console daemon, as Xen's fork with
# --launch-dm no) runs: a second later it has neither shut down nor
# crashed, its first touches filled from the parent. It is listed and
# reset with --fork-reset, memory and state; the refusals name their
# reason; once the fork is destroyed its parent ticks on to tick 40
# without a failed check (it ticked 5 before the fork); destroying it
# gives the host its frames back.
free-pages save
xl create /etc/forker.cfg
wait-console 1 "arm64-xl-saver: tick 5," 30
expect-output -f "xl fork-vm 0" "domain 0 cannot be forked"
expect-output -f "xl fork-vm 7" "7"
expect-output -f "xl fork-vm --fork-reset forker" "domain 1 is not a fork"
expect-output -f "xl fork-vm --max-vcpus=0 forker" "a vCPU count from 1 to 128"
expect-output -f "xl fork-vm --max-vcpus=4 forker" "another number of vCPUs"
expect-output "xl fork-vm forker" "Domain 1 forked into domain 3"
expect-output -f "xl fork-vm 3" "the parent is itself a fork"
sleep 1
expect-output "xl list" "forker" "!---s"
expect-output "xl fork-vm --fork-reset 3" "!failed"
expect-output "xl fork-vm --fork-reset -p 3" "!failed"
xl destroy 3
wait-console 1 "arm64-xl-saver: tick 40," 60
expect-output "xl list" "forker"
xl destroy forker
free-pages same
