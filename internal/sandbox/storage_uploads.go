package sandbox

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// handleFormUpload serves the single-part storage POST: every field from the
// upload's "fields", then a "file" part with the bytes. It answers 204.
func (s *Server) handleFormUpload(w http.ResponseWriter, r *http.Request) {
	mr, err := r.MultipartReader()
	if err != nil {
		s3Error(w, http.StatusBadRequest, "MalformedPOSTRequest",
			"The body of your POST request is not well-formed multipart/form-data.")
		return
	}

	fields := map[string]string{}
	for {
		p, err := mr.NextPart()
		if err != nil {
			s3Error(w, http.StatusBadRequest, "MalformedPOSTRequest", "The body of your POST request has no file part.")
			return
		}

		if p.FormName() == "file" {
			s.receiveFormFile(w, r, fields, p)
			return
		}

		b, err := io.ReadAll(io.LimitReader(p, maxFormSize))
		if err != nil {
			s3Error(w, http.StatusBadRequest, "MalformedPOSTRequest", "The body of your POST request is not well-formed.")
			return
		}

		fields[strings.ToLower(p.FormName())] = string(b)
	}
}

// formUpload checks the POST policy and finds the upload it names.
func (s *Server) formUpload(fields map[string]string) (*upload, int, string) {
	policy := fields["policy"]
	if !hmac.Equal([]byte(s.sign(policy)), []byte(fields["x-amz-signature"])) {
		return nil, http.StatusForbidden, "SignatureDoesNotMatch"
	}

	raw, err := base64.StdEncoding.DecodeString(policy)
	if err != nil {
		return nil, http.StatusBadRequest, "InvalidPolicyDocument"
	}

	var pol struct {
		Expiration time.Time           `json:"expiration"`
		Conditions []map[string]string `json:"conditions"`
	}

	if err := json.Unmarshal(raw, &pol); err != nil || len(pol.Conditions) == 0 ||
		pol.Conditions[0]["key"] != fields["key"] {
		return nil, http.StatusForbidden, "AccessDenied"
	}

	for _, cond := range pol.Conditions {
		for k, v := range cond {
			if got, ok := fields[strings.ToLower(k)]; !ok || got != v {
				return nil, http.StatusForbidden, "AccessDenied"
			}
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	u := s.st.Uploads[path.Base(fields["key"])]
	if u == nil || u.Segmented {
		return nil, http.StatusForbidden, "AccessDenied"
	}

	if u.Expired || !s.now().Before(pol.Expiration) {
		return nil, http.StatusForbidden, "AccessDenied"
	}

	return u, 0, ""
}

func (s *Server) receiveFormFile(w http.ResponseWriter, r *http.Request, fields map[string]string, p io.Reader) {
	u, status, code := s.formUpload(fields)
	if u == nil {
		s3Error(w, status, code, "Invalid according to Policy: Policy expired or does not match.")
		return
	}

	if f, ok := s.faults.fire("", FaultFormPost, 0); ok {
		if s.applyUploadFault(w, r, f, u, max(u.Size, 1)) {
			return
		}
	}

	blob, h, err := s.blobs.put(p, u.Size)
	if errors.Is(err, errTooLarge) {
		s3Error(w, http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the declared size.")
		return
	}

	if err != nil {
		s3Error(w, http.StatusBadRequest, "IncompleteBody", "The request body ended early.")
		return
	}

	if u.Size >= 0 && h.size != u.Size {
		s.blobs.remove(blob)
		s3Error(w, http.StatusBadRequest, "EntityTooSmall", "Your upload is smaller than the declared size.")

		return
	}

	s.mu.Lock()
	old := u.Blob
	u.Blob, u.BlobSize, u.Status = blob, h.size, "complete"
	s.commitLocked()
	s.mu.Unlock()

	if old != "" && !s.blobInUse(old) {
		s.blobs.remove(old)
	}

	w.Header().Set("ETag", `"`+h.md5+`"`)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) blobInUse(blob string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()

	for _, v := range s.st.Versions {
		if v.Blob == blob {
			return true
		}
	}

	return false
}

// applyUploadFault applies a storage-upload fault; true when it answered. A
// drop reads part of the body (size is the expected body size) and closes the
// connection without an answer.
func (s *Server) applyUploadFault(w http.ResponseWriter, r *http.Request, f FaultRule, u *upload, size int64) bool {
	sleepCtx(r, f.Latency)

	if f.Drop {
		after := f.DropAfter
		if after < 0 {
			after = s.faults.randomOffset(size)
		}

		_, _ = io.CopyN(io.Discard, r.Body, after)
		if rec, ok := w.(*recorder); ok {
			rec.status = 0 // counted as "no answer"
		}

		panic(http.ErrAbortHandler)
	}

	if f.ExpireUpload {
		s.mu.Lock()
		u.Expired = true
		s.commitLocked()
		s.mu.Unlock()
		s3Error(w, http.StatusForbidden, "AccessDenied", "Request has expired")

		return true
	}

	if f.Status != 0 {
		writeFault(w, f)
		return true
	}

	return false
}

// handleSegmentPut serves a presigned segment PUT: the body must match the
// declared size and SHA-256; the answer carries the segment's ETag.
func (s *Server) handleSegmentPut(w http.ResponseWriter, r *http.Request) {
	signed, fresh := s.presignedValid(r.URL)
	if !signed {
		s3Error(w, http.StatusForbidden, "SignatureDoesNotMatch", "The request signature does not match.")
		return
	}

	n, _ := strconv.Atoi(r.PathValue("n"))

	s.mu.Lock()
	u := s.st.Uploads[r.PathValue("uuid")]
	ok := u != nil && u.Segmented && n >= 1 && n <= len(u.Segments) && u.Status == "ready"
	var sg segment
	if ok {
		sg = u.Segments[n-1]
		fresh = fresh && !u.Expired
	}
	s.mu.Unlock()

	if !ok {
		s3Error(w, http.StatusNotFound, "NoSuchUpload", "The specified upload does not exist.")
		return
	}

	if !fresh {
		s3Error(w, http.StatusForbidden, "AccessDenied", "Request has expired")
		return
	}

	if f, fired := s.faults.fire("", FaultSegmentPut, 0); fired && s.applyUploadFault(w, r, f, u, sg.Size) {
		return
	}

	if msg := segmentHeaderError(r, sg); msg != "" {
		s3Error(w, http.StatusBadRequest, "InvalidRequest", msg)
		return
	}

	s.receiveSegment(w, r, u, n, sg)
}

func segmentHeaderError(r *http.Request, sg segment) string {
	if r.ContentLength != sg.Size {
		return "Content-Length does not match the segment size."
	}

	if !strings.EqualFold(r.Header.Get("X-Amz-Content-Sha256"), sg.SHA256) {
		return "x-amz-content-sha256 does not match the signed value."
	}

	return ""
}

func (s *Server) receiveSegment(w http.ResponseWriter, r *http.Request, u *upload, n int, sg segment) {
	dst := s.blobs.partPath(u.UUID, n)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		s3Error(w, http.StatusInternalServerError, "InternalError", "We encountered an internal error.")
		return
	}

	tmp := dst + ".tmp"

	h, err := writeFileHashed(tmp, r.Body, sg.Size)
	if err != nil || h.size != sg.Size {
		_ = os.Remove(tmp)
		s3Error(w, http.StatusBadRequest, "IncompleteBody", "The body does not match Content-Length.")

		return
	}

	if h.sha256 != strings.ToLower(sg.SHA256) {
		_ = os.Remove(tmp)
		s3Error(w, http.StatusBadRequest, "XAmzContentSHA256Mismatch",
			"The provided 'x-amz-content-sha256' header does not match what was computed.")

		return
	}

	if md := r.Header.Get("Content-Md5"); md != "" {
		b, _ := hex.DecodeString(h.md5)
		if md != base64.StdEncoding.EncodeToString(b) {
			_ = os.Remove(tmp)
			s3Error(w, http.StatusBadRequest, "BadDigest", "The Content-MD5 you specified did not match what we received.")

			return
		}
	}

	if err := os.Rename(tmp, dst); err != nil {
		s3Error(w, http.StatusInternalServerError, "InternalError", "We encountered an internal error.")
		return
	}

	etag := `"` + h.md5 + `"`

	s.mu.Lock()
	u.Segments[n-1].ETag = etag
	s.commitLocked()
	s.mu.Unlock()

	w.Header().Set("ETag", etag)
	w.WriteHeader(http.StatusOK)
}
