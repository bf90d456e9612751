# xl-save-arm64: xl save an arm64 guest that ticks every 200 ms (checking
# its pattern, V0-V31, FPCR, FPSR and that its counter never goes back)
# to /tmp, xl restore it, and see it carry on in domain 2: its ticks go
# on (d2 prints ticks, never a banner of its own: a guest booted afresh
# would), no check failed, the source is gone and the host's frames
# come back when the restored domain is destroyed.
free-pages save
xl create /etc/saver.cfg
wait-console 1 "arm64-xl-saver: tick 5," 30
xl save saver /tmp/saver.img
!xl domid saver
xl restore /tmp/saver.img
wait-console 2 ", moved 1" 30
xl list
xl destroy saver
free-pages same
