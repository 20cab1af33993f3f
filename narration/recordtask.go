package narration

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"routinecast/internal/atomicfile"
	"routinecast/routines"
)

// ScriptTask is what WriteScript writes: the recording sheet of Routine, as
// CSV and as Markdown. A path "" is NAME-recording.csv or .md after the
// routine's name, "-" is Out.
type ScriptTask struct {
	Routine       string
	CSV, Markdown string
}

// WriteScript writes the recording sheet of a routine at every level (see
// [NewSheet]), which names the command that imports the recordings.
func (t Tasks) WriteScript(o ScriptTask) error {
	scripts, err := t.scripts([]string{o.Routine}, routines.Levels())
	if err != nil {
		return err
	}
	sheet := NewSheet(scripts[0].Title, scripts...)
	sheet.Routine = o.Routine
	sheet.Import = "routinecast voice import FOLDER --voice MY-VOICE --routine " + ShellWords(o.Routine)
	base := strings.TrimSuffix(filepath.Base(o.Routine), filepath.Ext(o.Routine))
	if o.CSV == "" {
		o.CSV = base + "-recording.csv"
	}
	if o.Markdown == "" {
		o.Markdown = base + "-recording.md"
	}
	for _, out := range []struct {
		path  string
		write func(io.Writer) error
	}{{o.CSV, sheet.WriteCSV}, {o.Markdown, sheet.WriteMarkdown}} {
		if out.path == "-" {
			if err := out.write(t.Out); err != nil {
				return err
			}
			continue
		}
		if err := atomicfile.Write(out.path, func(f *atomicfile.File) error { return out.write(f) }); err != nil {
			return fmt.Errorf("voice script: %w", err)
		}
		fmt.Fprintf(t.Log, "wrote %d lines to %s\n", len(sheet.Lines), out.path)
	}
	fmt.Fprintf(t.Log, "record each line as the file named beside it, then run: %s\n", sheet.Import)
	return nil
}

// ImportTask is what ImportVoice imports: the recordings in Dir, into the
// recorded voice Voice (a folder, or a cached voice's name), for the lines
// of Routines (every built-in routine when empty). Language and Name are a
// new voice's; Language defaults to the routine's.
type ImportTask struct {
	Dir, Voice     string
	Routines       []string
	Language, Name string
	AsIs           bool // copy the recordings unchanged (see ImportOptions)
}

// ImportVoice takes a folder of recordings into a recorded voice (see
// [Import]), and lists the files that match no line and the lines still
// missing. Files that match no line, or a folder where none matches, are
// bad input: they are most often recordings of another routine.
func (t Tasks) ImportVoice(ctx context.Context, o ImportTask) error {
	if st, err := os.Stat(o.Dir); err != nil || !st.IsDir() {
		return inputError(fmt.Errorf("voice import: %s is not a folder of recordings", o.Dir))
	}
	if len(o.Routines) == 0 {
		// The built-in routines in one language: the embedded voice's,
		// unless another is asked for.
		lang := o.Language
		if lang == "" {
			lang = "en"
		}
		o.Routines = routines.BuiltinsIn(lang)
		if len(o.Routines) == 0 {
			return inputError(fmt.Errorf("voice import: no built-in routine is in %q: name the routines the recordings are of (--routine)", lang))
		}
	}
	scripts, err := t.scripts(o.Routines, routines.Levels())
	if err != nil {
		return err
	}
	if o.Language == "" {
		o.Language = scripts[0].Language
	}
	dir := o.Voice
	if found, err := FindVoice(dir); err == nil {
		dir = found
	}
	v, err := Prepare(dir, Manifest{Name: o.Name, Language: o.Language,
		Engine: EngineSpec{Name: Recorded}, Clips: ClipFormat{Format: "flac"}})
	if err != nil {
		return inputError(err)
	}
	lines := Texts(Lines(scripts...))
	res, err := Import(ctx, v, o.Dir, ImportOptions{Expected: lines, AsIs: o.AsIs})
	if err == nil && len(res.Imported) == 0 && len(res.Unexpected) == 0 {
		return inputError(fmt.Errorf("voice import: %s holds no recordings (WAV, FLAC or MP3 files named as 'routinecast voice script' says)", o.Dir))
	}
	names := strings.Join(o.Routines, ", ")
	if len(res.Imported) > 0 || err != nil {
		fmt.Fprintf(t.Out, "imported %d recordings into %s\n", len(res.Imported), v.describe())
	}
	if len(res.Unexpected) > 0 {
		fmt.Fprintf(t.Out, "%d files match no line of %s and were not imported:\n", len(res.Unexpected), names)
		for _, f := range res.Unexpected {
			fmt.Fprintf(t.Out, "  %s\n", f)
		}
	}
	switch {
	case len(res.Imported) == 0 && err == nil:
		// Nothing matched: the error says so; every line's name would bury it.
	case len(res.Missing) > 0:
		fmt.Fprintf(t.Out, "%d of %d lines still have no recording:\n", len(res.Missing), len(lines))
		for _, l := range res.Missing {
			fmt.Fprintf(t.Out, "  %s  (%s)\n", RecordingFile(l), l)
		}
	default:
		fmt.Fprintf(t.Out, "every line of %s has a recording\n", names)
	}
	if err != nil {
		return stopped(fmt.Errorf("voice import: %w", err),
			fmt.Sprintf("kept %d recordings imported before the interrupt; run it again to finish", len(res.Imported)))
	}
	// The recording sheet's command names the routine with --routine.
	hint := "name the recorded routine with --routine ROUTINE, and name each file as 'routinecast voice script ROUTINE' says"
	switch {
	case len(res.Imported) == 0:
		return inputError(fmt.Errorf("voice import: none of the %d files in %s matches a line of %s; %s", len(res.Unexpected), o.Dir, names, hint))
	case len(res.Unexpected) > 0:
		return inputError(fmt.Errorf("voice import: %d files in %s match no line of %s (listed above); %s", len(res.Unexpected), o.Dir, names, hint))
	}
	return nil
}
