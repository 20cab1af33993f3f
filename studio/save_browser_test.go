package studio_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"routinecast/internal/testtool"
	"routinecast/internal/testtool/chromium"
	"routinecast/studio"
)

// TestStudioSaveConflictInChromium edits the routine in the page while
// another editor changes the file on disk: Save keeps the other edit and
// offers a choice; Overwrite replaces it deliberately, Reload shows it.
func TestStudioSaveConflictInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium")
	}
	testtool.Require(t, "chromium")
	dir := t.TempDir()
	routine := testtool.WriteFile(t, filepath.Join(dir, "my.yaml"), studio.TinyRoutine)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	url := startStudio(t, ctx, routine, "--no-browser")
	b := chromium.Start(t)
	chromium.Do(t, b, "opening the printed URL", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)))
	typeText := func(text string) {
		chromium.Do(t, b, "typing", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
			`(() => { const s = document.querySelector("#src"); s.value = %q; s.dispatchEvent(new Event("input")); })()`, text)))
	}
	onDisk := func() string {
		got, err := os.ReadFile(routine)
		if err != nil {
			t.Fatal(err)
		}
		return string(got)
	}

	mine := strings.Replace(studio.TinyRoutine, "Sit tall.", "Sit up tall.", 1)
	theirs := strings.Replace(studio.TinyRoutine, "reps: 2", "reps: 3", 1)
	typeText(mine)
	testtool.WriteFile(t, routine, theirs)
	chromium.Do(t, b, "saving", chromedp.Click(chromedp.CSS("#save")))
	waitFor(t, b, "the conflict offered", `!document.querySelector("#conflict").hidden`)
	if got := onDisk(); got != theirs {
		t.Fatalf("the edit made on disk was lost; the file holds:\n%s", got)
	}
	if msg := chromium.Eval[string](t, b, `document.querySelector("#conflict-text").textContent`); !strings.Contains(msg, "changed on disk") {
		t.Errorf("the page says %q", msg)
	}
	chromium.Do(t, b, "overwriting", chromedp.Click(chromedp.CSS("#overwrite")))
	waitFor(t, b, "saved", `document.querySelector("#check-status").textContent === "saved" && document.querySelector("#conflict").hidden`)
	if got := onDisk(); got != mine {
		t.Errorf("after Overwrite the file holds:\n%s", got)
	}

	// Again, and this time Reload.
	theirs = strings.Replace(studio.TinyRoutine, "Let your arms hang.", "Let your arms hang loose.", 1)
	typeText(strings.Replace(mine, "reps: 2", "reps: 4", 1))
	testtool.WriteFile(t, routine, theirs)
	chromium.Do(t, b, "saving", chromedp.Click(chromedp.CSS("#save")))
	waitFor(t, b, "the conflict offered", `!document.querySelector("#conflict").hidden`)
	chromium.Do(t, b, "reloading", chromedp.Click(chromedp.CSS("#reload")))
	waitFor(t, b, "the file on disk in the editor", fmt.Sprintf(`document.querySelector("#src").value === %q && document.querySelector("#conflict").hidden`, theirs))
	waitFor(t, b, "the lines of the file on disk", `[...document.querySelectorAll("#lines li .text")].some(e => e.textContent === "Let your arms hang loose.")`)
	if got := onDisk(); got != theirs {
		t.Errorf("after Reload the file holds:\n%s", got)
	}
	// A save after the reload is taken.
	typeText(strings.Replace(theirs, "reps: 2", "reps: 5", 1))
	chromium.Do(t, b, "saving", chromedp.Click(chromedp.CSS("#save")))
	waitFor(t, b, "saved", `document.querySelector("#check-status").textContent === "saved"`)
	if got := onDisk(); !strings.Contains(got, "reps: 5") || !strings.Contains(got, "hang loose") {
		t.Errorf("the save after the reload wrote:\n%s", got)
	}
}
