package sandbox

import (
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// downloadTTL is how long a storage link from the redirect stays valid.
const downloadTTL = time.Hour

// handleDownload serves the API-host file link: it needs the bearer token (no
// Procore-Company-Id) and answers 302 to a presigned storage URL.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request, c *call) {
	if !s.verify(r.URL, "sig") {
		notFound(w, "File")
		return
	}

	id, _ := pathInt(r, "id")

	s.mu.Lock()
	v := s.st.Versions[id]
	var f *file
	if v != nil {
		f = s.st.Files[v.FileID]
	}

	ok := f != nil && s.canRead(c.user, f)
	var loc string
	if ok {
		loc = s.storageLink(v, f)
	}
	s.mu.Unlock()

	if !ok {
		notFound(w, "File")
		return
	}

	w.Header().Set("Location", loc)
	w.WriteHeader(http.StatusFound)
}

func (s *Server) canRead(u *user, f *file) bool {
	if f.ProjectID != 0 {
		return s.st.projectLevel(u, f.ProjectID) > LevelNone
	}

	return s.st.companyLevel(u, f.CompanyID) > LevelNone
}

// storageLink is the presigned storage URL of a version's contents.
func (s *Server) storageLink(v *fileVersion, f *file) string {
	q := url.Values{}
	q.Set("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
	q.Set("X-Amz-Date", s.now().Format("20060102T150405Z"))
	q.Set("X-Amz-Expires", strconv.Itoa(int(downloadTTL/time.Second)))
	q.Set("fid", itoa(f.ID))
	q.Set("vid", itoa(v.ID))
	q.Set("response-content-type", v.ContentType)
	q.Set("response-content-disposition", mime.FormatMediaType("attachment", map[string]string{"filename": v.Name}))

	return s.signedURL(s.storageURL, "/s3/pro-core.com/blobs/"+v.Blob, q, "X-Amz-Signature")
}

// presignedValid checks signature and expiry of a storage URL.
func (s *Server) presignedValid(u *url.URL) (bool, bool) {
	if !s.verify(u, "X-Amz-Signature") {
		return false, false
	}

	q := u.Query()
	start, err := time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
	if err != nil {
		return true, false
	}

	secs, _ := strconv.Atoi(q.Get("X-Amz-Expires"))

	return true, s.now().Before(start.Add(time.Duration(secs) * time.Second))
}

// handleBlobGet serves storage downloads with Range support (206), after the
// download faults.
func (s *Server) handleBlobGet(w http.ResponseWriter, r *http.Request) {
	signed, fresh := s.presignedValid(r.URL)
	if !signed {
		s3Error(w, http.StatusForbidden, "SignatureDoesNotMatch",
			"The request signature we calculated does not match the signature you provided.")

		return
	}

	if !fresh {
		s3Error(w, http.StatusForbidden, "AccessDenied", "Request has expired")
		return
	}

	fh, err := s.blobs.open(r.PathValue("blob"))
	if err != nil {
		s3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}

	defer func() { _ = fh.Close() }()

	fid, _ := strconv.ParseInt(r.URL.Query().Get("fid"), 10, 64)
	if f, ok := s.faults.fire("", FaultDownload, fid); ok {
		sleepCtx(r, f.Latency)

		if f.Status != 0 {
			writeFault(w, f)
			return
		}

		if f.Drop {
			after := f.DropAfter
			if after < 0 {
				after = s.faults.randomOffset(fh.size)
			}

			w = &dropWriter{ResponseWriter: w, left: after}
		}
	}

	q := r.URL.Query()
	w.Header().Set("Content-Type", q.Get("response-content-type"))
	w.Header().Set("Content-Disposition", q.Get("response-content-disposition"))
	w.Header().Set("ETag", `"`+r.PathValue("blob")+`"`)
	http.ServeContent(w, r, "", fh.mod, fh)
}

// dropWriter cuts the connection after left body bytes.
type dropWriter struct {
	http.ResponseWriter
	left int64
}

func (d *dropWriter) Write(b []byte) (int, error) {
	if int64(len(b)) <= d.left {
		d.left -= int64(len(b))
		return d.ResponseWriter.Write(b)
	}

	n, _ := d.ResponseWriter.Write(b[:d.left])
	d.left = 0

	if f, ok := d.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}

	_ = n

	panic(http.ErrAbortHandler)
}

// s3Error answers with an S3-style XML error.
func s3Error(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Error><Code>" + code +
		"</Code><Message>" + msg + "</Message></Error>"))
}
