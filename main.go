// Command routinecast turns guided routines into voice-guided audio.
package main

import (
	"context"
	"errors"
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
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(os.Stderr, "routinecast: interrupted; nothing was written")
	case err != nil:
		if msg := err.Error(); msg != "" {
			fmt.Fprintln(os.Stderr, "routinecast:", msg)
		}
	}
	os.Exit(cli.ExitCode(err))
}
