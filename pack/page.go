package pack

import (
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"routinecast/handout"
	"routinecast/internal/qr"
	"routinecast/routines"
)

//go:embed page.html.tmpl
var pageSource string

var pageTemplate = template.Must(template.New("page").Parse(pageSource))

type pageData struct {
	Language, Title, Author, Description, Copyright, Version string
	Cover                                                    string
	CoverSize                                                int
	// Feed is the published feed's URL; Base the published folder's, which
	// the page's script compares with where it is read from.
	Feed, Base string
	FeedQR     template.HTML // an inline SVG
	Subscribe  []subscribeLink
	Episodes   []pageEpisode
	W          pageWords // the page's own words, in its language
}

type pageEpisode struct {
	Slug, Title, Description, Level, Published, Duration string
	MP3, Transcript, ChaptersFile, Handout, Follow       string
	Schedule                                             string // in words
	Exercises                                            []pageExercise
	Chapters                                             []pageChapter
}

type pageExercise struct {
	Name, Dose string
	// Picture is the exercise's picture as a data: URL, so the page keeps
	// working offline and wherever it is served from.
	Picture template.URL
	Variant *pageExercise
}

type pageChapter struct {
	Title string
	Start string // seconds, for the player
	At    string // m:ss, for people
}

// subscribeLink opens the feed in a podcast app. Template makes it from the
// feed's URL ({url}; {bare} without its scheme; {enc} query-escaped), so
// that the page's script can make it again for the address a pack is served at.
type subscribeLink struct {
	App      string
	Href     template.URL
	Template string
}

// The apps' subscribe links: Apple Podcasts opens podcast:// (the feed without
// its scheme), Overcast an x-callback-url with the feed, Pocket Casts
// pktc://subscribe/ (without the scheme), AntennaPod its deep-link page, which
// opens the app or offers to install it.
var subscribeTemplates = []struct{ app, tmpl string }{
	{"Apple Podcasts", "podcast://{bare}"},
	{"Overcast", "overcast://x-callback-url/add?url={enc}"},
	{"Pocket Casts", "pktc://subscribe/{bare}"},
	{"AntennaPod", "https://antennapod.org/deeplink/subscribe/?url={enc}"},
	{"RSS feed", "{url}"},
}

func subscribeLinks(feed string) []subscribeLink {
	_, bare, _ := strings.Cut(feed, "://")
	var out []subscribeLink
	for _, s := range subscribeTemplates {
		href := strings.NewReplacer("{url}", feed, "{bare}", bare, "{enc}", url.QueryEscape(feed)).Replace(s.tmpl)
		// The links are built here from the pack's validated base URL; their
		// app schemes are meant, so html/template must not filter them.
		out = append(out, subscribeLink{App: s.app, Href: template.URL(href), Template: s.tmpl})
	}
	return out
}

// qrSVG draws a QR code of text as an inline SVG: one path of unit squares, a
// run of dark modules at a time, with its quiet zone.
func qrSVG(text, label string) (template.HTML, error) {
	n, runs, err := qr.Runs(text)
	if err != nil {
		return "", fmt.Errorf("pack: QR code of %q: %w", text, err)
	}
	var d strings.Builder
	for _, r := range runs {
		fmt.Fprintf(&d, "M%d %dh%dv1h-%dz", r.Col, r.Row, r.Len, r.Len)
	}
	svg := fmt.Sprintf(`<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-label="%s"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		n, n, template.HTMLEscapeString(label), n, n, d.String())
	return template.HTML(svg), nil
}

// writePage writes index.html: the pack's title, ways to subscribe (app
// links and a QR code of the feed), and each episode with a player, its
// exercises with their holds and repetitions, its chapters and its handout.
// Every resource is inline or a relative URL, so the folder works wherever
// it is served from, and offline.
func writePage(w io.Writer, p *Pack, eps []built, version string) error {
	feed := p.url("feed.xml")
	qr, err := qrSVG(feed, "QR code of the podcast feed "+feed)
	if err != nil {
		return err
	}
	d := pageData{
		Language: p.Language, Title: p.Title, Author: p.Author, Description: p.Description,
		Copyright: p.Copyright, Version: version, Cover: coverName(p), CoverSize: 192,
		Feed: feed, Base: p.BaseURL, FeedQR: qr, Subscribe: subscribeLinks(feed),
		W: wordsFor(p.Language),
	}
	for _, b := range eps {
		e := b.ep
		pe := pageEpisode{
			Slug: e.Slug, Title: e.Title, Description: e.Description, Level: string(e.levelName()),
			Published: e.Published.Format("2006-01-02"), Duration: routines.FormatClock(b.Duration.Truncate(time.Second)), // as a player shows it
			MP3: e.mp3Name(), Transcript: e.vttName(), ChaptersFile: e.chaptersName(), Follow: e.followName(),
		}
		if b.Routine != nil {
			pe.Schedule = handout.ScheduleWords(b.Routine.Schedule, b.Routine.Language)
		}
		if b.Summary != nil {
			pe.Handout = e.handoutName()
			for i, ex := range b.Summary.Exercises {
				var rx *routines.Exercise
				if b.Routine != nil && i < len(b.Routine.Exercises) {
					rx = &b.Routine.Exercises[i]
				}
				x, err := pageExerciseOf(ex, rx)
				if err != nil {
					return fmt.Errorf("pack: episode %s: %w", e.Slug, err)
				}
				pe.Exercises = append(pe.Exercises, x)
			}
		}
		for _, c := range b.Chapters {
			pe.Chapters = append(pe.Chapters, pageChapter{
				Title: c.Title,
				Start: strconv.FormatFloat(c.Start.Seconds(), 'f', 3, 64),
				At:    routines.FormatClock(c.Start),
			})
		}
		d.Episodes = append(d.Episodes, pe)
	}
	if err := pageTemplate.Execute(w, d); err != nil {
		return fmt.Errorf("pack: writing index.html: %w", err)
	}
	return nil
}

// pageExerciseOf is an exercise as the page lists it, with the picture of
// the routine's exercise rx (nil: none).
func pageExerciseOf(ex handout.Exercise, rx *routines.Exercise) (pageExercise, error) {
	pe := pageExercise{Name: ex.Name, Dose: ex.Dose}
	if rx != nil && rx.Image != nil {
		b, err := rx.Image.Read()
		if err != nil {
			return pe, err
		}
		// The bytes were validated as a PNG or JPEG of this type, and the
		// URL is made here: html/template need not filter it.
		pe.Picture = template.URL("data:" + rx.Image.Type + ";base64," + base64.StdEncoding.EncodeToString(b))
	}
	if ex.Variant != nil {
		var rv *routines.Exercise
		if rx != nil {
			rv = rx.Variant
		}
		v, err := pageExerciseOf(*ex.Variant, rv)
		if err != nil {
			return pe, err
		}
		pe.Variant = &v
	}
	return pe, nil
}
