package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"
)

// state is everything the sandbox knows apart from file contents. It is guarded
// by Server.mu and written to DataDir as JSON.
type state struct {
	NextIDs   map[string]int64         `json:"next_ids"`
	Users     map[int64]*user          `json:"users"`
	Companies map[int64]*company       `json:"companies"`
	Projects  map[int64]*project       `json:"projects"`
	Perms     []permEntry              `json:"perms"`
	Apps      map[string]*app          `json:"apps"`
	Access    map[string]*accessToken  `json:"access_tokens"`
	Refresh   map[string]*refreshToken `json:"refresh_tokens"`
	Folders   map[int64]*folder        `json:"folders"`
	Files     map[int64]*file          `json:"files"`
	Versions  map[int64]*fileVersion   `json:"versions"`
	Uploads   map[string]*upload       `json:"uploads"`
	Secret    string                   `json:"secret"`

	perms map[permKey]Level
	codes map[string]*authCode
	// subFolders and subFiles index children by parent id (deleted ones too).
	subFolders map[int64]map[int64]*folder
	subFiles   map[int64]map[int64]*file
}

// idBases gives each kind of object its own id range, so ids look like Procore's
// and an id of one kind is never valid for another.
var idBases = map[string]int64{
	"user":     174986,
	"company":  4281379,
	"project":  316469,
	"folder":   14475454,
	"file":     90211000,
	"version":  540000,
	"prostore": 88000000,
}

func newState() *state {
	return &state{
		NextIDs:    map[string]int64{},
		Users:      map[int64]*user{},
		Companies:  map[int64]*company{},
		Projects:   map[int64]*project{},
		Apps:       map[string]*app{},
		Access:     map[string]*accessToken{},
		Refresh:    map[string]*refreshToken{},
		Folders:    map[int64]*folder{},
		Files:      map[int64]*file{},
		Versions:   map[int64]*fileVersion{},
		Uploads:    map[string]*upload{},
		Secret:     randomHex(32),
		perms:      map[permKey]Level{},
		codes:      map[string]*authCode{},
		subFolders: map[int64]map[int64]*folder{},
		subFiles:   map[int64]map[int64]*file{},
	}
}

func (st *state) linkFolder(f *folder) {
	if st.subFolders[f.ParentID] == nil {
		st.subFolders[f.ParentID] = map[int64]*folder{}
	}

	st.subFolders[f.ParentID][f.ID] = f
}

func (st *state) moveFolder(f *folder, parent int64) {
	delete(st.subFolders[f.ParentID], f.ID)
	f.ParentID = parent
	st.linkFolder(f)
}

func (st *state) linkFile(f *file) {
	if st.subFiles[f.ParentID] == nil {
		st.subFiles[f.ParentID] = map[int64]*file{}
	}

	st.subFiles[f.ParentID][f.ID] = f
}

func (st *state) moveFile(f *file, parent int64) {
	delete(st.subFiles[f.ParentID], f.ID)
	f.ParentID = parent
	st.linkFile(f)
}

// fixup rebuilds the unexported indexes after loading from JSON.
func (st *state) fixup() {
	st.perms = map[permKey]Level{}
	for _, p := range st.Perms {
		st.perms[permKey{User: p.User, Target: p.Target, Company: p.Company}] = p.Level
	}

	st.codes = map[string]*authCode{}
	st.subFolders = map[int64]map[int64]*folder{}
	st.subFiles = map[int64]map[int64]*file{}

	for _, f := range st.Folders {
		st.linkFolder(f)
	}

	for _, f := range st.Files {
		st.linkFile(f)
	}
}

func (st *state) nextID(kind string) int64 {
	id, ok := st.NextIDs[kind]
	if !ok {
		id = idBases[kind]
	}

	st.NextIDs[kind] = id + 1

	return id
}

func (st *state) setPerm(userID, target int64, isCompany bool, lv Level) {
	k := permKey{User: userID, Target: target, Company: isCompany}
	st.perms[k] = lv

	st.Perms = st.Perms[:0]
	for k, v := range st.perms {
		st.Perms = append(st.Perms, permEntry{User: k.User, Target: k.Target, Company: k.Company, Level: v})
	}
}

// projectLevel is the user's level on a project (service accounts are admins).
func (st *state) projectLevel(u *user, projectID int64) Level {
	if u.Service {
		return LevelAdmin
	}

	return st.perms[permKey{User: u.ID, Target: projectID}]
}

// companyLevel is the user's level on a company's Documents tool.
func (st *state) companyLevel(u *user, companyID int64) Level {
	if u.Service {
		return LevelAdmin
	}

	return st.perms[permKey{User: u.ID, Target: companyID, Company: true}]
}

// seesCompany reports whether the company is visible to the user: a company
// permission or any project permission in it.
func (st *state) seesCompany(u *user, companyID int64) bool {
	if _, ok := st.Companies[companyID]; !ok {
		return false
	}

	if u.Service || st.companyLevel(u, companyID) > LevelNone {
		return true
	}

	for _, p := range st.Projects {
		if p.CompanyID == companyID && st.projectLevel(u, p.ID) > LevelNone {
			return true
		}
	}

	return false
}

// scope names where a Documents object lives: a project, or a company's own
// Documents tool when Project is 0.
type scope struct {
	Company int64
	Project int64
}

func (st *state) rootOf(sc scope) int64 {
	if sc.Project != 0 {
		return st.Projects[sc.Project].Root
	}

	return st.Companies[sc.Company].Root
}

func (st *state) inScope(f *folder, sc scope) bool {
	return f.CompanyID == sc.Company && f.ProjectID == sc.Project
}

func (st *state) fileInScope(f *file, sc scope) bool {
	return f.CompanyID == sc.Company && f.ProjectID == sc.Project
}

// folderDeleted reports whether the folder or any ancestor is in the recycle bin.
func (st *state) folderDeleted(id int64) bool {
	for depth := 0; id != 0 && depth < 200; depth++ {
		f := st.Folders[id]
		if f == nil {
			return false
		}

		if f.Deleted {
			return true
		}

		id = f.ParentID
	}

	return false
}

func (st *state) fileDeleted(f *file) bool {
	return f.Deleted || st.folderDeleted(f.ParentID)
}

// folderPath is name_with_path: the names from the root down, joined by "/".
func (st *state) folderPath(id int64) string {
	var parts []string
	for depth := 0; id != 0 && depth < 200; depth++ {
		f := st.Folders[id]
		if f == nil {
			break
		}

		parts = append(parts, f.Name)
		id = f.ParentID
	}

	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}

	return strings.Join(parts, "/")
}

// isAncestor reports whether anc is id or one of its ancestors.
func (st *state) isAncestor(anc, id int64) bool {
	for depth := 0; id != 0 && depth < 200; depth++ {
		if id == anc {
			return true
		}

		f := st.Folders[id]
		if f == nil {
			return false
		}

		id = f.ParentID
	}

	return false
}

// treeItem is what folders and files share for listings and name checks.
type treeItem interface {
	*folder | *file
	base() (id int64, name string, deleted bool)
}

func (f *folder) base() (int64, string, bool) { return f.ID, f.Name, f.Deleted }

func (f *file) base() (int64, string, bool) { return f.ID, f.Name, f.Deleted }

// liveItems returns the items of m that are not deleted, unsorted.
func liveItems[T treeItem](m map[int64]T) []T {
	var out []T
	for _, it := range m {
		if _, _, deleted := it.base(); !deleted {
			out = append(out, it)
		}
	}

	return out
}

// nameTaken compares names case-insensitively, skipping the item except.
func nameTaken[T treeItem](l []T, name string, except int64) bool {
	for _, it := range l {
		if id, n, _ := it.base(); id != except && strings.EqualFold(n, name) {
			return true
		}
	}

	return false
}

// childFolders returns live (not deleted) folders directly under parent.
func (st *state) childFolders(parent int64) []*folder {
	out := liveItems(st.subFolders[parent])
	sortFolders(out)

	return out
}

func (st *state) childFiles(parent int64) []*file {
	out := liveItems(st.subFiles[parent])
	sortFiles(out)

	return out
}

// folderNameTaken compares names case-insensitively among live siblings.
func (st *state) folderNameTaken(parent int64, name string, except int64) bool {
	return nameTaken(st.childFolders(parent), name, except)
}

func (st *state) fileNameTaken(parent int64, name string, except int64) bool {
	return nameTaken(st.childFiles(parent), name, except)
}

// freeFileName returns name, or "stem (n).ext" with the smallest free n.
func (st *state) freeFileName(parent int64, name string) string {
	if !st.fileNameTaken(parent, name, 0) {
		return name
	}

	stem, ext := splitExt(name)
	for n := 1; ; n++ {
		cand := stem + " (" + itoa(int64(n)) + ")" + ext
		if !st.fileNameTaken(parent, cand, 0) {
			return cand
		}
	}
}

func (st *state) latestVersion(f *file) *fileVersion {
	if len(f.Versions) == 0 {
		return nil
	}

	return st.Versions[f.Versions[len(f.Versions)-1]]
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("sandbox: crypto/rand: " + err.Error())
	}

	return hex.EncodeToString(b)
}

// ulid-like upload ids: 26 upper-case base32 characters, time-ordered prefix.
func newUUID(now time.Time) string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

	b := make([]byte, 26)
	ms := now.UnixMilli()
	for i := 9; i >= 0; i-- {
		b[i] = alphabet[ms&31]
		ms >>= 5
	}

	r := make([]byte, 16)
	if _, err := rand.Read(r); err != nil {
		panic("sandbox: crypto/rand: " + err.Error())
	}

	for i := 10; i < 26; i++ {
		b[i] = alphabet[r[i-10]&31]
	}

	return string(b)
}
