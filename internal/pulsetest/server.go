package pulsetest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"routinecast/internal/testtool"
)

// Rate is the sample rate of recordings (mono, 16-bit).
const Rate = 44100

// startTimeout bounds the server's start-up and every pactl call.
const startTimeout = 15 * time.Second

// Server is a running private PulseAudio server with one null sink, which is the
// default sink.
type Server struct {
	// Dir is the server's XDG_RUNTIME_DIR and HOME (mode 0700).
	Dir string
	// Socket is the path of the native protocol socket.
	Socket string
	// Sink is the null sink's name; its monitor source is Sink + ".monitor".
	Sink string

	log  string // the server's stdout and stderr
	proc *os.Process
}

// Start starts a server for the test and stops it at cleanup. It skips the test
// when pulseaudio or pactl is missing (fails with ROUTINECAST_REQUIRE_TOOLS=1).
func Start(t testing.TB) *Server {
	t.Helper()
	pulseaudio := testtool.Require(t, "pulseaudio")
	pactl := testtool.Require(t, "pactl")

	// Not t.TempDir: a socket path must stay under 108 bytes, and test names
	// make those long.
	dir, err := os.MkdirTemp("", "rcpulse")
	if err != nil {
		t.Fatalf("pulsetest: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatalf("pulsetest: %v", err)
	}
	s := &Server{
		Dir:    dir,
		Socket: filepath.Join(dir, "pulse", "native"),
		Sink:   "routinecast_test",
		log:    filepath.Join(dir, "server.log"),
	}
	logf, err := os.Create(s.log)
	if err != nil {
		t.Fatalf("pulsetest: %v", err)
	}
	defer logf.Close()

	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, pulseaudio, "-n", "--daemonize=no", "--exit-idle-time=-1",
		"--disallow-exit", "--use-pid-file=no", "--log-target=stderr",
		"-L", "module-native-protocol-unix auth-anonymous=1",
		"-L", "module-null-sink sink_name="+s.Sink)
	cmd.Env = s.env(os.Environ())
	cmd.Stdout, cmd.Stderr = logf, logf
	// A clean exit removes the socket; kill only if it does not come.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("pulsetest: starting pulseaudio: %v", err)
	}
	s.proc = cmd.Process
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		s.Thaw() // a frozen server would take SIGTERM only when killed
		cancel()
		<-exited
	})

	if err := s.waitSocket(exited); err != nil {
		t.Fatalf("pulsetest: %v\nserver log:\n%s", err, s.Log())
	}
	if out, err := s.run(pactl, "set-default-sink", s.Sink); err != nil {
		t.Fatalf("pulsetest: pactl set-default-sink: %v: %s\nserver log:\n%s", err, out, s.Log())
	}
	return s
}

// Env returns the variables a client process needs to use this server and no
// other: PULSE_SERVER, and XDG_RUNTIME_DIR and HOME pointing to the server's
// directory so that no user configuration is read.
func (s *Server) Env() []string {
	return []string{
		"PULSE_SERVER=unix:" + s.Socket,
		"XDG_RUNTIME_DIR=" + s.Dir,
		"HOME=" + s.Dir,
	}
}

// env returns base with the server's variables replacing any of the same name.
func (s *Server) env(base []string) []string {
	return MergeEnv(base, s.Env()...)
}

// MergeEnv returns base with each NAME=value of set replacing a variable of the
// same name, or appended.
func MergeEnv(base []string, set ...string) []string {
	out := make([]string, 0, len(base)+len(set))
	names := map[string]bool{}
	for _, kv := range set {
		name, _, _ := strings.Cut(kv, "=")
		names[name] = true
	}
	for _, kv := range base {
		name, _, _ := strings.Cut(kv, "=")
		if !names[name] {
			out = append(out, kv)
		}
	}
	return append(out, set...)
}

// Pid is the server's process id, for a test whose child process freezes it.
func (s *Server) Pid() int { return s.proc.Pid }

// Freeze stops the server's process (SIGSTOP), as a sound server that hangs:
// its clients stay connected, and nothing they send is played or refused.
// Thaw, or the test's cleanup, lets it run again.
func (s *Server) Freeze() error { return s.proc.Signal(syscall.SIGSTOP) }

// Thaw lets a frozen server run again (SIGCONT).
func (s *Server) Thaw() error { return s.proc.Signal(syscall.SIGCONT) }

// Log returns what the server has written so far, for failure messages.
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.log)
	return string(b)
}

func (s *Server) waitSocket(exited <-chan error) error {
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("pulseaudio exited at start-up: %v", err)
		default:
		}
		if c, err := net.Dial("unix", s.Socket); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("pulseaudio socket %s did not appear within %v", s.Socket, startTimeout)
}

// run runs a PulseAudio client program against the server.
func (s *Server) run(prog string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Env = s.env(os.Environ())
	return cmd.CombinedOutput()
}

// Recording is parec recording the sink's monitor: mono, 16-bit, at Rate. It
// notes when each piece arrives, so that a test can tell when a sample was
// played (TimeAt).
type Recording struct {
	cmd    *exec.Cmd
	cancel context.CancelFunc
	done   chan struct{} // closed when parec has exited

	mu       sync.Mutex
	data     []byte
	t0       time.Time // estimate of when sample 0 was played (see TimeAt)
	err      error
	stopping bool
}

// Record starts recording the sink's monitor, and returns once samples flow. It
// is stopped by Stop or at test cleanup.
func (s *Server) Record(t testing.TB) *Recording {
	t.Helper()
	parec := testtool.Require(t, "parec")
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, parec, "-d", s.Sink+".monitor", "--format=s16le",
		fmt.Sprintf("--rate=%d", Rate), "--channels=1", "--latency-msec=10")
	cmd.Env = s.env(os.Environ())
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		t.Fatalf("pulsetest: %v", err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("pulsetest: starting parec: %v", err)
	}
	r := &Recording{cmd: cmd, cancel: cancel, done: make(chan struct{})}
	go r.read(out, &stderr)
	t.Cleanup(func() { r.Stop() })

	deadline := time.Now().Add(startTimeout)
	for r.Len() < Rate/20 {
		select {
		case <-r.done:
			t.Fatalf("pulsetest: parec stopped: %v\nserver log:\n%s", r.Err(), s.Log())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("pulsetest: parec recorded nothing within %v\nserver log:\n%s", startTimeout, s.Log())
		}
		time.Sleep(5 * time.Millisecond)
	}
	return r
}

func (r *Recording) read(out io.Reader, stderr *bytes.Buffer) {
	defer close(r.done)
	buf := make([]byte, 4096)
	for {
		n, err := out.Read(buf)
		now := time.Now()
		r.mu.Lock()
		r.data = append(r.data, buf[:n]...)
		// The last sample of what arrived was played no later than now, so
		// sample 0 was played no later than now - (samples-1)/Rate. The
		// earliest such bound is the one least delayed by the pipe.
		if samples := len(r.data) / 2; n > 0 && samples > 0 {
			t0 := now.Add(-time.Duration(samples-1) * time.Second / Rate)
			if r.t0.IsZero() || t0.Before(r.t0) {
				r.t0 = t0
			}
		}
		r.mu.Unlock()
		if err != nil {
			werr := r.cmd.Wait()
			r.mu.Lock()
			switch {
			case !errors.Is(err, io.EOF) && !errors.Is(err, os.ErrClosed):
				r.err = fmt.Errorf("pulsetest: reading parec: %w", err)
			case werr != nil && !r.stopping:
				r.err = fmt.Errorf("pulsetest: parec: %v: %s", werr, stderr.String())
			}
			r.mu.Unlock()
			return
		}
	}
}

// Len returns the number of samples recorded so far.
func (r *Recording) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.data) / 2
}

// Samples returns the samples recorded so far, in [-1, 1).
func (r *Recording) Samples() []float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]float64, len(r.data)/2)
	for i := range out {
		out[i] = float64(int16(binary.LittleEndian.Uint16(r.data[2*i:]))) / 32768
	}
	return out
}

// TimeAt estimates when sample i was played. It is good to about 10 ms: it is
// late by the smallest delay parec's output had on its way here, and early by
// however far the null sink renders ahead (bounded by parec's 10 ms latency).
func (r *Recording) TimeAt(i int) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.t0.Add(time.Duration(i) * time.Second / Rate)
}

// Index is the inverse of TimeAt: the sample played at t.
func (r *Recording) Index(t time.Time) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return int(t.Sub(r.t0) * Rate / time.Second)
}

// Stop stops parec and returns the recording. It may be called more than once.
func (r *Recording) Stop() ([]float64, error) {
	r.mu.Lock()
	r.stopping = true
	r.mu.Unlock()
	r.cancel()
	<-r.done
	return r.Samples(), r.Err()
}

// Err returns the error that stopped parec other than Stop, if any.
func (r *Recording) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}
