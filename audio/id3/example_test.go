package id3_test

import (
	"bytes"
	"fmt"
	"log"
	"time"

	"routinecast/audio/id3"
)

func Example() {
	tag := id3.Tag{
		Title:    "Lower back — morning",
		Artist:   "routinecast",
		Language: "eng",
		Chapters: []id3.Chapter{
			{Title: "Warm-up", Start: 0, End: 90 * time.Second},
			{Title: "Knee to chest", Start: 90 * time.Second, End: 3*time.Minute + 20*time.Second},
		},
	}
	b, err := tag.Bytes()
	if err != nil {
		log.Fatal(err)
	}
	// In a real file the MP3 frames follow the tag.
	back, err := id3.Read(bytes.NewReader(b))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d-byte tag: %q by %s\n", len(b), back.Title, back.Artist)
	for _, c := range back.Chapters {
		fmt.Printf("%v–%v %s\n", c.Start, c.End, c.Title)
	}
	// Output:
	// 209-byte tag: "Lower back — morning" by routinecast
	// 0s–1m30s Warm-up
	// 1m30s–3m20s Knee to chest
}

func ExampleTag_Bytes_invalid() {
	tag := id3.Tag{
		Title:    "Evening",
		Language: "en",
		Chapters: []id3.Chapter{{Title: "Breathe", Start: 5 * time.Second, End: 2 * time.Second}},
	}
	_, err := tag.Bytes()
	fmt.Println(err)
	// Output:
	// id3: language "en" is not an ISO 639-2 code (three lowercase letters, such as "eng")
	// id3: chapter 1 "Breathe" ends at 2s, not after its start 5s (in whole milliseconds)
}
