// Command routinecast turns guided routines into voice-guided audio.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"routinecast/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := cli.Run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	msg, code := cli.Outcome(err)
	if msg != "" {
		fmt.Fprintln(os.Stderr, msg)
	}
	os.Exit(code)
}
