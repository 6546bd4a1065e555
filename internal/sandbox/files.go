package sandbox

import (
	"net/http"
	"strings"
	"time"
)

// content is what a new version is made of: a streamed root[data] blob or a
// completed upload.
type content struct {
	blob        string
	size        int64
	name        string
	contentType string
}

// contentOf resolves data or upload_uuid. It answers the error itself. The
// caller holds s.mu. present is false when neither was sent.
func (s *Server) contentOf(w http.ResponseWriter, e *entity, sc scope, c *call) (content, bool, bool) {
	uuid, hasUpload := e.get("upload_uuid")
	hasUpload = hasUpload && uuid != ""

	if e.data != "" && hasUpload {
		badRequest(w, "Send either data or upload_uuid, not both")
		return content{}, true, false
	}

	if e.data != "" {
		ct := e.dataType
		if ct == "" || ct == "application/octet-stream" {
			ct = contentTypeOf(e.dataName)
		}

		// e.data stays set until a version owns it (see keep), so that an
		// error after this point removes the blob.
		return content{blob: e.data, size: e.dataSize, name: e.dataName, contentType: ct}, true, true
	}

	if !hasUpload {
		return content{}, false, true
	}

	u := s.st.Uploads[uuid]
	if u == nil || u.CompanyID != sc.Company || u.ProjectID != sc.Project ||
		s.now().Sub(u.CreatedAt) > 7*24*time.Hour {
		writeError(w, http.StatusNotFound, "Upload not found",
			map[string][]string{"upload_uuid": {"not found"}})

		return content{}, true, false
	}

	if u.OwnerID != c.user.ID {
		writeError(w, http.StatusForbidden, "The upload belongs to another user",
			map[string][]string{"upload_uuid": {"belongs to another user"}})

		return content{}, true, false
	}

	if u.Status != "complete" || u.Blob == "" {
		writeError(w, http.StatusBadRequest, "The upload is not complete",
			map[string][]string{"upload_uuid": {"is not complete"}})

		return content{}, true, false
	}

	return content{blob: u.Blob, size: u.BlobSize, name: u.Filename, contentType: u.ContentType}, true, true
}

// requiredContent is contentOf for a request that must carry data or
// upload_uuid: neither answers 400.
func (s *Server) requiredContent(w http.ResponseWriter, e *entity, sc scope, c *call) (content, bool) {
	cn, present, ok := s.contentOf(w, e, sc, c)
	if !ok {
		return content{}, false
	}

	if !present {
		writeError(w, http.StatusBadRequest, "data or upload_uuid is required",
			map[string][]string{"data": {"can't be blank"}})

		return content{}, false
	}

	return cn, true
}

// addVersionLocked appends a version to f.
func (s *Server) addVersionLocked(f *file, cn content, notes, name string, by int64) *fileVersion {
	if name == "" {
		name = f.Name
	}

	now := s.now()
	v := &fileVersion{
		ID: s.st.nextID("version"), FileID: f.ID, Number: len(f.Versions) + 1, Notes: notes,
		Name: name, Size: cn.size, Blob: cn.blob, ContentType: cn.contentType, CreatedAt: now,
		CreatedByID: by, ProstoreID: s.st.nextID("prostore"),
	}
	if cn.contentType == "" {
		v.ContentType = contentTypeOf(name)
	}

	s.st.Versions[v.ID] = v
	f.Versions = append(f.Versions, v.ID)
	f.UpdatedAt = now

	return v
}

// handleFileCreate serves POST .../files (through withEntity).
func (s *Server) handleFileCreate(w http.ResponseWriter, r *http.Request, c *call, e *entity) {
	sc, ok := s.writableScope(w, r, c)
	if !ok {
		return
	}

	parent, ok := s.targetParent(sc, e)
	if !ok {
		s.parentError(w, sc, e)
		return
	}

	cn, ok := s.requiredContent(w, e, sc, c)
	if !ok {
		return
	}

	name, ok := s.newFileName(w, e, cn, parent.ID)
	if !ok {
		return
	}

	f := s.newFileLocked(sc, parent.ID, name, c.user.ID)
	f.Description = e.f["description"]
	f.IsTracked, f.Private = e.boolean("is_tracked"), e.boolean("explicit_permissions")
	s.addVersionLocked(f, cn, "", name, c.user.ID)
	e.keep()
	s.commitLocked()

	writeJSON(w, http.StatusCreated, s.fileJSON(f, false))
}

// newFileName picks the name of a new file: file[name], else the uploaded
// name; a taken name is an error unless unique_name asks for a free one.
func (s *Server) newFileName(w http.ResponseWriter, e *entity, cn content, parent int64) (string, bool) {
	name := e.f["name"]
	if name == "" {
		name = cn.name
	}

	if strings.TrimSpace(name) == "" {
		nameError(w, "can't be blank")
		return "", false
	}

	if !s.st.fileNameTaken(parent, name, 0) {
		return name, true
	}

	if !e.boolean("unique_name") {
		nameError(w, "has already been taken")
		return "", false
	}

	return s.st.freeFileName(parent, name), true
}

func (s *Server) newFileLocked(sc scope, parent int64, name string, by int64) *file {
	now := s.now()
	f := &file{
		ID: s.st.nextID("file"), Name: name, ParentID: parent, CompanyID: sc.Company,
		ProjectID: sc.Project, CreatedAt: now, UpdatedAt: now, CreatedByID: by,
	}
	s.st.Files[f.ID] = f
	s.st.linkFile(f)

	return f
}

// findFile resolves the {id} (or file_id) file in the caller's scope.
func (s *Server) findFile(w http.ResponseWriter, r *http.Request, c *call, id int64) (*file, Level, bool) {
	sc, lv, ok := s.resolveScope(w, r, c)
	if !ok {
		return nil, 0, false
	}

	f := s.st.Files[id]
	if f == nil || !s.st.fileInScope(f, sc) {
		notFound(w, "File")
		return nil, 0, false
	}

	return f, lv, true
}

// handleFileShow serves GET .../files/{id}.
func (s *Server) handleFileShow(w http.ResponseWriter, r *http.Request, c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()

	id, _ := pathInt(r, "id")

	f, _, ok := s.findFile(w, r, c, id)
	if !ok {
		return
	}

	writeJSON(w, http.StatusOK, s.fileJSON(f, queryBool(r, "show_latest_version_only")))
}

// checkedOutByOther reports a live checkout held by someone other than u.
func (s *Server) checkedOutByOther(f *file, u *user) bool {
	return f.CheckedOutUntil != nil && f.CheckedOutBy != u.ID && s.now().Before(*f.CheckedOutUntil)
}

func conflict(w http.ResponseWriter, msg string) {
	writeError(w, http.StatusConflict, msg, nil)
}

// writableFile finds a file for a write: 404 when missing or deleted, 403
// without write access.
func (s *Server) writableFile(w http.ResponseWriter, r *http.Request, c *call, id int64) (*file, Level, bool) {
	f, lv, ok := s.findFile(w, r, c, id)
	if !ok {
		return nil, 0, false
	}

	if s.st.fileDeleted(f) {
		notFound(w, "File")
		return nil, 0, false
	}

	if lv < LevelStandard {
		forbidden(w)
		return nil, 0, false
	}

	return f, lv, true
}

// handleFileUpdate serves PATCH .../files/{id}: rename, move, description,
// checkout and, with data or upload_uuid, a new version (through withEntity).
func (s *Server) handleFileUpdate(w http.ResponseWriter, r *http.Request, c *call, e *entity) {
	id, _ := pathInt(r, "id")

	f, lv, ok := s.writableFile(w, r, c, id)
	if !ok {
		return
	}

	if !s.applyCheckout(w, e, f, c.user, lv) || !s.applyFileMove(w, e, f, c.user) {
		return
	}

	sc := scope{f.CompanyID, f.ProjectID}

	cn, present, ok := s.contentOf(w, e, sc, c)
	if !ok {
		return
	}

	if present {
		s.addVersionLocked(f, cn, "", "", c.user.ID)
		e.keep()
	}

	if v, ok := e.get("description"); ok {
		f.Description = v
	}

	if _, ok := e.get("is_tracked"); ok {
		f.IsTracked = e.boolean("is_tracked")
	}

	if _, ok := e.get("explicit_permissions"); ok {
		f.Private = e.boolean("explicit_permissions")
	}

	f.UpdatedAt = s.now()
	s.commitLocked()

	writeJSON(w, http.StatusOK, s.fileJSON(f, false))
}

// applyFileMove handles name and parent_id. A file checked out by someone
// else answers 409 for any change.
func (s *Server) applyFileMove(w http.ResponseWriter, e *entity, f *file, u *user) bool {
	if s.checkedOutByOther(f, u) {
		conflict(w, "The file is checked out by another user")
		return false
	}

	name, parentID := f.Name, f.ParentID
	if v, ok := e.get("name"); ok {
		name = v
	}

	if strings.TrimSpace(name) == "" {
		nameError(w, "can't be blank")
		return false
	}

	if _, ok := e.get("parent_id"); ok {
		p, ok := s.targetParent(scope{f.CompanyID, f.ProjectID}, e)
		if !ok {
			s.parentError(w, scope{f.CompanyID, f.ProjectID}, e)
			return false
		}

		parentID = p.ID
	}

	if (name != f.Name || parentID != f.ParentID) && s.st.fileNameTaken(parentID, name, f.ID) {
		nameError(w, "has already been taken")
		return false
	}

	f.Name = name
	s.st.moveFile(f, parentID)

	return true
}

// applyCheckout handles checked_out_until: a time checks the file out to u, an
// empty value or null checks it in (holder or admin only).
func (s *Server) applyCheckout(w http.ResponseWriter, e *entity, f *file, u *user, lv Level) bool {
	v, ok := e.get("checked_out_until")
	if !ok {
		return true
	}

	if v == "" || v == "null" {
		if s.checkedOutByOther(f, u) && lv < LevelAdmin {
			conflict(w, "The file is checked out by another user")
			return false
		}

		f.CheckedOutUntil, f.CheckedOutBy = nil, 0

		return true
	}

	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		writeError(w, http.StatusBadRequest, "checked_out_until is invalid",
			map[string][]string{"checked_out_until": {"is invalid"}})

		return false
	}

	if s.checkedOutByOther(f, u) {
		conflict(w, "The file is checked out by another user")
		return false
	}

	t = t.UTC()
	f.CheckedOutUntil, f.CheckedOutBy = &t, u.ID

	return true
}

// handleFileDelete serves DELETE .../files/{id}: recycle bin, 200 with the file.
func (s *Server) handleFileDelete(w http.ResponseWriter, r *http.Request, c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()

	id, _ := pathInt(r, "id")

	f, _, ok := s.writableFile(w, r, c, id)
	if !ok {
		return
	}

	if s.checkedOutByOther(f, c.user) {
		conflict(w, "The file is checked out by another user")
		return
	}

	f.Deleted = true
	f.UpdatedAt = s.now()
	s.commitLocked()

	writeJSON(w, http.StatusOK, s.fileJSON(f, false))
}

// handleSendEmail serves POST /rest/v1.0/companies/{company_id}/files/{id}/send_email.
// The sandbox sends nothing: it checks the file is readable and answers 204.
func (s *Server) handleSendEmail(w http.ResponseWriter, r *http.Request, c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()

	id, _ := pathInt(r, "id")
	if _, _, ok := s.findFile(w, r, c, id); !ok {
		return
	}

	w.WriteHeader(http.StatusNoContent)
}
