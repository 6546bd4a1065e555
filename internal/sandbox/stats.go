package sandbox

import (
	"net/http"
	"sync"
)

// Stats counts requests per endpoint (a route pattern such as
// "GET /rest/v1.0/folders/{id}", or "storage GET /s3/..." for the storage
// listener) and status code.
type Stats struct {
	Endpoints map[string]map[int]int64 `json:"endpoints"`
	Total     int64                    `json:"total"`
}

// Count returns the number of requests to endpoint, any status.
func (s Stats) Count(endpoint string) int64 {
	var n int64
	for _, c := range s.Endpoints[endpoint] {
		n += c
	}

	return n
}

// CountStatus returns the number of requests to endpoint answered with status.
func (s Stats) CountStatus(endpoint string, status int) int64 {
	return s.Endpoints[endpoint][status]
}

type statsSet struct {
	mu sync.Mutex
	m  map[string]map[int]int64
	n  int64
}

func newStats() *statsSet { return &statsSet{m: map[string]map[int]int64{}} }

func (s *statsSet) add(endpoint string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.m[endpoint] == nil {
		s.m[endpoint] = map[int]int64{}
	}

	s.m[endpoint][status]++
	s.n++
}

func (s *statsSet) snapshot() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()

	out := Stats{Endpoints: map[string]map[int]int64{}, Total: s.n}
	for k, v := range s.m {
		c := map[int]int64{}
		for st, n := range v {
			c[st] = n
		}

		out.Endpoints[k] = c
	}

	return out
}

// Stats returns a copy of the request counts since start or the last ResetStats.
func (s *Server) Stats() Stats { return s.stats.snapshot() }

// ResetStats sets all request counts to zero.
func (s *Server) ResetStats() {
	s.stats.mu.Lock()
	s.stats.m = map[string]map[int]int64{}
	s.stats.n = 0
	s.stats.mu.Unlock()
}

// handleStats serves GET /_sandbox/stats (no token needed, not counted, not
// rate limited). DELETE resets the counts.
func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodDelete {
		s.ResetStats()
		w.WriteHeader(http.StatusNoContent)

		return
	}

	writeJSON(w, http.StatusOK, s.Stats())
}
