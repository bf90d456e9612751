# xl-final-vmx: one case of xl-migrate-final (see there), short enough
# for Bochs: the hot page 0x340, dirty in the final round (PML on
# Bochs), broken during the copy of its batch (mapped, not yet read).
# The migration succeeds, the moved guest takes one vMCE for the page
# at resume (VMX's delivery of the carried vMCE), finds it broken and
# its pattern and last hot write intact; one frame is retired.
free-pages save
xl create /etc/final.cfg
wait-console 1 "final-guest: tick 000002" 120
expect-output "xl migrate --debug-break=copying:0x340 final localhost" "gfn 0x340 broken at step copying" "(final)" "arrived as domain 2"
wait-console 2 "final-guest: #MC for gfn 0x340" 30
wait-console 2 "vMCEs 1, broken 1 poisoned 1, pattern intact" 30
!wait-console 2 "second vMCE" 0.5
xl destroy final
free-pages fewer 1
