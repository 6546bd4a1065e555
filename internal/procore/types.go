package procore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Timestamp is a Procore date-time. It decodes ISO-8601 strings with or
// without fractional seconds, and treats null or an empty string as the zero
// time, so that one odd field never fails a whole response.
type Timestamp struct {
	time.Time
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) || bytes.Equal(b, []byte(`""`)) {
		t.Time = time.Time{}
		return nil
	}

	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var unix int64
		if err2 := json.Unmarshal(b, &unix); err2 != nil {
			return fmt.Errorf("procore: timestamp: %w", err)
		}

		t.Time = time.Unix(unix, 0).UTC()
		return nil
	}

	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02"} {
		if parsed, err := time.Parse(layout, s); err == nil {
			t.Time = parsed
			return nil
		}
	}

	// An unknown layout is not worth failing a listing for.
	t.Time = time.Time{}
	return nil
}

// MarshalJSON implements json.Marshaler.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}

	return json.Marshal(t.UTC().Format(time.RFC3339))
}

// User is the short user object Procore embeds in other resources, and the
// answer of /me.
type User struct {
	ID    int64  `json:"id"`
	Login string `json:"login"`
	Name  string `json:"name"`
}

// Company is one item of /companies.
type Company struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	IsActive  bool   `json:"is_active"`
	LogoURL   string `json:"logo_url"`
	MyCompany bool   `json:"my_company"`
}

// CompanyRef is the short company object embedded in a project.
type CompanyRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Project is one item of /projects.
type Project struct {
	ID            int64      `json:"id"`
	Name          string     `json:"name"`
	DisplayName   string     `json:"display_name"`
	ProjectNumber *string    `json:"project_number"`
	Active        bool       `json:"active"`
	Company       CompanyRef `json:"company"`
	CreatedAt     Timestamp  `json:"created_at"`
	UpdatedAt     Timestamp  `json:"updated_at"`
}

// Folder is a Documents-tool folder. Children are filled one level deep:
// the child folders of a shown folder have empty Folders and Files.
type Folder struct {
	ID                 int64     `json:"id"`
	Name               string    `json:"name"`
	ParentID           *int64    `json:"parent_id"`
	NameWithPath       string    `json:"name_with_path"`
	Private            bool      `json:"private"`
	IsTracked          bool      `json:"is_tracked"`
	ReadOnly           bool      `json:"read_only"`
	IsDeleted          bool      `json:"is_deleted"`
	IsRecycleBin       bool      `json:"is_recycle_bin"`
	HasChildren        bool      `json:"has_children"`
	HasChildrenFiles   bool      `json:"has_children_files"`
	HasChildrenFolders bool      `json:"has_children_folders"`
	UpdatedAt          Timestamp `json:"updated_at"`
	Folders            []Folder  `json:"folders"`
	Files              []File    `json:"files"`
}

// File is a Documents-tool file with its versions.
type File struct {
	ID              int64         `json:"id"`
	Name            string        `json:"name"`
	ParentID        *int64        `json:"parent_id"`
	Size            int64         `json:"size"`
	Description     string        `json:"description"`
	CreatedAt       Timestamp     `json:"created_at"`
	UpdatedAt       Timestamp     `json:"updated_at"`
	CheckedOutUntil *Timestamp    `json:"checked_out_until"`
	CheckedOutBy    *User         `json:"checked_out_by"`
	NameWithPath    string        `json:"name_with_path"`
	Private         bool          `json:"private"`
	IsTracked       bool          `json:"is_tracked"`
	FileType        string        `json:"file_type"`
	IsDeleted       bool          `json:"is_deleted"`
	FileVersions    []FileVersion `json:"file_versions"`
}

// LatestVersion returns the version with the highest number, or nil when
// the file carries no versions. Procore does not document their order.
func (f *File) LatestVersion() *FileVersion {
	var best *FileVersion
	for i := range f.FileVersions {
		v := &f.FileVersions[i]
		if best == nil || v.Number > best.Number {
			best = v
		}
	}

	return best
}

// FileVersion is one version of a file. URL is the download link; it needs
// the bearer token and redirects to the storage host.
type FileVersion struct {
	ID           int64        `json:"id"`
	FileID       int64        `json:"file_id"`
	Number       int          `json:"number"`
	Notes        string       `json:"notes"`
	Size         int64        `json:"size"`
	URL          string       `json:"url"`
	CreatedAt    Timestamp    `json:"created_at"`
	CreatedBy    *User        `json:"created_by"`
	ProstoreFile *ProstoreRef `json:"prostore_file"`
}

// DownloadURL returns the version's download link: URL, else the storage
// object's URL (Procore names both as download links; any field may be
// null), or "" when it has neither.
func (v *FileVersion) DownloadURL() string {
	if v.URL == "" && v.ProstoreFile != nil {
		return v.ProstoreFile.URL
	}

	return v.URL
}

// ProstoreRef is the storage object behind a file version.
type ProstoreRef struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	URL      string `json:"url"`
	Filename string `json:"filename"`
}

// Document types in the documents index.
const (
	DocumentTypeFolder = "folder"
	DocumentTypeFile   = "file"
)

// Document is one item of the flat documents index (folder or file).
type Document struct {
	ID           int64         `json:"id"`
	Name         string        `json:"name"`
	NameWithPath string        `json:"name_with_path"`
	ParentID     *int64        `json:"parent_id"`
	DocumentType string        `json:"document_type"`
	CreatedAt    Timestamp     `json:"created_at"`
	UpdatedAt    Timestamp     `json:"updated_at"`
	CreatedBy    *User         `json:"created_by"`
	IsDeleted    bool          `json:"is_deleted"`
	IsRecycleBin bool          `json:"is_recycle_bin"`
	Private      bool          `json:"private"`
	ReadOnly     bool          `json:"read_only"`
	Children     *DocChildren  `json:"children"`
	File         *DocumentFile `json:"file"`
}

// DocChildren says whether a folder of the documents index has children
// (view=extended).
type DocChildren struct {
	HasChildren        bool `json:"has_children"`
	HasChildrenFiles   bool `json:"has_children_files"`
	HasChildrenFolders bool `json:"has_children_folders"`
}

// DocumentFile holds the file part of an extended documents-index item.
type DocumentFile struct {
	CheckedOutBy    *User        `json:"checked_out_by"`
	CheckedOutUntil *Timestamp   `json:"checked_out_until"`
	CurrentVersion  *FileVersion `json:"current_version"`
	Description     string       `json:"description"`
	FileType        string       `json:"file_type"`
}

// IsFolder reports whether the item is a folder.
func (d *Document) IsFolder() bool { return d.DocumentType == DocumentTypeFolder }

// UploadSegment is one segment of a segmented upload: what the client
// declares (Size, SHA256, MD5) and what Procore answers (URL, Headers, ETag).
type UploadSegment struct {
	Size    int64             `json:"size"`
	SHA256  string            `json:"sha256,omitempty"`
	MD5     string            `json:"md5,omitempty"`
	ETag    string            `json:"etag,omitempty"`
	URL     string            `json:"url,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
}

// Upload is a direct-upload instruction set. A single upload has URL and
// Fields (a storage form POST); a segmented one has Segments (storage PUTs).
type Upload struct {
	UUID     string            `json:"uuid"`
	URL      string            `json:"url"`
	Fields   map[string]string `json:"fields"`
	Status   string            `json:"status"`
	Segments []UploadSegment   `json:"segments"`
}
