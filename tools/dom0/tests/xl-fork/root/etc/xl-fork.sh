# xl-fork: xl fork-vm on a counting guest (save-guest ticks every 100 ms
# over a checked memory pattern). The fork (domain 3: ids are not reused at once; no xenstore entries
# and no console daemon, as Xen's fork with --launch-dm no) runs (a
# second later it has neither shut down nor crashed) and is listed
# and reset with --fork-reset; the refusals name their reason; once the
# fork is destroyed its parent ticks again; destroying both gives the
# host its frames back.
free-pages save
xl create /etc/forker.cfg
wait-console 1 "save-guest: tick 000020" 120
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
wait-console 1 "save-guest: tick 0000" 10
xl destroy forker
free-pages same
