# Helpers the bench scripts share; each sources it:
#   . bench/lib.sh   (from the checkout's root, where each script runs)

# median prints the median of the numbers on stdin, one a line.
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# now prints the time in seconds, to the nanosecond.
now() { date +%s.%N; }
