package yamlfile

import (
	"encoding/json"
	"maps"
	"slices"
)

// A Shape is what a value in a file may be. The loaders take their known
// keys from the same shapes that JSONSchema writes out, so that the schema
// editors check files against cannot drift from what the loader reads.
type Shape interface {
	schema() map[string]any
}

// Object is a mapping of known fields.
type Object struct {
	Doc    string
	Fields []Field
}

// Field is one key of an Object.
type Field struct {
	Name     string
	Doc      string
	Required bool
	Shape    Shape
}

// Keys are the object's field names, as Fields and Document take them.
func (o *Object) Keys() map[string]bool {
	keys := map[string]bool{}
	for _, f := range o.Fields {
		keys[f.Name] = true
	}
	return keys
}

// Required are the names of the fields that must be given, in order.
func (o *Object) Required() []string {
	var out []string
	for _, f := range o.Fields {
		if f.Required {
			out = append(out, f.Name)
		}
	}
	return out
}

func (o *Object) schema() map[string]any {
	props := map[string]any{}
	for _, f := range o.Fields {
		s := f.Shape.schema()
		if f.Doc != "" {
			s = maps.Clone(s)
			s["description"] = f.Doc
		}
		props[f.Name] = s
	}
	out := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if req := o.Required(); len(req) > 0 {
		out["required"] = req
	}
	if o.Doc != "" {
		out["description"] = o.Doc
	}
	return out
}

// Text is a scalar read as text. A YAML scalar such as 5 or true is a
// number or a boolean to a schema, so Text admits those too unless Strict.
type Text struct {
	Pattern string // an ECMA-262 regular expression the text matches, if any
	Not     string // one it must not match, if any
	Enum    []string
	MaxLen  int
	Strict  bool // strings only
}

func (t Text) schema() map[string]any {
	s := map[string]any{"type": "string"}
	if t.Pattern != "" {
		s["pattern"] = t.Pattern
	}
	if t.Not != "" {
		s["not"] = map[string]any{"pattern": t.Not}
	}
	if len(t.Enum) > 0 {
		s["enum"] = t.Enum
	}
	if t.MaxLen > 0 {
		s["maxLength"] = t.MaxLen
	}
	if t.Strict || t.Pattern != "" || len(t.Enum) > 0 {
		return s
	}
	return map[string]any{"anyOf": []any{s, map[string]any{"type": []string{"number", "boolean"}}}}
}

// Number is a number from Min to Max; Integer asks for a whole one.
type Number struct {
	Min, Max float64
	Integer  bool
	Enum     []float64
}

func (n Number) schema() map[string]any {
	s := map[string]any{"type": "number", "minimum": n.Min, "maximum": n.Max}
	if n.Integer {
		s["type"] = "integer"
	}
	if len(n.Enum) > 0 {
		s["enum"] = n.Enum
	}
	return s
}

// Bool is true or false.
type Bool struct{ Const *bool }

func (b Bool) schema() map[string]any {
	s := map[string]any{"type": "boolean"}
	if b.Const != nil {
		s["const"] = *b.Const
	}
	return s
}

// List is a list of items.
type List struct {
	Item     Shape
	MinItems int
	MaxItems int
}

func (l List) schema() map[string]any {
	s := map[string]any{"type": "array", "items": l.Item.schema()}
	if l.MinItems > 0 {
		s["minItems"] = l.MinItems
	}
	if l.MaxItems > 0 {
		s["maxItems"] = l.MaxItems
	}
	return s
}

// OneOf is a value of any one of its shapes.
type OneOf []Shape

func (o OneOf) schema() map[string]any {
	var alts []any
	for _, s := range o {
		alts = append(alts, s.schema())
	}
	return map[string]any{"anyOf": alts}
}

// Later is a shape made when the schema is written, from what is known
// only then (the languages there are phrasebooks for).
type Later func() Shape

func (l Later) schema() map[string]any { return l().schema() }

// Ref names a shape defined once in the schema's $defs (see JSONSchema).
type Ref string

func (r Ref) schema() map[string]any { return map[string]any{"$ref": "#/$defs/" + string(r)} }

// JSONSchema writes root as a JSON Schema (draft 2020-12) with id, title
// and the shapes defs that Refs name.
func JSONSchema(id, title string, root Shape, defs map[string]Shape) []byte {
	s := root.schema()
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["$id"] = id
	s["title"] = title
	if len(defs) > 0 {
		d := map[string]any{}
		for _, name := range slices.Sorted(maps.Keys(defs)) {
			d[name] = defs[name].schema()
		}
		s["$defs"] = d
	}
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(err) // maps of strings, numbers and slices always marshal
	}
	return append(out, '\n')
}
