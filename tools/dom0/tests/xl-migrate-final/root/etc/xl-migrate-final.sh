# xl-migrate-final: final-guest (a #MC handler, a pattern over gfns
# 0x300-0x33f it never writes again, a hot page at 0x340 it writes all
# the time) is moved to this host with xl migrate, and xl breaks a frame
# at one step of the final round (--debug-break=STEP:GFN, test-only,
# through xc_wren_break_gfn). Case A: the clean pattern page 0x310,
# broken once the final round's dirty set is known (stopped), is not in
# it. The hot page 0x340 is in it: broken then, before its batch's type
# query, before the copy, during it (mapped), after the batch went and
# after the last batch. Each time the migration succeeds (the sender is
# never killed, xl returns 0), the moved guest takes exactly one vMCE
# for the page at resume, finds it broken (its probe gets a #MC), its
# pattern intact and its last hot write there. Last, a guest told of a
# broken page before the move gets no vMCE after it. At the end the
# host has every frame back but the seven broken ones.
free-pages save
xl create /etc/final.cfg
wait-console 1 "final-guest: tick 000002" 120
expect-output "xl migrate --debug-break=stopped:0x310 final localhost" "gfn 0x310 broken at step stopped" "(final)" "arrived as domain 2"
wait-console 2 "final-guest: #MC for gfn 0x310" 10
wait-console 2 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
!wait-console 2 "second vMCE" 0.5
!wait-console 2 "NOT broken" 0.5
xl destroy final
xl create /etc/final.cfg
wait-console 3 "final-guest: tick 000002" 120
expect-output "xl migrate --debug-break=stopped:0x340 final localhost" "gfn 0x340 broken at step stopped" "(final)" "arrived as domain 4"
wait-console 4 "final-guest: #MC for gfn 0x340" 10
wait-console 4 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
!wait-console 4 "second vMCE" 0.5
!wait-console 4 "NOT broken" 0.5
xl destroy final
xl create /etc/final.cfg
wait-console 5 "final-guest: tick 000002" 120
expect-output "xl migrate --debug-break=query:0x340 final localhost" "gfn 0x340 broken at step query" "(final)" "arrived as domain 6"
wait-console 6 "final-guest: #MC for gfn 0x340" 10
wait-console 6 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
!wait-console 6 "second vMCE" 0.5
!wait-console 6 "NOT broken" 0.5
xl destroy final
xl create /etc/final.cfg
wait-console 7 "final-guest: tick 000002" 120
expect-output "xl migrate --debug-break=copy:0x340 final localhost" "gfn 0x340 broken at step copy" "(final)" "arrived as domain 8"
wait-console 8 "final-guest: #MC for gfn 0x340" 10
wait-console 8 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
!wait-console 8 "second vMCE" 0.5
!wait-console 8 "NOT broken" 0.5
xl destroy final
xl create /etc/final.cfg
wait-console 9 "final-guest: tick 000002" 120
expect-output "xl migrate --debug-break=copying:0x340 final localhost" "gfn 0x340 broken at step copying" "(final)" "arrived as domain 10"
wait-console 10 "final-guest: #MC for gfn 0x340" 10
wait-console 10 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
!wait-console 10 "second vMCE" 0.5
!wait-console 10 "NOT broken" 0.5
xl destroy final
xl create /etc/final.cfg
wait-console 11 "final-guest: tick 000002" 120
expect-output "xl migrate --debug-break=sent:0x340 final localhost" "gfn 0x340 broken at step sent" "(final)" "arrived as domain 12"
wait-console 12 "final-guest: #MC for gfn 0x340" 10
wait-console 12 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
!wait-console 12 "second vMCE" 0.5
!wait-console 12 "NOT broken" 0.5
xl destroy final
xl create /etc/final.cfg
wait-console 13 "final-guest: tick 000002" 120
expect-output "xl migrate --debug-break=tail:0x340 final localhost" "gfn 0x340 broken at step tail" "(final)" "arrived as domain 14"
wait-console 14 "final-guest: #MC for gfn 0x340" 10
wait-console 14 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
!wait-console 14 "second vMCE" 0.5
!wait-console 14 "NOT broken" 0.5
xl destroy final
xl create /etc/final.cfg
wait-console 15 "final-guest: tick 000002" 120
xen-mceinj -d 15 -g 0x320
wait-console 15 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
expect-output "xl migrate final localhost" "arrived as domain 16"
wait-console 16 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
!wait-console 16 "final-guest: #MC" 0.5
!wait-console 16 "NOT broken" 0.5
xl destroy final
free-pages fewer 8
