# xl-save-errors: a guest saved with -c keeps running; then files that
# are not good saves (made by tools/dom0/tests/xl-save-errors/gen-bad.py:
# an xl header with a bad magic, a stream truncated inside a record, one
# of version 2, one with a page type an HVM guest cannot have, one whose
# PAGE_DATA count does not match its length) are each refused with the
# reader's message, leave no domain "victim" and no frame behind, and
# the source is still counting.
xl create /etc/saver.cfg
wait-console 1 "save-guest: tick 000002" 120
xl save -c 1 /tmp/good.img
wait-console 1 "save-guest: tick 000004" 120
free-pages save
!xl restore /etc/bad-magic.img
!xl restore /etc/truncated.img
!xl restore /etc/bad-version.img
!xl restore /etc/bad-type.img
!xl restore /etc/bad-count.img
!xl domid victim
free-pages same
wait-console 1 "save-guest: tick 000006" 120
xl destroy saver
