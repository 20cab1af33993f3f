// Package chromium starts headless Chromium for the tests that drive a page,
// through chromedp, and runs their steps with a timeout each. It is apart
// from package testtool so that only those tests build chromedp.
package chromium

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"routinecast/internal/testtool"
)

// stepTimeout bounds each Do and Eval: a page that never answers fails the
// test with what it was doing.
const stepTimeout = 90 * time.Second

// Start starts headless Chromium, as testtool.Require finds it (skipping the
// test when it is missing, failing it when ROUTINECAST_REQUIRE_TOOLS=1),
// with media that plays unprompted and silently, and returns the context of
// its first tab. opts add to or override the flags. The browser stops and
// its profile goes when the test ends.
func Start(tb testing.TB, opts ...chromedp.ExecAllocatorOption) context.Context {
	tb.Helper()
	bin := testtool.Require(tb, "chromium")
	// Not tb.TempDir: Chromium's helper processes may still be writing the
	// profile for a moment after the browser is gone, and TempDir's cleanup
	// fails the test on a folder that is not empty.
	profile, err := os.MkdirTemp("", "routinecast-chromium-")
	if err != nil {
		tb.Fatal(err)
	}
	all := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(profile),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("mute-audio", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(all, opts...)...)
	ctx, cancel := chromedp.NewContext(actx)
	tb.Cleanup(func() {
		cancel()
		cancelAlloc()
		for i := 0; i < 50 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	// The first action starts the browser, which lives as long as that
	// action's context: it must not carry a timeout.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		tb.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// Do runs steps in the tab, failing the test with what it was doing.
func Do(tb testing.TB, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	tctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}

// Eval evaluates a JavaScript expression in the page, awaiting it when it
// is a promise, and returns its value decoded from JSON.
func Eval[T any](tb testing.TB, ctx context.Context, expr string) T {
	tb.Helper()
	return Run(tb, ctx, expr, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// Run runs one action that returns a value, failing the test with what it
// was doing.
func Run[T any](tb testing.TB, ctx context.Context, what string, a chromedp.Action[T]) T {
	tb.Helper()
	tctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(tctx, a)
	if err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
	return v
}
