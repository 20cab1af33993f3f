package pack

import (
	"crypto/sha1"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"routinecast/handout"
	"routinecast/routines"
)

// The namespaces a podcast feed uses.
const (
	nsITunes  = "http://www.itunes.com/dtds/podcast-1.0.dtd"
	nsPodcast = "https://podcastindex.org/namespace/1.0"
	nsAtom    = "http://www.w3.org/2005/Atom"
)

// Chapter is a chapter of a built episode.
type Chapter struct {
	Title string        `json:"title"`
	Start time.Duration `json:"start_ns"`
}

// built is what the feed and the page need to know of a rendered episode.
type built struct {
	ep       *Episode
	Duration time.Duration
	Bytes    int64 // size of the MP3 file
	Chapters []Chapter
	// Summary is the episode's exercises at its level, as its handout and
	// the page list them.
	Summary *handout.Summary
	// Routine is the routine as Summary reads it, for its pictures and
	// schedule.
	Routine *routines.Routine
}

// The feed is marshalled from these types. encoding/xml writes a name such as
// "itunes:author" as it is, which with the xmlns attributes on <rss> is the
// prefixed element feed readers expect.
type rssFeed struct {
	XMLName xml.Name    `xml:"rss"`
	Version string      `xml:"version,attr"`
	ITunes  string      `xml:"xmlns:itunes,attr"`
	Podcast string      `xml:"xmlns:podcast,attr"`
	Atom    string      `xml:"xmlns:atom,attr"`
	Channel *rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string       `xml:"title"`
	Link        string       `xml:"link"`
	Self        atomLink     `xml:"atom:link"`
	Description string       `xml:"description"`
	Language    string       `xml:"language"`
	Copyright   string       `xml:"copyright,omitempty"`
	Generator   string       `xml:"generator"`
	PubDate     string       `xml:"pubDate,omitempty"`
	Image       rssImage     `xml:"image"`
	Author      string       `xml:"itunes:author"`
	ITImage     hrefAttr     `xml:"itunes:image"`
	Categories  []itCategory `xml:"itunes:category"`
	Explicit    string       `xml:"itunes:explicit"`
	Type        string       `xml:"itunes:type"`
	Owner       *itOwner     `xml:"itunes:owner,omitempty"`
	GUID        string       `xml:"podcast:guid"`
	Locked      *podLocked   `xml:"podcast:locked,omitempty"`
	Items       []rssItem    `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssImage struct {
	URL   string `xml:"url"`
	Title string `xml:"title"`
	Link  string `xml:"link"`
}

type hrefAttr struct {
	Href string `xml:"href,attr"`
}

type itCategory struct {
	Text string      `xml:"text,attr"`
	Sub  *itCategory `xml:"itunes:category,omitempty"`
}

type itOwner struct {
	Name  string `xml:"itunes:name"`
	Email string `xml:"itunes:email"`
}

type podLocked struct {
	Owner string `xml:"owner,attr,omitempty"`
	Value string `xml:",chardata"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	Description string        `xml:"description"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Enclosure   rssEnclosure  `xml:"enclosure"`
	Duration    int64         `xml:"itunes:duration"`
	Episode     int           `xml:"itunes:episode"`
	EpisodeType string        `xml:"itunes:episodeType"`
	Explicit    string        `xml:"itunes:explicit"`
	Chapters    podChapters   `xml:"podcast:chapters"`
	Transcript  podTranscript `xml:"podcast:transcript"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type podChapters struct {
	URL  string `xml:"url,attr"`
	Type string `xml:"type,attr"`
}

type podTranscript struct {
	URL      string `xml:"url,attr"`
	Type     string `xml:"type,attr"`
	Language string `xml:"language,attr,omitempty"`
}

// rfc2822 is the date format of RSS 2.0 (RFC 822 with four-digit years).
const rfc2822 = "Mon, 02 Jan 2006 15:04:05 -0700"

// writeFeed writes the RSS feed of a built pack. Nothing in it depends on the
// time of the build, so a rebuild with the same inputs writes the same bytes.
func writeFeed(w io.Writer, p *Pack, eps []built, version string) error {
	yesNo := func(b bool) string {
		if b {
			return "true"
		}
		return "false"
	}
	ch := &rssChannel{
		Title:       p.Title,
		Link:        p.Link,
		Self:        atomLink{Href: p.url("feed.xml"), Rel: "self", Type: "application/rss+xml"},
		Description: p.Description,
		Language:    p.Language,
		Copyright:   p.Copyright,
		Generator:   "routinecast " + version,
		Image:       rssImage{URL: p.url(coverName(p)), Title: p.Title, Link: p.Link},
		Author:      p.Author,
		ITImage:     hrefAttr{p.url(coverName(p))},
		Explicit:    yesNo(p.Explicit),
		Type:        "episodic",
		GUID:        podcastGUID(p.BaseURL + "feed.xml"),
	}
	if p.Email != "" {
		ch.Owner = &itOwner{Name: p.Author, Email: p.Email}
	}
	ch.Locked = &podLocked{Owner: p.Email, Value: "no"}
	if p.Locked {
		ch.Locked.Value = "yes"
	}
	for _, c := range p.Categories {
		ic := itCategory{Text: c.Name}
		if c.Sub != "" {
			ic.Sub = &itCategory{Text: c.Sub}
		}
		ch.Categories = append(ch.Categories, ic)
	}
	// Newest first, as feeds list them; the pack file's order breaks ties.
	order := make([]built, len(eps))
	copy(order, eps)
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i].ep, order[j].ep
		if !a.Published.Equal(b.Published) {
			return a.Published.After(b.Published)
		}
		return a.Number > b.Number
	})
	if len(order) > 0 {
		ch.PubDate = order[0].ep.Published.Format(rfc2822)
	}
	for _, b := range order {
		e := b.ep
		ch.Items = append(ch.Items, rssItem{
			Title:       e.Title,
			Link:        p.BaseURL + "#" + e.Slug, // the episode on index.html
			Description: e.Description,
			GUID:        rssGUID{IsPermaLink: "false", Value: p.guid(e)},
			PubDate:     e.Published.Format(rfc2822),
			Enclosure:   rssEnclosure{URL: p.url(e.mp3Name()), Length: b.Bytes, Type: "audio/mpeg"},
			Duration:    int64(math.Round(b.Duration.Seconds())),
			Episode:     e.Number,
			EpisodeType: "full",
			Explicit:    yesNo(p.Explicit),
			Chapters:    podChapters{URL: p.url(e.chaptersName()), Type: "application/json+chapters"},
			Transcript:  podTranscript{URL: p.url(e.vttName()), Type: "text/vtt", Language: transcriptLanguage(e, p)},
		})
	}
	feed := rssFeed{Version: "2.0", ITunes: nsITunes, Podcast: nsPodcast, Atom: nsAtom, Channel: ch}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("pack: writing feed: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(feed); err != nil {
		return fmt.Errorf("pack: writing feed: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("pack: writing feed: %w", err)
	}
	return nil
}

// transcriptLanguage is the language the episode is narrated in: its
// routine's, which picks the phrasebook, else the pack's.
func transcriptLanguage(e *Episode, p *Pack) string {
	if e.Routine != nil && e.Routine.Language != "" {
		return e.Routine.Language
	}
	return p.Language
}

// coverName is the cover's file name in the built folder.
func coverName(p *Pack) string { return "cover" + p.Cover.ext() }

// podcastGUID is the Podcasting 2.0 podcast:guid of a feed: a UUIDv5 of the
// feed's URL without its scheme and trailing slashes, in the namespace the
// specification gives.
func podcastGUID(feedURL string) string {
	_, rest, found := strings.Cut(feedURL, "://")
	if !found {
		rest = feedURL
	}
	rest = strings.TrimRight(rest, "/")
	ns := [16]byte{0xea, 0xd4, 0xc2, 0x36, 0xbf, 0x58, 0x58, 0xc6, 0xa2, 0xc6, 0xa6, 0xb2, 0x8d, 0x12, 0x8c, 0xb6}
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(rest))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
