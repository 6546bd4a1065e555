package sandbox

import (
	"math/rand"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault endpoints beyond API route patterns.
const (
	// FaultAPI matches every API-host request except /oauth/* and /_sandbox/*.
	FaultAPI = "api"
	// FaultDownload matches storage downloads (GET of file contents).
	FaultDownload = "download"
	// FaultSegmentPut matches storage PUTs of upload segments.
	FaultSegmentPut = "storage_put"
	// FaultFormPost matches single-part storage POST uploads.
	FaultFormPost = "storage_post"
)

// FaultRule describes one injected fault. A rule matches requests by Endpoint
// (an API route pattern such as "GET /rest/v1.0/folders/{id}", or one of
// FaultAPI, FaultDownload, FaultSegmentPut, FaultFormPost) and, for downloads,
// FileID. Matching requests are counted per rule; Nth > 0 fires on exactly the
// Nth match, otherwise every match fires with Probability (1 when 0), at most
// Count times (unlimited when 0).
type FaultRule struct {
	Endpoint    string
	FileID      int64
	Nth         int
	Probability float64
	Count       int

	// Status answers with this code (429, 500, 502, 503...). 503 and 429 carry
	// Retry-After (RetryAfter, at least 1 s) unless NoRetryAfter.
	Status       int
	RetryAfter   time.Duration
	NoRetryAfter bool
	// S3Code makes the Status answer an S3-style XML error with this code,
	// as the storage host gives them: Status 400 with S3Code "RequestTimeout"
	// is S3 closing an upload whose socket sat idle too long.
	S3Code string
	// Drop closes the connection after DropAfter bytes of a download body, or
	// after reading DropAfter bytes of an upload body (no answer is sent). On
	// an API request it acts like LoseResponse.
	Drop      bool
	DropAfter int64
	// LoseResponse lets an API request take effect and then closes the
	// connection without an answer, as when a response is lost on the network.
	LoseResponse bool
	// Latency delays the request.
	Latency time.Duration
	// ExpireToken expires the caller's access token before the request is
	// authenticated, so it answers 401.
	ExpireToken bool
	// ExpireUpload expires the upload's instructions before a storage request,
	// so it answers 403.
	ExpireUpload bool
}

type ruleState struct {
	FaultRule
	seen, fired int
}

type faultSet struct {
	mu      sync.Mutex
	rules   []*ruleState
	rng     *rand.Rand
	rate    float64
	latency time.Duration
}

func newFaultSet(o Options) *faultSet {
	fs := &faultSet{rng: rand.New(rand.NewSource(o.FaultSeed)), rate: o.FaultRate, latency: o.Latency}
	for _, r := range o.Faults {
		fs.rules = append(fs.rules, &ruleState{FaultRule: r})
	}

	return fs
}

// AddFault installs a fault rule; it applies to requests that arrive after it.
func (s *Server) AddFault(r FaultRule) {
	s.faults.mu.Lock()
	s.faults.rules = append(s.faults.rules, &ruleState{FaultRule: r})
	s.faults.mu.Unlock()
}

// ClearFaults removes every fault rule and turns random faults and latency off.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	s.faults.rules = nil
	s.faults.rate = 0
	s.faults.latency = 0
	s.faults.mu.Unlock()
}

// SetFaultRate sets the probability of random faults, with a new seed.
func (s *Server) SetFaultRate(p float64, seed int64) {
	s.faults.mu.Lock()
	s.faults.rate = p
	s.faults.rng = rand.New(rand.NewSource(seed))
	s.faults.mu.Unlock()
}

// SetLatency sets the delay added to every request.
func (s *Server) SetLatency(d time.Duration) {
	s.faults.mu.Lock()
	s.faults.latency = d
	s.faults.mu.Unlock()
}

// fire finds the first rule that fires for the request, counting matches.
// With no rule firing, a random fault may fire (random=true).
func (fs *faultSet) fire(endpoint string, kind string, fileID int64) (FaultRule, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()

	for _, r := range fs.rules {
		if !r.matches(endpoint, kind, fileID) {
			continue
		}

		r.seen++
		if r.Count > 0 && r.fired >= r.Count {
			continue
		}

		if r.Nth > 0 && r.seen != r.Nth {
			continue
		}

		if r.Nth == 0 && r.Probability > 0 && fs.rng.Float64() >= r.Probability {
			continue
		}

		r.fired++

		return r.FaultRule, true
	}

	if fs.rate > 0 && fs.rng.Float64() < fs.rate {
		return fs.randomFault(kind), true
	}

	return FaultRule{}, false
}

func (r *ruleState) matches(endpoint, kind string, fileID int64) bool {
	switch r.Endpoint {
	case "", FaultAPI:
		return kind == FaultAPI
	case FaultDownload, FaultSegmentPut, FaultFormPost:
		return kind == r.Endpoint && (r.FileID == 0 || r.FileID == fileID)
	}

	return r.Endpoint == endpoint
}

func (fs *faultSet) randomFault(kind string) FaultRule {
	statuses := []int{500, 502, 503, 429}
	if (kind == FaultDownload || kind == FaultSegmentPut) && fs.rng.Intn(2) == 0 {
		return FaultRule{Drop: true, DropAfter: -1}
	}

	return FaultRule{Status: statuses[fs.rng.Intn(len(statuses))], RetryAfter: time.Second}
}

// randomOffset picks where a random drop cuts a body of size n.
func (fs *faultSet) randomOffset(n int64) int64 {
	fs.mu.Lock()
	defer fs.mu.Unlock()

	if n <= 1 {
		return 0
	}

	return fs.rng.Int63n(n)
}

func (s *Server) sleepLatency(r *http.Request) {
	s.faults.mu.Lock()
	d := s.faults.latency
	s.faults.mu.Unlock()

	sleepCtx(r, d)
}

func sleepCtx(r *http.Request, d time.Duration) {
	if d <= 0 {
		return
	}

	t := time.NewTimer(d)
	defer t.Stop()

	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

// apiFault applies faults to an API request. answered is true when it wrote
// the answer; lose asks the caller to run the handler and then drop the
// connection instead of answering.
func (fs *faultSet) apiFault(s *Server, w http.ResponseWriter, r *http.Request, pattern string) (answered, lose bool) {
	if !isRESTPattern(pattern) {
		return false, false
	}

	f, ok := fs.fire(pattern, FaultAPI, 0)
	if !ok {
		return false, false
	}

	sleepCtx(r, f.Latency)

	if f.ExpireToken {
		s.expireToken(bearer(r))
	}

	if f.Status == 0 {
		return false, f.LoseResponse || f.Drop
	}

	writeFault(w, f)

	return true, false
}

func isRESTPattern(p string) bool {
	return strings.Contains(p, "/rest/") || strings.Contains(p, "/fas/")
}

// writeFault answers with the rule's status (an S3 error with S3Code).
func writeFault(w http.ResponseWriter, f FaultRule) {
	if (f.Status == 429 || f.Status == 503) && !f.NoRetryAfter {
		secs := int(f.RetryAfter / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(max(1, secs)))
	}

	if f.S3Code != "" {
		msg := "Injected fault."
		if f.S3Code == "RequestTimeout" {
			msg = "Your socket connection to the server was not read from or written to " +
				"within the timeout period."
		}
		s3Error(w, f.Status, f.S3Code, msg)

		return
	}

	if f.Status == 429 {
		writeRateLimited(w)
		return
	}

	writeError(w, f.Status, http.StatusText(f.Status), nil)
}

func (s *Server) expireToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if at := s.st.Access[tok]; at != nil {
		at.ExpiresAt = s.now().Add(-time.Second)
		s.commitLocked()
	}
}

// ExpireAccessTokens makes every access token expire now (refresh tokens stay
// valid), as if the token TTL had passed.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()

	for _, at := range s.st.Access {
		at.ExpiresAt = s.now().Add(-time.Second)
	}

	s.commitLocked()
}

// ExpireUploads makes the storage instructions of every upload created so far
// expire, as if the one-hour start limit had passed.
func (s *Server) ExpireUploads() {
	s.mu.Lock()
	defer s.mu.Unlock()

	for _, u := range s.st.Uploads {
		u.Expired = true
	}

	s.commitLocked()
}
