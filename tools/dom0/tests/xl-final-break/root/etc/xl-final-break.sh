# xl-final-break: for each step of the final round, xl save breaks gfn
# 0x310 of final-guest there (--debug-break=STEP:GFN, test-only, through
# xc_wren_break_gfn), and xl restore brings it back in a new domain.
# There the guest must take exactly one vMCE for 0x310 at resume (the
# one it was owed on the source, carried as WREN_VMCE_PENDING), find
# the page broken (its probe gets a #MC, never data) and the rest of its
# pattern intact. The steps: the guest stopped (no batch yet), before
# the batch's type query, between query and copy, during the copy (the
# pages mapped), after the batch went, after the last batch. Then a
# guest told of a broken page before the save (xen-mceinj while it
# runs) must get no vMCE after the restore and still find the page
# broken. The restored domain keeps the uuid of final.cfg (its /vm node).
# Saving destroys each source; at the end every frame is back
# but the broken ones (retired for good: one per case).
free-pages save
xl create /etc/final.cfg
wait-console 1 "final-guest: tick 000002" 120
xl save --debug-break=stopped:0x310 final /tmp/final.img
xl restore /tmp/final.img
wait-xs /local/domain/2/vm =/vm/f1a1b4ea-0003-4e57-8a11-0000c0ffee00 1
wait-xs /vm/f1a1b4ea-0003-4e57-8a11-0000c0ffee00/uuid =f1a1b4ea-0003-4e57-8a11-0000c0ffee00 1
wait-console 2 "final-guest: #MC for gfn 0x310" 10
wait-console 2 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
!wait-console 2 "second vMCE" 0.5
!wait-console 2 "NOT broken" 0.5
xl destroy final
xl create /etc/final.cfg
wait-console 3 "final-guest: tick 000002" 120
xl save --debug-break=query:0x310 final /tmp/final.img
xl restore /tmp/final.img
wait-console 4 "final-guest: #MC for gfn 0x310" 10
wait-console 4 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
!wait-console 4 "second vMCE" 0.5
!wait-console 4 "NOT broken" 0.5
xl destroy final
xl create /etc/final.cfg
wait-console 5 "final-guest: tick 000002" 120
xl save --debug-break=copy:0x310 final /tmp/final.img
xl restore /tmp/final.img
wait-console 6 "final-guest: #MC for gfn 0x310" 10
wait-console 6 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
!wait-console 6 "second vMCE" 0.5
!wait-console 6 "NOT broken" 0.5
xl destroy final
xl create /etc/final.cfg
wait-console 7 "final-guest: tick 000002" 120
xl save --debug-break=copying:0x310 final /tmp/final.img
xl restore /tmp/final.img
wait-console 8 "final-guest: #MC for gfn 0x310" 10
wait-console 8 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
!wait-console 8 "second vMCE" 0.5
!wait-console 8 "NOT broken" 0.5
xl destroy final
xl create /etc/final.cfg
wait-console 9 "final-guest: tick 000002" 120
xl save --debug-break=sent:0x310 final /tmp/final.img
xl restore /tmp/final.img
wait-console 10 "final-guest: #MC for gfn 0x310" 10
wait-console 10 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
!wait-console 10 "second vMCE" 0.5
!wait-console 10 "NOT broken" 0.5
xl destroy final
xl create /etc/final.cfg
wait-console 11 "final-guest: tick 000002" 120
xl save --debug-break=tail:0x310 final /tmp/final.img
xl restore /tmp/final.img
wait-console 12 "final-guest: #MC for gfn 0x310" 10
wait-console 12 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
!wait-console 12 "second vMCE" 0.5
!wait-console 12 "NOT broken" 0.5
xl destroy final
xl create /etc/final.cfg
wait-console 13 "final-guest: tick 000002" 120
xen-mceinj -d 13 -g 0x320
wait-console 13 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
xl save final /tmp/final.img
xl restore /tmp/final.img
wait-console 14 "vMCEs 1, broken 1 poisoned 1, pattern intact" 10
!wait-console 14 "final-guest: #MC" 0.5
!wait-console 14 "NOT broken" 0.5
xl destroy final
free-pages fewer 7
