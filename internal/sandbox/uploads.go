package sandbox

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Upload limits (Procore's v1.1 uploads tutorial; S3 multipart limits).
const (
	minSegment    = 5 << 20 // 5 MiB, except the last segment
	maxSegment    = 5 << 30 // 5 GiB
	maxSegments   = 10000
	uploadStartBy = time.Hour
)

var sha256Re = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
var md5Re = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)

type uploadRequest struct {
	ResponseFilename    string          `json:"response_filename"`
	ResponseContentType string          `json:"response_content_type"`
	Attachment          json.RawMessage `json:"attachment_content_disposition"`
	Size                *int64          `json:"size"`
	Segments            []segment       `json:"segments"`
}

// readUploadRequest reads JSON, or a form with flat fields (no segments).
func readUploadRequest(r *http.Request) (uploadRequest, error) {
	var req uploadRequest
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))

	if ct == "application/json" {
		err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 16<<20)).Decode(&req)
		return req, err
	}

	if ct == "multipart/form-data" {
		if err := r.ParseMultipartForm(maxFormSize); err != nil {
			return req, err
		}
	} else if err := r.ParseForm(); err != nil {
		return req, err
	}

	req.ResponseFilename = r.Form.Get("response_filename")
	req.ResponseContentType = r.Form.Get("response_content_type")
	if v := r.Form.Get("attachment_content_disposition"); v != "" {
		req.Attachment = json.RawMessage(strconv.Quote(v))
	}

	if v := r.Form.Get("size"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return req, fmt.Errorf("size: %w", err)
		}

		req.Size = &n
	}

	return req, nil
}

// uploadScope resolves {project_id} or {company_id} of an uploads path:
// pathScope, and 403 below standard level.
func (s *Server) uploadScope(w http.ResponseWriter, r *http.Request, c *call) (scope, bool) {
	sc, lv, ok := s.pathScope(w, r, c)
	if !ok {
		return scope{}, false
	}

	if lv < LevelStandard {
		forbidden(w)
		return scope{}, false
	}

	return sc, true
}

func validateSegments(req uploadRequest) string {
	if len(req.Segments) > maxSegments {
		return "too many segments (at most 10000)"
	}

	var total int64
	for i, sg := range req.Segments {
		last := i == len(req.Segments)-1
		switch {
		case !sha256Re.MatchString(sg.SHA256):
			return fmt.Sprintf("segment %d: sha256 is missing or invalid", i+1)
		case sg.Size > maxSegment:
			return fmt.Sprintf("segment %d: larger than 5 GB", i+1)
		case !last && sg.Size < minSegment:
			return fmt.Sprintf("segment %d: smaller than the 5 MB minimum", i+1)
		case sg.Size < 0 || (sg.Size == 0 && len(req.Segments) > 1):
			return fmt.Sprintf("segment %d: size is invalid", i+1)
		case sg.MD5 != "" && !md5Re.MatchString(sg.MD5):
			return fmt.Sprintf("segment %d: md5 is invalid", i+1)
		}

		total += sg.Size
	}

	if req.Size != nil && *req.Size < 0 {
		return "size is invalid"
	}

	if len(req.Segments) > 0 && req.Size != nil && *req.Size != total {
		return "size does not match the sum of the segment sizes"
	}

	return ""
}

// handleUploadCreate serves POST /rest/v1.{0,1}/{projects|companies}/{id}/uploads.
func (s *Server) handleUploadCreate(w http.ResponseWriter, r *http.Request, c *call) {
	req, err := readUploadRequest(r)
	if err != nil {
		badRequest(w, "The request body could not be read")
		return
	}

	if strings.HasPrefix(r.URL.Path, "/rest/v1.1/") && req.ResponseFilename == "" {
		missingParam(w, "response_filename")
		return
	}

	if msg := validateSegments(req); msg != "" {
		writeError(w, http.StatusBadRequest, msg, map[string][]string{"segments": {msg}})
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	sc, ok := s.uploadScope(w, r, c)
	if !ok {
		return
	}

	u := s.newUploadLocked(sc, c.user.ID, req)
	s.commitLocked()

	writeJSON(w, http.StatusCreated, s.uploadJSON(u))
}

// newUploadLocked records an upload: size is the declared size, else the sum
// of the segments, else -1 (unknown).
func (s *Server) newUploadLocked(sc scope, owner int64, req uploadRequest) *upload {
	u := &upload{
		UUID: newUUID(s.now()), OwnerID: owner, CompanyID: sc.Company, ProjectID: sc.Project,
		Filename: req.ResponseFilename, ContentType: req.ResponseContentType,
		Attachment: string(req.Attachment) == "true" || string(req.Attachment) == `"true"`,
		Segmented:  len(req.Segments) > 0, Segments: req.Segments, Status: "ready", CreatedAt: s.now(),
	}
	if u.ContentType == "" {
		u.ContentType = contentTypeOf(u.Filename)
	}

	if req.Size != nil {
		u.Size = *req.Size
	} else {
		u.Size = -1
		if u.Segmented {
			u.Size = 0
			for _, sg := range u.Segments {
				u.Size += sg.Size
			}
		}
	}

	for i := range u.Segments {
		u.Segments[i].ETag = ""
		u.Segments[i].SHA256 = strings.ToLower(u.Segments[i].SHA256)
	}

	s.st.Uploads[u.UUID] = u

	return u
}

func (s *Server) uploadJSON(u *upload) map[string]any {
	m := map[string]any{"uuid": u.UUID, "status": u.Status}
	if !u.Segmented {
		m["url"] = s.storageURL + "/s3/pro-core.com"
		m["fields"] = s.formFields(u)

		return m
	}

	segs := []map[string]any{}
	for i, sg := range u.Segments {
		h := map[string]string{
			"x-amz-content-sha256": sg.SHA256,
			"content-length":       strconv.FormatInt(sg.Size, 10),
		}
		if sg.MD5 != "" {
			if b, err := hex.DecodeString(sg.MD5); err == nil {
				h["content-md5"] = base64.StdEncoding.EncodeToString(b)
			}
		}

		var etag any
		if sg.ETag != "" {
			etag = sg.ETag
		}

		segs = append(segs, map[string]any{
			"size": sg.Size, "sha256": sg.SHA256, "md5": nilIfEmpty(sg.MD5), "etag": etag,
			"url": s.segmentURL(u, i+1), "headers": h,
		})
	}

	m["segments"] = segs

	return m
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}

	return s
}

func (s *Server) segmentURL(u *upload, n int) string {
	q := url.Values{}
	q.Set("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
	q.Set("X-Amz-Date", u.CreatedAt.UTC().Format("20060102T150405Z"))
	q.Set("X-Amz-Expires", strconv.Itoa(int(uploadStartBy/time.Second)))
	q.Set("X-Amz-SignedHeaders", "content-length;host;x-amz-content-sha256")

	return s.signedURL(s.storageURL, fmt.Sprintf("/s3/pro-core.com/uploads/%s/parts/%d", u.UUID, n),
		q, "X-Amz-Signature")
}

// formFields are the single-part POST fields, shaped like an S3 POST policy.
func (s *Server) formFields(u *upload) map[string]string {
	key := fmt.Sprintf("companies/%d/uploads/%s", u.CompanyID, u.UUID)
	disp := "inline"
	if u.Attachment {
		disp = "attachment"
	}

	date := u.CreatedAt.UTC().Format("20060102T150405Z")
	fields := map[string]string{
		"Content-Type":        u.ContentType,
		"Content-Disposition": mime.FormatMediaType(disp, map[string]string{"filename": u.Filename}),
		"x-amz-credential":    "SANDBOXKEY/" + date[:8] + "/us-east-1/s3/aws4_request",
		"x-amz-algorithm":     "AWS4-HMAC-SHA256",
		"x-amz-date":          date,
	}

	// As in an S3 POST policy, every field is a condition, so a client that drops
	// or changes one is refused (the reference: send every pair unchanged).
	conds := []any{map[string]string{"key": key}}
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		conds = append(conds, map[string]string{k: fields[k]})
	}

	pol, _ := json.Marshal(map[string]any{
		"expiration": u.CreatedAt.Add(uploadStartBy).UTC().Format(time.RFC3339),
		"conditions": conds,
	})
	policy := base64.StdEncoding.EncodeToString(pol)

	fields["key"] = key
	fields["policy"] = policy
	fields["x-amz-signature"] = s.sign(policy)

	return fields
}

// ownUpload finds {uuid} in the request's scope; only its creator may use it.
func (s *Server) ownUpload(w http.ResponseWriter, r *http.Request, c *call) (*upload, bool) {
	sc, ok := s.uploadScope(w, r, c)
	if !ok {
		return nil, false
	}

	u := s.st.Uploads[r.PathValue("uuid")]
	if u == nil || u.CompanyID != sc.Company || u.ProjectID != sc.Project {
		notFound(w, "Upload")
		return nil, false
	}

	if u.OwnerID != c.user.ID {
		writeError(w, http.StatusForbidden, "Only the user who created the upload may use it", nil)
		return nil, false
	}

	return u, true
}

// handleUploadShow serves GET .../uploads/{uuid}.
func (s *Server) handleUploadShow(w http.ResponseWriter, r *http.Request, c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()

	u, ok := s.ownUpload(w, r, c)
	if !ok {
		return
	}

	writeJSON(w, http.StatusOK, s.uploadJSON(u))
}

// handleUploadComplete serves PATCH .../uploads/{uuid}: the ETags of every
// segment in order complete a segmented upload.
func (s *Server) handleUploadComplete(w http.ResponseWriter, r *http.Request, c *call) {
	var body struct {
		Segments []struct {
			ETag string `json:"etag"`
		} `json:"segments"`
		Status string `json:"status"`
	}

	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 16<<20)).Decode(&body); err != nil {
		badRequest(w, "The request body could not be read")
		return
	}

	s.mu.Lock()
	u, ok := s.ownUpload(w, r, c)
	if !ok {
		s.mu.Unlock()
		return
	}

	if u.Status == "complete" || !u.Segmented {
		body := s.uploadJSON(u)
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, body)

		return
	}

	etags := make([]string, len(body.Segments))
	for i, sg := range body.Segments {
		etags[i] = sg.ETag
	}

	if msg := checkETags(u, etags); msg != "" {
		s.mu.Unlock()
		writeError(w, http.StatusBadRequest, msg, map[string][]string{"segments": {msg}})

		return
	}

	u.Status = "completing"
	s.mu.Unlock()

	s.finishUpload(w, u)
}

func (s *Server) finishUpload(w http.ResponseWriter, u *upload) {
	blob, size, err := s.blobs.concat(u.UUID, len(u.Segments))

	s.mu.Lock()
	defer s.mu.Unlock()

	if err != nil {
		u.Status = "ready"
		writeError(w, http.StatusInternalServerError, "The upload could not be completed", nil)

		return
	}

	u.Blob, u.BlobSize, u.Status = blob, size, "complete"
	s.commitLocked()

	writeJSON(w, http.StatusOK, s.uploadJSON(u))
}

func trimETag(s string) string { return strings.Trim(strings.TrimSpace(s), `"`) }

// checkETags compares the completion ETags with the stored ones, in order.
func checkETags(u *upload, etags []string) string {
	if len(etags) != len(u.Segments) {
		return fmt.Sprintf("expected %d segment etags, got %d", len(u.Segments), len(etags))
	}

	stored := map[string]bool{}
	for i, sg := range u.Segments {
		if sg.ETag == "" {
			return fmt.Sprintf("segment %d has not been uploaded", i+1)
		}

		stored[trimETag(sg.ETag)] = true
	}

	for i, e := range etags {
		if trimETag(e) == trimETag(u.Segments[i].ETag) {
			continue
		}

		if stored[trimETag(e)] {
			return "InvalidPartOrder: the list of parts was not in ascending order"
		}

		return fmt.Sprintf("InvalidPart: segment %d etag does not match", i+1)
	}

	return ""
}
