# One bounded fuzz run for CTest: starts from an empty working corpus in the build tree (so
# the sources are never written and every run takes the same time), reads the seed folders,
# then mutates. Fails on any crash, sanitizer report, timeout or leak (libFuzzer's exit code);
# the input that failed is written to ${ARTIFACTS}crash-* (or timeout-*, leak-*, oom-*).
#   cmake -DFUZZER=path -DCORPUS=dir -DARTIFACTS=prefix -DRUNS=n -DSECONDS=s -DDICT=file -DSEEDS="a;b" -P fuzz_smoke.cmake
file(REMOVE_RECURSE ${CORPUS})
file(MAKE_DIRECTORY ${CORPUS})
set(args -runs=${RUNS} -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048
         -print_final_stats=1 -artifact_prefix=${ARTIFACTS})
if(DICT)
  list(APPEND args -dict=${DICT})
endif()
execute_process(COMMAND ${FUZZER} ${args} ${CORPUS} ${SEEDS} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${result}); the input is in ${ARTIFACTS}*")
endif()
