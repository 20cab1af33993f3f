package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"routinecast/pack"
	"routinecast/routines"
)

// readmeBlocks returns the fenced code blocks of README.md in a language.
func readmeBlocks(t *testing.T, lang string) (readme string, blocks []string) {
	t.Helper()
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?ms)^```" + lang + "\n(.*?)^```")
	for _, m := range re.FindAllStringSubmatch(string(data), -1) {
		blocks = append(blocks, m[1])
	}
	return string(data), blocks
}

// Every YAML example in the README validates, as a routine or a pack, so the
// documentation cannot drift from the format.
func TestReadmeYAMLExamplesValidate(t *testing.T) {
	_, blocks := readmeBlocks(t, "yaml")
	if len(blocks) == 0 {
		t.Fatal("README.md has no yaml examples: the test would prove nothing")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range blocks {
		// Paths in a pack example are relative to the checkout, where the
		// README is.
		name := filepath.Join(root, "README.md-example-"+string(rune('1'+i))+".yaml")
		if strings.Contains(b, "\nepisodes:") {
			if _, err := pack.Parse(name, []byte(b)); err != nil {
				t.Errorf("pack example %d does not validate:\n%v", i+1, err)
			}
			continue
		}
		r, err := routines.Parse(name, []byte(b))
		if err != nil {
			t.Errorf("routine example %d does not validate:\n%v", i+1, err)
		} else if len(r.Warnings) > 0 {
			t.Errorf("routine example %d validates with warnings:\n%v", i+1, r.Warnings)
		}
	}
}

// The routine template that 'new' prints is the one in routines' testdata,
// and it uses block lists for its lines.
func TestNewTemplateUsesBlockLists(t *testing.T) {
	for _, line := range strings.Split(routineTemplate, "\n") {
		code, _, _ := strings.Cut(line, "#")
		key, val, ok := strings.Cut(strings.TrimSpace(code), ":")
		if ok && strings.HasPrefix(strings.TrimSpace(val), "[") && spokenKey(strings.TrimPrefix(key, "- ")) {
			t.Errorf("template writes spoken lines as a flow list: %s", line)
		}
	}
}

func spokenKey(k string) bool {
	switch k {
	case "intro", "cautions", "outro", "say", "setup", "steps", "notes":
		return true
	}
	return false
}

// The walk-through "Your own routine in five minutes" works as written, from
// an empty cache and with nothing on PATH: every command in it exits 0.
func TestReadmeWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end and sequential: the full run covers it; -short is CI's race run")
	}
	readme, _ := readmeBlocks(t, "sh")
	i := strings.Index(readme, "## Your own routine in five minutes")
	if i < 0 {
		t.Fatal("README.md has no walk-through section")
	}
	section := readme[i:]
	if j := strings.Index(section[3:], "\n## "); j >= 0 {
		section = section[:j+3]
	}
	m := regexp.MustCompile("(?ms)^```sh\n(.*?)^```").FindStringSubmatch(section)
	if m == nil {
		t.Fatal("the walk-through has no sh block")
	}
	tmp := t.TempDir()
	t.Setenv("HOME", tmp)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(tmp, "cache"))
	t.Setenv("PATH", filepath.Join(tmp, "no-programs"))
	t.Chdir(tmp)
	var ran int
	for _, line := range strings.Split(strings.TrimSpace(m[1]), "\n") {
		stdout, stderr := runShellLine(t, line)
		ran++
		t.Logf("$ %s\n%s%s", line, stdout, stderr)
	}
	if ran < 4 {
		t.Fatalf("the walk-through ran only %d commands", ran)
	}
	for _, f := range []string{"neck.mp3", "neck-full.mp3"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) < 100000 || !(bytes.HasPrefix(data, []byte("ID3")) || data[0] == 0xff) {
			t.Errorf("%s: %d bytes, not an MP3", f, len(data))
		}
	}
	// A repeat renders nothing.
	_, stderr := runShellLine(t, "routinecast export neck.yaml --force -o neck.mp3")
	if strings.Contains(stderr, "rendering ") && strings.Contains(stderr, "missing clips") {
		t.Errorf("a repeated export rendered clips again:\n%s", stderr)
	}
}

// runShellLine runs one README command line in-process: "routinecast ARGS",
// optionally with "> FILE". It fails the test unless the command exits 0.
func runShellLine(t *testing.T, line string) (stdout, stderr string) {
	t.Helper()
	if code, _, _ := strings.Cut(line, " #"); code != line {
		line = code
	}
	words := strings.Fields(line)
	if len(words) == 0 || words[0] != "routinecast" {
		t.Fatalf("not a routinecast command: %q", line)
	}
	var redirect string
	if n := len(words); n >= 3 && words[n-2] == ">" {
		redirect, words = words[n-1], words[:n-2]
	}
	var out, errb bytes.Buffer
	err := Run(context.Background(), words, strings.NewReader(""), &out, &errb)
	if err != nil {
		t.Fatalf("$ %s\nexit %d: %v\n%s", line, ExitCode(err), err, errb.String())
	}
	if redirect != "" {
		if err := os.WriteFile(redirect, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return "", errb.String()
	}
	return out.String(), errb.String()
}

// The completion scripts the README's install section sources exist, and
// the shell's question (what may follow "voice") is answered.
func TestShellCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		out, errs, code := run(t, "completion", sh)
		if code != 0 || !strings.Contains(out, "routinecast") {
			t.Errorf("completion %s: exit %d, %d bytes\n%s", sh, code, len(out), errs)
		}
	}
	out, _, code := run(t, "voice", "--generate-shell-completion")
	if code != 0 || !strings.Contains(out, "render") || !strings.Contains(out, "list") {
		t.Errorf("completion after voice: exit %d\n%s", code, out)
	}
}

// Every --minutes example on a built-in routine in the README is a length
// the routine can reach: a reader who copies one gets the timeline, not an
// error.
func TestReadmeMinutesExamplesAreInReach(t *testing.T) {
	readme, _ := readmeBlocks(t, "sh")
	re := regexp.MustCompile(`routinecast \w+ (lower-back(?:-es)?) [^\n#]*--minutes (\d+)`)
	found := re.FindAllStringSubmatch(readme, -1)
	if len(found) == 0 {
		t.Fatal("README.md has no --minutes example on a built-in routine: the test would prove nothing")
	}
	for _, m := range found {
		if _, stderr, code := run(t, "show", m[1], "--minutes", m[2]); code != 0 {
			t.Errorf("README: %s\nshow %s --minutes %s: exit %d: %s", m[0], m[1], m[2], code, stderr)
		}
	}
}
