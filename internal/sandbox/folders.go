package sandbox

import (
	"net/http"
	"strconv"
	"strings"
)

// resolveScope finds the project (query project_id) or company (path
// company_id) a Documents request is about and the caller's level there. No
// read access answers 404, as Procore does. The caller holds s.mu.
func (s *Server) resolveScope(w http.ResponseWriter, r *http.Request, c *call) (scope, Level, bool) {
	if cs := r.PathValue("company_id"); cs != "" {
		cid, err := strconv.ParseInt(cs, 10, 64)
		if err != nil || cid != c.company || s.st.Companies[cid] == nil {
			notFound(w, "Company")
			return scope{}, 0, false
		}

		lv := s.st.companyLevel(c.user, cid)
		if lv == LevelNone {
			notFound(w, "Company")
			return scope{}, 0, false
		}

		return scope{Company: cid}, lv, true
	}

	pid, ok := queryInt(r, "project_id")
	if !ok {
		missingParam(w, "project_id")
		return scope{}, 0, false
	}

	p := s.st.Projects[pid]
	if p == nil || p.CompanyID != c.company || s.st.projectLevel(c.user, pid) == LevelNone {
		notFound(w, "Project")
		return scope{}, 0, false
	}

	return scope{Company: p.CompanyID, Project: pid}, s.st.projectLevel(c.user, pid), true
}

// writableScope is resolveScope for a request that creates something: a
// caller below standard level gets 403. The caller holds s.mu.
func (s *Server) writableScope(w http.ResponseWriter, r *http.Request, c *call) (scope, bool) {
	sc, lv, ok := s.resolveScope(w, r, c)
	if !ok {
		return scope{}, false
	}

	if lv < LevelStandard {
		forbidden(w)
		return scope{}, false
	}

	return sc, true
}

func readListOpts(r *http.Request) listOpts {
	return listOpts{
		excludeFolders: queryBool(r, "exclude_folders"),
		excludeFiles:   queryBool(r, "exclude_files"),
		latestOnly:     queryBool(r, "show_latest_file_version_only"),
	}
}

// handleFolderShow serves GET .../folders (root) and GET .../folders/{id}.
func (s *Server) handleFolderShow(w http.ResponseWriter, r *http.Request, c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()

	sc, _, ok := s.resolveScope(w, r, c)
	if !ok {
		return
	}

	id := s.st.rootOf(sc)
	if r.PathValue("id") != "" {
		id, _ = pathInt(r, "id")
	}

	f := s.st.Folders[id]
	if f == nil || !s.st.inScope(f, sc) {
		notFound(w, "Folder")
		return
	}

	writeJSON(w, http.StatusOK, s.folderJSON(f, true, readListOpts(r)))
}

// nameError answers 400 with a Rails-style errors object; see doc.go.
func nameError(w http.ResponseWriter, msg string) {
	writeError(w, http.StatusBadRequest, "Name "+msg, map[string][]string{"name": {msg}})
}

// liveFolder finds a folder of the scope that is not in the recycle bin.
func (s *Server) liveFolder(sc scope, id int64) *folder {
	f := s.st.Folders[id]
	if f == nil || !s.st.inScope(f, sc) || s.st.folderDeleted(id) || f.RecycleBin {
		return nil
	}

	return f
}

// targetParent resolves an optional parent_id (root when absent or empty).
func (s *Server) targetParent(sc scope, e *entity) (*folder, bool) {
	v, ok := e.get("parent_id")
	if !ok || v == "" {
		return s.st.Folders[s.st.rootOf(sc)], true
	}

	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, false
	}

	f := s.liveFolder(sc, id)

	return f, f != nil
}

// parentError answers a parent_id that targetParent refused: 403 with a
// message for the recycle bin (items enter it only by DELETE; it is
// read_only), else 404.
func (s *Server) parentError(w http.ResponseWriter, sc scope, e *entity) {
	v, _ := e.get("parent_id")
	id, err := strconv.ParseInt(v, 10, 64)
	if f := s.st.Folders[id]; err == nil && f != nil && f.RecycleBin && s.st.inScope(f, sc) {
		writeError(w, http.StatusForbidden, "The Recycle Bin is read only: nothing can be created "+
			"in or moved into it (delete an item to move it there)",
			map[string][]string{"parent_id": {"is the Recycle Bin"}})

		return
	}

	notFound(w, "Parent folder")
}

// handleFolderCreate serves POST .../folders (through withEntity).
func (s *Server) handleFolderCreate(w http.ResponseWriter, r *http.Request, c *call, e *entity) {
	sc, ok := s.writableScope(w, r, c)
	if !ok {
		return
	}

	name := e.f["name"]
	if strings.TrimSpace(name) == "" {
		nameError(w, "can't be blank")
		return
	}

	parent, ok := s.targetParent(sc, e)
	if !ok {
		s.parentError(w, sc, e)
		return
	}

	if s.st.folderNameTaken(parent.ID, name, 0) {
		nameError(w, "has already been taken")
		return
	}

	f := s.newFolderLocked(sc, parent.ID, name, c.user.ID)
	f.IsTracked, f.Private = e.boolean("is_tracked"), e.boolean("explicit_permissions")
	s.commitLocked()

	writeJSON(w, http.StatusCreated, s.folderJSON(f, true, listOpts{}))
}

func (s *Server) newFolderLocked(sc scope, parent int64, name string, by int64) *folder {
	now := s.now()
	f := &folder{
		ID: s.st.nextID("folder"), Name: name, ParentID: parent, CompanyID: sc.Company,
		ProjectID: sc.Project, CreatedAt: now, UpdatedAt: now, CreatedByID: by,
	}
	s.st.Folders[f.ID] = f
	s.st.linkFolder(f)

	return f
}

// handleFolderUpdate serves PATCH .../folders/{id}: rename, move, flags (through
// withEntity).
func (s *Server) handleFolderUpdate(w http.ResponseWriter, r *http.Request, c *call, e *entity) {
	f, ok := s.writableFolder(w, r, c)
	if !ok {
		return
	}

	name, parentID, ok := s.folderTarget(w, e, f)
	if !ok {
		return
	}

	f.Name = name
	s.st.moveFolder(f, parentID)
	if _, ok := e.get("is_tracked"); ok {
		f.IsTracked = e.boolean("is_tracked")
	}

	if _, ok := e.get("explicit_permissions"); ok {
		f.Private = e.boolean("explicit_permissions")
	}

	f.UpdatedAt = s.now()
	s.commitLocked()

	writeJSON(w, http.StatusOK, s.folderJSON(f, true, listOpts{}))
}

// folderTarget reads the new name and parent of a folder update and checks
// them: not blank, not into its own subtree, not a taken name.
func (s *Server) folderTarget(w http.ResponseWriter, e *entity, f *folder) (string, int64, bool) {
	name := f.Name
	if v, ok := e.get("name"); ok {
		name = v
	}

	if strings.TrimSpace(name) == "" {
		nameError(w, "can't be blank")
		return "", 0, false
	}

	parentID := f.ParentID
	if _, ok := e.get("parent_id"); ok {
		p, ok := s.targetParent(scope{f.CompanyID, f.ProjectID}, e)
		if !ok {
			s.parentError(w, scope{f.CompanyID, f.ProjectID}, e)
			return "", 0, false
		}

		if s.st.isAncestor(f.ID, p.ID) {
			badRequest(w, "A folder cannot be moved into itself or one of its subfolders")
			return "", 0, false
		}

		parentID = p.ID
	}

	if s.st.folderNameTaken(parentID, name, f.ID) {
		nameError(w, "has already been taken")
		return "", 0, false
	}

	return name, parentID, true
}

// writableFolder finds the {id} folder for a write: 404 when missing or in the
// recycle bin, 403 without write access or for the root and recycle bin.
func (s *Server) writableFolder(w http.ResponseWriter, r *http.Request, c *call) (*folder, bool) {
	sc, lv, ok := s.resolveScope(w, r, c)
	if !ok {
		return nil, false
	}

	id, _ := pathInt(r, "id")
	f := s.st.Folders[id]
	if f == nil || !s.st.inScope(f, sc) || (s.st.folderDeleted(id) && !f.RecycleBin) {
		notFound(w, "Folder")
		return nil, false
	}

	if lv < LevelStandard || f.ParentID == 0 || f.RecycleBin {
		forbidden(w)
		return nil, false
	}

	return f, true
}

// handleFolderDelete serves DELETE .../folders/{id}: moves it to the recycle
// bin and answers 200 with the folder.
func (s *Server) handleFolderDelete(w http.ResponseWriter, r *http.Request, c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()

	f, ok := s.writableFolder(w, r, c)
	if !ok {
		return
	}

	f.Deleted = true
	f.UpdatedAt = s.now()
	s.commitLocked()

	writeJSON(w, http.StatusOK, s.folderJSON(f, false, listOpts{}))
}
