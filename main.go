// Command routinecast turns guided routines into voice-guided audio.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"

	"routinecast/cli"
)

func main() {
	// The program speaks to the user through its commands' messages only.
	// What libraries print through the standard logger is not for the user:
	// mewkiz/flac notes every frame of a FLAC at a sample rate its own tests
	// lack (24 kHz), seventy lines for a 3-second recording.
	log.SetOutput(io.Discard)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := cli.Run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	msg, code := cli.Outcome(err)
	if msg != "" {
		fmt.Fprintln(os.Stderr, msg)
	}
	os.Exit(code)
}
