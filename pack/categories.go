package pack

import (
	"fmt"
	"sort"
	"strings"
)

// appleCategories are the Apple Podcasts categories and their subcategories
// (the list in force since 2019). Apple ignores, or refuses, anything else.
var appleCategories = map[string][]string{
	"Arts":                    {"Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"},
	"Business":                {"Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"},
	"Comedy":                  {"Comedy Interviews", "Improv", "Stand-Up"},
	"Education":               {"Courses", "How To", "Language Learning", "Self-Improvement"},
	"Fiction":                 {"Comedy Fiction", "Drama", "Science Fiction"},
	"Government":              nil,
	"History":                 nil,
	"Health & Fitness":        {"Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality"},
	"Kids & Family":           {"Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"},
	"Leisure":                 {"Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies", "Home & Garden", "Video Games"},
	"Music":                   {"Music Commentary", "Music History", "Music Interviews"},
	"News":                    {"Business News", "Daily News", "Entertainment News", "News Commentary", "Politics", "Sports News", "Tech News"},
	"Religion & Spirituality": {"Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality"},
	"Science":                 {"Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics", "Natural Sciences", "Nature", "Physics", "Social Sciences"},
	"Society & Culture":       {"Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships"},
	"Sports":                  {"Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf", "Hockey", "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness", "Wrestling"},
	"Technology":              nil,
	"True Crime":              nil,
	"TV & Film":               {"After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"},
}

// parseCategory reads "Name" or "Name/Subcategory", matching Apple's names
// case-insensitively and returning them spelled as Apple does.
func parseCategory(s string) (Category, error) {
	name, sub, hasSub := strings.Cut(s, "/")
	name, sub = strings.TrimSpace(name), strings.TrimSpace(sub)
	var c Category
	for top := range appleCategories {
		if strings.EqualFold(top, name) {
			c.Name = top
		}
	}
	if c.Name == "" {
		tops := make([]string, 0, len(appleCategories))
		for top := range appleCategories {
			tops = append(tops, top)
		}
		sort.Strings(tops)
		return c, fmt.Errorf("%q is not an Apple Podcasts category (%s)", name, strings.Join(tops, ", "))
	}
	if !hasSub {
		return c, nil
	}
	subs := appleCategories[c.Name]
	for _, s := range subs {
		if strings.EqualFold(s, sub) {
			c.Sub = s
			return c, nil
		}
	}
	if len(subs) == 0 {
		return c, fmt.Errorf("%q has no subcategories in Apple Podcasts", c.Name)
	}
	return c, fmt.Errorf("%q is not a subcategory of %q (%s)", sub, c.Name, strings.Join(subs, ", "))
}
