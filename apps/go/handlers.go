package main

import (
	"encoding/json"
	"log"
	"net/http"
	"strconv"
	"strings"
)

const (
	serverName = "stacklab-go"
	textType   = "text/plain; charset=utf-8"
	jsonType   = "application/json; charset=utf-8"
)

type message struct {
	Message string `json:"message"`
}

// newHandler routes the standard API; store is nil when the app runs without a database.
func newHandler(store *worldStore) http.Handler {
	routes := map[string]http.HandlerFunc{
		"/plaintext": func(w http.ResponseWriter, r *http.Request) { writeText(w, http.StatusOK, "Hello, World!") },
		"/json": func(w http.ResponseWriter, r *http.Request) {
			// A fresh value encoded on every request, as TechEmpower's rules ask.
			writeJSON(w, message{Message: "Hello, World!"})
		},
		"/health": func(w http.ResponseWriter, r *http.Request) { writeText(w, http.StatusOK, "ok") },
		"/db": withStore(store, func(w http.ResponseWriter, r *http.Request) {
			world, err := store.randomWorld(r.Context())
			respond(w, r, world, err)
		}),
		"/queries": withStore(store, func(w http.ResponseWriter, r *http.Request) {
			worlds, err := store.randomWorlds(r.Context(), queryCount(r))
			respond(w, r, worlds, err)
		}),
		"/updates": withStore(store, func(w http.ResponseWriter, r *http.Request) {
			worlds, err := store.updateWorlds(r.Context(), queryCount(r))
			respond(w, r, worlds, err)
		}),
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler, ok := routes[r.URL.Path]
		if count, sized := sizedCount(r.URL.Path); sized && r.Method == http.MethodGet {
			writeBody(w, http.StatusOK, textType, filled[:count])
			return
		}
		if !ok || r.Method != http.MethodGet {
			writeText(w, http.StatusNotFound, "404 Not Found")
			return
		}
		handler(w, r)
	})
}

func withStore(store *worldStore, handler http.HandlerFunc) http.HandlerFunc {
	if store == nil {
		return func(w http.ResponseWriter, r *http.Request) {
			writeText(w, http.StatusServiceUnavailable, "503 Service Unavailable: no database (DATABASE_URL is not set)")
		}
	}
	return handler
}

func respond(w http.ResponseWriter, r *http.Request, value any, err error) {
	if err != nil {
		log.Printf("request failed: path=%s error=%v", r.URL.Path, err)
		writeText(w, http.StatusInternalServerError, "500 Internal Server Error")
		return
	}
	writeJSON(w, value)
}

func writeText(w http.ResponseWriter, status int, text string) {
	writeBody(w, status, textType, []byte(text))
}

// filled is the body of /bytes/N, cut from one buffer made at start: the route measures the server and its
// proxies (Istio's method asks for 1 KiB responses), not filling memory.
var filled = []byte(strings.Repeat("x", maxSizedBody))

const maxSizedBody = 1 << 20

// sizedCount reads N from /bytes/N: decimal digits only, 0 to 1 MiB; anything else is not the route (a 404).
func sizedCount(path string) (int, bool) {
	text, found := strings.CutPrefix(path, "/bytes/")
	if !found || text == "" || len(text) > 7 {
		return 0, false
	}
	for _, c := range text {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(text)
	if err != nil || n > maxSizedBody {
		return 0, false
	}
	return n, true
}

// writeBody writes a response with the headers every answer carries: Server, Content-Type, Content-Length.
func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	header := w.Header()
	header["Server"] = []string{serverName}
	header["Content-Type"] = []string{contentType}
	header["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	w.Write(body)
}

func writeJSON(w http.ResponseWriter, value any) {
	body, err := json.Marshal(value)
	if err != nil {
		writeText(w, http.StatusInternalServerError, "500 Internal Server Error")
		return
	}
	writeBody(w, http.StatusOK, jsonType, body)
}

// queryCount reads the queries parameter, clamped to 1...500: missing, empty, zero, negative or
// non-numeric means 1; any number above 500, however many digits, means 500.
func queryCount(r *http.Request) int {
	text := r.URL.Query().Get("queries")
	n, err := strconv.Atoi(text)
	if err != nil {
		// Atoi reports an overflow with the saturated value, so "99999999999999999999" means 500.
		if numErr, ok := err.(*strconv.NumError); !ok || numErr.Err != strconv.ErrRange {
			return 1
		}
	}
	return min(max(n, 1), 500)
}
