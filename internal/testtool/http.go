package testtool

import (
	"io"
	"net/http"
	"testing"
)

// Fetch sends req with client (http.DefaultClient when nil) and returns the
// response with its whole body, closed, failing the test when either cannot
// be had.
func Fetch(tb testing.TB, client *http.Client, req *http.Request) (*http.Response, []byte) {
	tb.Helper()
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s %s: reading the body: %v", req.Method, req.URL, err)
	}
	return resp, body
}
