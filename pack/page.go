package pack

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"time"
)

//go:embed page.html.tmpl
var pageSource string

var pageTemplate = template.Must(template.New("page").Parse(pageSource))

type pageData struct {
	Language, Title, Author, Description, Copyright, Version string
	Cover                                                    string
	CoverSize                                                int
	Episodes                                                 []pageEpisode
}

type pageEpisode struct {
	Slug, Title, Description, Level, Published, Duration string
	MP3, Transcript, ChaptersFile                        string
	Chapters                                             []pageChapter
}

type pageChapter struct {
	Title string
	Start string // seconds, for the player
	At    string // m:ss, for people
}

// writePage writes index.html: the pack's cover and text, and each episode
// with a player and its chapters. Every resource is inline or a relative URL,
// so the folder works wherever it is served from, and offline.
func writePage(w io.Writer, p *Pack, eps []built, version string) error {
	d := pageData{
		Language: p.Language, Title: p.Title, Author: p.Author, Description: p.Description,
		Copyright: p.Copyright, Version: version, Cover: coverName(p), CoverSize: 192,
	}
	for _, b := range eps {
		e := b.ep
		pe := pageEpisode{
			Slug: e.Slug, Title: e.Title, Description: e.Description, Level: string(e.Level),
			Published: e.Published.Format("2006-01-02"), Duration: clock(b.Duration.Truncate(time.Second)), // as a player shows it
			MP3: e.mp3Name(), Transcript: e.vttName(), ChaptersFile: e.chaptersName(),
		}
		for _, c := range b.Chapters {
			pe.Chapters = append(pe.Chapters, pageChapter{
				Title: c.Title,
				Start: strconv.FormatFloat(c.Start.Seconds(), 'f', 3, 64),
				At:    clock(c.Start),
			})
		}
		d.Episodes = append(d.Episodes, pe)
	}
	if err := pageTemplate.Execute(w, d); err != nil {
		return fmt.Errorf("pack: writing index.html: %w", err)
	}
	return nil
}

// clock formats a duration as m:ss, or h:mm:ss from an hour, rounding down.
func clock(d time.Duration) string {
	t := int(d / time.Second)
	if t >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", t/3600, t/60%60, t%60)
	}
	return fmt.Sprintf("%d:%02d", t/60, t%60)
}
