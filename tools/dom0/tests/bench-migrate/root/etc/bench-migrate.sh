# bench-migrate: migrate-guest (512 pages written at RATE pages per ms;
# 0: as fast as it can) moved to this host three times; the bench script
# reads xl migrate's progress lines from the log. Each guest is checked
# on arrival like xl-migrate's.
xl create /etc/r1.cfg
wait-console 1 "migrate-guest: writing" 120
xl migrate r1 localhost
wait-console 2 "migrate-guest: arrived in domain 2 at generation" 120
xl destroy r1
xl create /etc/r4.cfg
wait-console 3 "migrate-guest: writing" 120
xl migrate r4 localhost
wait-console 4 "migrate-guest: arrived in domain 4 at generation" 120
xl destroy r4
xl create /etc/free.cfg
wait-console 5 "migrate-guest: writing" 120
xl migrate free localhost
wait-console 6 "migrate-guest: arrived in domain 6 at generation" 120
xl destroy free
