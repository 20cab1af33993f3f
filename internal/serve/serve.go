// Package serve runs an HTTP server until its context ends, the one way
// routinecast's servers (pack serve, page --serve, the studio) start and
// stop.
package serve

import (
	"context"
	"net"
	"net/http"
	"time"
)

// Grace is how long the requests under way at shutdown have to finish.
const Grace = 5 * time.Second

// Serve serves h on ln until ctx ends, then shuts down, giving the requests
// under way Grace to finish, and returns once the server has stopped. It
// returns the server's error if it stops by itself, else Shutdown's (nil
// when every request finished in time).
func Serve(ctx context.Context, h http.Handler, ln net.Listener) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), Grace)
	defer cancel()
	err := srv.Shutdown(shut)
	<-errc // http.ErrServerClosed, once Serve has returned
	return err
}
