package sandbox

import (
	"fmt"
	"io"
	"strings"
)

// AddUser creates a user who can sign in with login and password.
func (s *Server) AddUser(login, name, password string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()

	u := &user{ID: s.st.nextID("user"), Login: login, Name: name, Password: password}
	s.st.Users[u.ID] = u
	s.commitLocked()

	return u.ID
}

// AddCompany creates a company with an empty company Documents tool.
func (s *Server) AddCompany(name string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()

	co := &company{ID: s.st.nextID("company"), Name: name}
	s.st.Companies[co.ID] = co
	co.Root = s.newRootLocked(scope{Company: co.ID}, name)
	s.commitLocked()

	return co.ID
}

// AddProject creates a project with an empty Documents tool; it returns 0 for
// an unknown company.
func (s *Server) AddProject(companyID int64, name string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.st.Companies[companyID] == nil {
		return 0
	}

	now := s.now()
	p := &project{ID: s.st.nextID("project"), CompanyID: companyID, Name: name, CreatedAt: now, UpdatedAt: now}
	s.st.Projects[p.ID] = p
	p.Root = s.newRootLocked(scope{Company: companyID, Project: p.ID}, name)
	s.commitLocked()

	return p.ID
}

func (s *Server) newRootLocked(sc scope, name string) int64 {
	root := s.newFolderLocked(sc, 0, name, 0)
	bin := s.newFolderLocked(sc, root.ID, "Recycle Bin", 0)
	bin.RecycleBin = true

	return root.ID
}

// SetPermission sets a user's level on a project.
func (s *Server) SetPermission(userID, projectID int64, level Level) {
	s.mu.Lock()
	defer s.mu.Unlock()

	s.st.setPerm(userID, projectID, false, level)
	s.commitLocked()
}

// SetCompanyPermission sets a user's level on a company's own Documents tool
// (and makes the company visible in /companies).
func (s *Server) SetCompanyPermission(userID, companyID int64, level Level) {
	s.mu.Lock()
	defer s.mu.Unlock()

	s.st.setPerm(userID, companyID, true, level)
	s.commitLocked()
}

// RootFolderID returns the id of a project's Documents root folder (0 when
// the project is unknown).
func (s *Server) RootFolderID(projectID int64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()

	if p := s.st.Projects[projectID]; p != nil {
		return p.Root
	}

	return 0
}

func (s *Server) projectScope(projectID int64) (scope, error) {
	p := s.st.Projects[projectID]
	if p == nil {
		return scope{}, fmt.Errorf("sandbox: unknown project %d", projectID)
	}

	return scope{Company: p.CompanyID, Project: projectID}, nil
}

// AddFolder creates the folders of path ("01 Survey/Control") under a
// project's root as needed and returns the last one's id.
func (s *Server) AddFolder(projectID int64, path string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	sc, err := s.projectScope(projectID)
	if err != nil {
		return 0, err
	}

	id := s.mkdirLocked(sc, path, 0)
	s.commitLocked()

	return id, nil
}

// FolderID finds a live folder by path under a project's root.
func (s *Server) FolderID(projectID int64, path string) (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()

	sc, err := s.projectScope(projectID)
	if err != nil {
		return 0, false
	}

	id := s.st.rootOf(sc)
	for _, part := range splitPath(path) {
		next := int64(0)
		for _, f := range s.st.childFolders(id) {
			if f.Name == part {
				next = f.ID
			}
		}

		if next == 0 {
			return 0, false
		}

		id = next
	}

	return id, true
}

// AddFile stores r as folderPath/name in a project, as byUserID, creating
// folders as needed; an existing file of that name gets a new version. It
// returns the file id.
func (s *Server) AddFile(projectID int64, folderPath, name string, r io.Reader, byUserID int64) (int64, error) {
	blob, h, err := s.blobs.put(r, -1)
	if err != nil {
		return 0, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	sc, err := s.projectScope(projectID)
	if err != nil {
		return 0, err
	}

	f := s.putFileLocked(sc, s.mkdirLocked(sc, folderPath, byUserID), name,
		content{blob: blob, size: h.size, name: name}, "", byUserID)
	s.commitLocked()

	return f.ID, nil
}

func splitPath(p string) []string {
	var out []string
	for _, part := range strings.Split(p, "/") {
		if part != "" {
			out = append(out, part)
		}
	}

	return out
}

func (s *Server) mkdirLocked(sc scope, path string, by int64) int64 {
	id := s.st.rootOf(sc)
	for _, part := range splitPath(path) {
		next := int64(0)
		for _, f := range s.st.childFolders(id) {
			if strings.EqualFold(f.Name, part) {
				next = f.ID
			}
		}

		if next == 0 {
			next = s.newFolderLocked(sc, id, part, by).ID
		}

		id = next
	}

	return id
}

func (s *Server) putFileLocked(sc scope, parent int64, name string, cn content, notes string, by int64) *file {
	for _, f := range s.st.childFiles(parent) {
		if strings.EqualFold(f.Name, name) {
			s.addVersionLocked(f, cn, notes, name, by)
			return f
		}
	}

	f := s.newFileLocked(sc, parent, name, by)
	s.addVersionLocked(f, cn, notes, name, by)

	return f
}

// FileID finds a live file by path ("01 Survey/Control/control_points.csv")
// under a project's root.
func (s *Server) FileID(projectID int64, path string) (int64, bool) {
	parts := splitPath(path)
	if len(parts) == 0 {
		return 0, false
	}

	dir, ok := s.FolderID(projectID, strings.Join(parts[:len(parts)-1], "/"))
	if !ok {
		return 0, false
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	for _, f := range s.st.childFiles(dir) {
		if f.Name == parts[len(parts)-1] {
			return f.ID, true
		}
	}

	return 0, false
}
