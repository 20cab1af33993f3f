package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"routinecast/internal/testtool"
	"routinecast/pack"
	"routinecast/routines"
)

// validateScript checks a JSON Schema and instances against it with
// python3-jsonschema, printing one line per invalid instance.
const validateScript = `
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
v = Draft202012Validator(schema)
for path in sys.argv[2:]:
    errs = sorted(v.iter_errors(json.load(open(path))), key=str)
    print(path, "invalid" if errs else "valid", errs[0].message[:200] if errs else "")
`

// jsonschema runs validateScript: schema against each YAML source, which it
// converts to JSON first, and returns each one's verdict.
func jsonschema(t *testing.T, schema []byte, sources map[string]string) map[string]string {
	t.Helper()
	py := testtool.Require(t, "python3")
	if err := exec.Command(py, "-c", "import jsonschema").Run(); err != nil {
		if testtool.Required() {
			t.Fatalf("python3-jsonschema is not installed, and ROUTINECAST_REQUIRE_TOOLS=1 requires it")
		}
		t.Skip("python3-jsonschema is not installed; skipping (set ROUTINECAST_REQUIRE_TOOLS=1 to fail instead)")
	}
	dir := t.TempDir()
	schemaFile := filepath.Join(dir, "schema.json")
	os.WriteFile(schemaFile, schema, 0o644)
	args := []string{"-c", validateScript, schemaFile}
	names := map[string]string{}
	for name, src := range sources {
		js, err := yaml.YAMLToJSON([]byte(src))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(name)+".json")
		os.WriteFile(f, js, 0o644)
		names[f] = name
		args = append(args, f)
	}
	out, err := exec.Command(py, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	verdicts := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f, verdict, _ := strings.Cut(line, " ")
		verdicts[names[f]] = strings.TrimSpace(verdict) // "valid", or "invalid" and why
	}
	return verdicts
}

// TestRoutineSchema: the schema 'schema routine' prints accepts the
// template, README's examples, the example routine and the built-in
// routines, and rejects what the loader rejects of the slips it can express.
func TestRoutineSchema(t *testing.T) {
	schema, errs, code := run(t, "schema", "routine")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	tmpl, _, _ := run(t, "new")
	if !strings.HasPrefix(tmpl, "# yaml-language-server: $schema=routine.schema.json\n") {
		t.Errorf("the template does not start with the yaml-language-server line:\n%.100s", tmpl)
	}
	valid := map[string]string{"template": tmpl}
	_, blocks := readmeBlocks(t, "yaml")
	for i, b := range blocks {
		if !strings.Contains(b, "\nepisodes:") {
			valid["README example "+string(rune('1'+i))] = b
		}
	}
	box, err := os.ReadFile("../examples/box-breathing.yaml")
	if err != nil {
		t.Fatal(err)
	}
	valid["examples/box-breathing.yaml"] = string(box)
	for _, name := range routines.BuiltinNames() {
		src, _ := routines.BuiltinSource(name)
		valid["built-in "+name] = string(src)
	}
	base := "title: Knee\nexercises:\n  - name: Quad sets\n    reps: 3\n    steps:\n      - Tighten your thigh.\n"
	invalid := map[string]string{
		"unknown key":        base + "    tempo: fast\n",
		"unknown top key":    "colour: red\n" + base,
		"wrong type":         base + "    sets: [3]\n",
		"text for a bool":    base + "      - count: yes please\n",
		"hold: 5 seconds":    base + "      - hold: 5 seconds\n",
		"negative count":     strings.Replace(base, "reps: 3", "reps: -3", 1),
		"zero count":         strings.Replace(base, "reps: 3", "reps: 0", 1),
		"hold 5s":            base + "      - hold 5s\n",
		"sides: both":        base + "    sides: both\n",
		"no steps":           "title: Knee\nexercises:\n  - name: Quad sets\n    steps: []\n",
		"two actions":        base + "      - hold: 3s\n        rest: 2s\n",
		"variant of variant": base + "    variant:\n      name: V\n      steps: [Go.]\n      variant:\n        name: W\n        steps: [Go.]\n",
		"missing title":      base[len("title: Knee\n"):],
		"unknown language":   "language: xx\n" + base,
	}
	valid["a line announcing a rest"] = base + "      - Rest 10 seconds.\n      - rest: 10s\n"
	sources := map[string]string{}
	for k, v := range valid {
		sources[k] = v
		name := k + ".yaml"
		if b, ok := strings.CutPrefix(k, "built-in "); ok {
			name = "builtin:" + b // its pictures are embedded beside it
		}
		if _, err := routines.Parse(name, []byte(v)); err != nil {
			t.Errorf("%s: the loader refuses it: %v", k, err)
		}
	}
	for k, v := range invalid {
		sources[k] = v
		if _, err := routines.Parse(k+".yaml", []byte(v)); err == nil {
			t.Errorf("%s: the loader accepts it", k)
		}
	}
	verdicts := jsonschema(t, []byte(schema), sources)
	for k := range valid {
		if verdicts[k] != "valid" {
			t.Errorf("%s: schema says %q, want valid", k, verdicts[k])
		}
	}
	for k := range invalid {
		if !strings.HasPrefix(verdicts[k], "invalid") {
			t.Errorf("%s: schema says %q, want invalid", k, verdicts[k])
		}
	}
}

// TestPackSchema: the schema 'schema pack' prints accepts the template and
// the example packs, and rejects an unknown key and a wrong type.
func TestPackSchema(t *testing.T) {
	schema, errs, code := run(t, "schema", "pack")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	tmpl := string(pack.Template())
	if !strings.HasPrefix(tmpl, "# yaml-language-server: $schema=pack.schema.json\n") {
		t.Errorf("the pack template does not start with the yaml-language-server line:\n%.100s", tmpl)
	}
	sources := map[string]string{"template": tmpl}
	for _, f := range []string{"back-care.yaml", "breathing.yaml"} {
		b, err := os.ReadFile(filepath.Join("..", "examples", f))
		if err != nil {
			t.Fatal(err)
		}
		sources[f] = string(b)
	}
	invalid := map[string]string{
		"unknown key":   tmpl + "colour: red\n",
		"wrong type":    strings.Replace(tmpl, "explicit: false", "explicit: 3", 1),
		"unknown level": strings.Replace(tmpl, "level: gentle", "level: hard", 1),
	}
	for k, v := range invalid {
		if v == tmpl {
			t.Fatalf("%s: the template changed; the case changes nothing", k)
		}
		sources[k] = v
	}
	verdicts := jsonschema(t, []byte(schema), sources)
	for k := range sources {
		want := "valid"
		if _, bad := invalid[k]; bad {
			want = "invalid"
		}
		if v, _, _ := strings.Cut(verdicts[k], " "); v != want {
			t.Errorf("%s: schema says %q, want %s", k, verdicts[k], want)
		}
	}
}

func TestSchemaUnknownKind(t *testing.T) {
	_, errs, code := run(t, "schema", "routines")
	if code != 2 || !strings.Contains(errs, `schema: "routines" is not a file format: did you mean routine?`) {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}
