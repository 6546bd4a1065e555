package sandbox

import (
	"net/http"
	"path"
	"strings"
)

// handleVersionCreate serves POST .../file_versions?file_id= (through withEntity).
func (s *Server) handleVersionCreate(w http.ResponseWriter, r *http.Request, c *call, e *entity) {
	fid, ok := queryInt(r, "file_id")
	if !ok {
		missingParam(w, "file_id")
		return
	}

	f, _, ok := s.writableFile(w, r, c, fid)
	if !ok {
		return
	}

	if s.checkedOutByOther(f, c.user) {
		conflict(w, "The file is checked out by another user")
		return
	}

	cn, ok := s.requiredContent(w, e, scope{f.CompanyID, f.ProjectID}, c)
	if !ok {
		return
	}

	v := s.addVersionLocked(f, cn, e.f["notes"], e.f["name"], c.user.ID)
	e.keep()
	s.commitLocked()

	writeJSON(w, http.StatusCreated, s.versionJSON(v))
}

// handleVersionShow serves GET .../file_versions/{id}.
func (s *Server) handleVersionShow(w http.ResponseWriter, r *http.Request, c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()

	sc, _, ok := s.resolveScope(w, r, c)
	if !ok {
		return
	}

	id, _ := pathInt(r, "id")
	v := s.st.Versions[id]
	if v == nil || !s.st.fileInScope(s.st.Files[v.FileID], sc) {
		notFound(w, "File version")
		return
	}

	writeJSON(w, http.StatusOK, s.versionJSON(v))
}

// contentTypes are the content types the sandbox gives a stored file by its
// extension. A fixed table, not the system's MIME database (which
// mime.TypeByExtension reads): the sandbox answers the same on every machine,
// and the demo in the app does not hold the system's thousands of entries.
var contentTypes = map[string]string{
	".csv": "text/csv", ".txt": "text/plain", ".asc": "text/plain", ".gsi": "text/plain",
	".xml": "application/xml", ".json": "application/json",
	".geojson": "application/geo+json", ".pdf": "application/pdf",
	".dxf": "image/vnd.dxf", ".dwg": "image/vnd.dwg", ".png": "image/png",
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".tif": "image/tiff", ".tiff": "image/tiff",
	".zip":  "application/zip",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

func contentTypeOf(name string) string {
	if t, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}

	return "application/octet-stream"
}
