package sandbox

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"

	"go.uber.org/zap"
)

// call carries what the middleware found out about a request.
type call struct {
	user    *user
	tok     *accessToken
	company int64 // Procore-Company-Id, 0 when absent
	pattern string
}

// Route flags.
const (
	needAuth    = 1 << iota // a valid bearer token
	needCompany             // Procore-Company-Id required for every token
	svcCompany              // Procore-Company-Id required for service (DMSA) tokens only
)

type apiFunc func(w http.ResponseWriter, r *http.Request, c *call)

func (s *Server) handle(mux *http.ServeMux, pattern string, flags int, fn apiFunc) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		s.serveAPI(w, r, pattern, flags, fn)
	})

	if method, path, ok := strings.Cut(pattern, " "); ok {
		s.methods[path] = append(s.methods[path], method)
	}
}

// handleMethodNotAllowed registers, for every routed path, a method-less
// pattern answering 405 through the middleware, so that these answers carry
// the rate-limit headers too.
func (s *Server) handleMethodNotAllowed(mux *http.ServeMux) {
	for path, methods := range s.methods {
		allow := strings.Join(methods, ", ")
		s.handle(mux, path, 0, func(w http.ResponseWriter, _ *http.Request, _ *call) {
			w.Header().Set("Allow", allow)
			writeError(w, http.StatusMethodNotAllowed, "Method not allowed", nil)
		})
	}
}

// serveAPI is the API-host middleware: stats, latency, rate limit, faults,
// authentication and the company header, in that order.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, pattern string, flags int, fn apiFunc) {
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	defer func() { s.stats.add(pattern, rec.status) }()

	s.sleepLatency(r)

	if !s.limiter.admit(rec, r, s.rateKey(r), s.now()) {
		return
	}

	answered, lose := s.faults.apiFault(s, rec, r, pattern)
	if answered {
		return
	}

	c := &call{pattern: pattern}
	if flags&needAuth != 0 && !s.authenticate(rec, r, c) {
		return
	}

	if flags&(needCompany|svcCompany) != 0 && !s.checkCompany(rec, r, c, flags) {
		return
	}

	// Handlers answer into a buffer and the buffer is sent after they return,
	// so no handler writes to a slow client while it holds s.mu.
	bw := &bufferedWriter{ResponseWriter: rec, status: http.StatusOK}
	fn(bw, r, c)

	if lose {
		rec.status = 0 // counted as "no answer"
		panic(http.ErrAbortHandler)
	}

	bw.flush()

	s.log.Debug("sandbox request", zap.String("method", r.Method), zap.String("endpoint", pattern),
		zap.Int("status", rec.status))
}

func (s *Server) rateKey(r *http.Request) string {
	if tok := bearer(r); tok != "" {
		s.mu.Lock()
		at := s.st.Access[tok]
		s.mu.Unlock()

		if at != nil && at.Service && r.Header.Get("Procore-Company-Id") != "" {
			return "company:" + at.ClientID + ":" + r.Header.Get("Procore-Company-Id")
		}

		return "token:" + tok
	}

	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}

	return "ip:" + host
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}

	return ""
}

// authenticate resolves the bearer token; it answers 401 itself.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, c *call) bool {
	tok := bearer(r)

	s.mu.Lock()
	at := s.st.Access[tok]
	var u *user
	if at != nil {
		u = s.st.Users[at.UserID]
	}
	s.mu.Unlock()

	if tok == "" || at == nil || u == nil || !s.now().Before(at.ExpiresAt) {
		w.Header().Set("WWW-Authenticate",
			`Bearer realm="Procore", error="invalid_token", error_description="The access token is invalid"`)
		writeError(w, http.StatusUnauthorized, "The access token is invalid", nil)

		return false
	}

	c.user, c.tok = u, at

	return true
}

// checkCompany enforces Procore-Company-Id. A missing header answers 404 with
// Procore's documented message (the status follows the observed behaviour in
// procore-oss/ruby-sdk#40); a company the user cannot see answers 404 too.
func (s *Server) checkCompany(w http.ResponseWriter, r *http.Request, c *call, flags int) bool {
	h := r.Header.Get("Procore-Company-Id")
	if h == "" {
		if flags&svcCompany != 0 && !c.tok.Service {
			return true
		}

		writeError(w, http.StatusNotFound,
			"Missing Procore-Company-Id header! Please provide the Procore-Company-Id header with "+
				"the id of the company this request is for.", nil)

		return false
	}

	id, err := strconv.ParseInt(strings.TrimSpace(h), 10, 64)

	s.mu.Lock()
	ok := err == nil && s.st.seesCompany(c.user, id)
	s.mu.Unlock()

	if !ok {
		writeError(w, http.StatusNotFound, "Company not found", nil)
		return false
	}

	c.company = id

	return true
}

// writeJSON answers with a JSON body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)

	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// writeError answers with {"errors": {...}, "message": "..."}; fields default
// to {"base": [msg]}.
func writeError(w http.ResponseWriter, status int, msg string, fields map[string][]string) {
	if fields == nil {
		fields = map[string][]string{"base": {msg}}
	}

	writeJSON(w, status, map[string]any{"errors": fields, "message": msg})
}

func notFound(w http.ResponseWriter, what string) {
	writeError(w, http.StatusNotFound, what+" not found", nil)
}

func forbidden(w http.ResponseWriter) {
	writeError(w, http.StatusForbidden, "You do not have permission to perform this action", nil)
}

func badRequest(w http.ResponseWriter, msg string) {
	writeError(w, http.StatusBadRequest, msg, nil)
}

// missingParam answers 400 for a required parameter that was not sent.
func missingParam(w http.ResponseWriter, param string) {
	writeError(w, http.StatusBadRequest, param+" is missing", map[string][]string{param: {"is missing"}})
}

// recorder remembers the status for stats and keeps Flush working.
type recorder struct {
	http.ResponseWriter
	status  int
	written bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.written {
		r.status, r.written = code, true
	}

	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.written = true
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// bufferedWriter holds a handler's answer until flush. Headers go straight to
// the underlying writer's map.
type bufferedWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) WriteHeader(code int) { b.status = code }

func (b *bufferedWriter) Write(p []byte) (int, error) { return b.body.Write(p) }

func (b *bufferedWriter) flush() {
	b.ResponseWriter.WriteHeader(b.status)
	_, _ = b.ResponseWriter.Write(b.body.Bytes())
}

func errField(err error) zap.Field { return zap.Error(err) }

func queryInt(r *http.Request, key string) (int64, bool) {
	v := r.URL.Query().Get(key)
	if v == "" {
		return 0, false
	}

	n, err := strconv.ParseInt(v, 10, 64)

	return n, err == nil
}

func pathInt(r *http.Request, key string) (int64, bool) {
	n, err := strconv.ParseInt(r.PathValue(key), 10, 64)
	return n, err == nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func queryBool(r *http.Request, key string) bool {
	b, _ := strconv.ParseBool(r.URL.Query().Get(key))
	return b
}
