# xl-altp2m: xl.cfg's altp2m= sets HVM_PARAM_ALTP2M before the guest
# runs. altp2m-basic (xtf/tests/altp2m-basic) built by xl with
# altp2m="mixed" drives its own views and passes; the same kernel with
# altp2m="external" is refused its first call (-EPERM: only the
# toolstack may) and says so; altp2m="on" is refused by xl naming the
# key and the modes. Each guest powers off after its verdict and xl's
# death service destroys it; the host's free memory is back after each.
free-pages save
xl create /etc/mixed.cfg
wait-console 1 "Test result: SUCCESS" 60
wait-xs /local/domain/1 gone 60
free-pages same
xl create /etc/external.cfg
wait-console 2 "state before enable returned -1, expected 0" 60
wait-xs /local/domain/2 gone 60
free-pages same
expect-output -f "xl create /etc/bad.cfg" "bad value \"on\" for key \"altp2m\"" "\"disabled\", \"mixed\", \"external\", \"limited\""
free-pages same
xl list
