# Helpers the bench scripts share; each sources it:
#   . bench/lib.sh   (from the checkout's root, where each script runs)

# median prints the median of the numbers on stdin, one a line.
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# now prints the time in seconds, to the nanosecond.
now() { date +%s.%N; }

# home_in DIR points HOME and XDG_CACHE_HOME into DIR: every run starts from
# a user with nothing cached.
home_in() {
	export HOME="$1/home" XDG_CACHE_HOME="$1/cache"
	mkdir -p "$HOME"
}

# script_lines ROUTINECAST ROUTINE OUT writes the lines ROUTINE's voice says,
# one a row, to OUT (from the recording sheet's CSV: n,file,text,levels).
script_lines() {
	"$1" voice script "$2" --csv - --markdown "$3.md" 2>/dev/null | tail -n +2 |
		python3 -c 'import csv,sys; [print(r[2]) for r in csv.reader(sys.stdin) if r]' >"$3"
	rm -f "$3.md"
}

# wall OUT CMD... runs CMD with its output discarded and appends its wall
# time in seconds to OUT.
wall() {
	local out=$1 t0 t1
	shift
	t0=$(now)
	"$@" >/dev/null 2>&1
	t1=$(now)
	echo "$t1 - $t0" | bc >>"$out"
}
