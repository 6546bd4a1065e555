package sandbox

import "time"

// Level is a user's permission level on a project or a company's Documents tool.
type Level int

// Permission levels, lowest first.
const (
	LevelNone Level = iota
	LevelReadOnly
	LevelStandard
	LevelAdmin
)

// String returns the level's name.
func (l Level) String() string {
	switch l {
	case LevelReadOnly:
		return "read_only"
	case LevelStandard:
		return "standard"
	case LevelAdmin:
		return "admin"
	}

	return "none"
}

// user is an account that can sign in or a service account of an app.
type user struct {
	ID       int64  `json:"id"`
	Login    string `json:"login"`
	Name     string `json:"name"`
	Password string `json:"password"`
	// Service marks the service account behind client_credentials tokens (a DMSA):
	// it has admin rights everywhere.
	Service bool `json:"service,omitempty"`
}

type company struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Root is the id of the company Documents root folder.
	Root int64 `json:"root"`
}

type project struct {
	ID        int64     `json:"id"`
	CompanyID int64     `json:"company_id"`
	Name      string    `json:"name"`
	Number    string    `json:"number"`
	Root      int64     `json:"root"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

type permKey struct {
	User int64
	// Project or company id; Company says which.
	Target  int64
	Company bool
}

type permEntry struct {
	User    int64 `json:"user"`
	Target  int64 `json:"target"`
	Company bool  `json:"company,omitempty"`
	Level   Level `json:"level"`
}

type app struct {
	ClientID     string   `json:"client_id"`
	Secret       string   `json:"secret"`
	RedirectURIs []string `json:"redirect_uris"`
	ServiceUser  int64    `json:"service_user"`
}

type accessToken struct {
	Token     string    `json:"token"`
	UserID    int64     `json:"user_id"`
	ClientID  string    `json:"client_id"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Refresh   string    `json:"refresh,omitempty"`
	Service   bool      `json:"service,omitempty"`
}

type refreshToken struct {
	Token    string `json:"token"`
	UserID   int64  `json:"user_id"`
	ClientID string `json:"client_id"`
	Access   string `json:"access"`
}

type authCode struct {
	Code          string
	UserID        int64
	ClientID      string
	RedirectURI   string
	Challenge     string
	ChallengeMeth string
	ExpiresAt     time.Time
}

// folder is a Documents folder. Project folders have ProjectID set; company
// folders have ProjectID 0.
type folder struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	ParentID    int64     `json:"parent_id"`
	CompanyID   int64     `json:"company_id"`
	ProjectID   int64     `json:"project_id"`
	Private     bool      `json:"private"`
	IsTracked   bool      `json:"is_tracked"`
	Deleted     bool      `json:"deleted"`
	RecycleBin  bool      `json:"recycle_bin"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	CreatedByID int64     `json:"created_by"`
}

type file struct {
	ID              int64      `json:"id"`
	Name            string     `json:"name"`
	ParentID        int64      `json:"parent_id"`
	CompanyID       int64      `json:"company_id"`
	ProjectID       int64      `json:"project_id"`
	Description     string     `json:"description"`
	Private         bool       `json:"private"`
	IsTracked       bool       `json:"is_tracked"`
	Deleted         bool       `json:"deleted"`
	CheckedOutUntil *time.Time `json:"checked_out_until,omitempty"`
	CheckedOutBy    int64      `json:"checked_out_by,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	CreatedByID     int64      `json:"created_by"`
	Versions        []int64    `json:"versions"`
}

type fileVersion struct {
	ID          int64     `json:"id"`
	FileID      int64     `json:"file_id"`
	Number      int       `json:"number"`
	Notes       string    `json:"notes"`
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	Blob        string    `json:"blob"`
	ContentType string    `json:"content_type"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedByID int64     `json:"created_by"`
	ProstoreID  int64     `json:"prostore_id"`
}

type segment struct {
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	MD5    string `json:"md5,omitempty"`
	ETag   string `json:"etag,omitempty"`
}

type upload struct {
	UUID        string    `json:"uuid"`
	OwnerID     int64     `json:"owner_id"`
	CompanyID   int64     `json:"company_id"`
	ProjectID   int64     `json:"project_id"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Attachment  bool      `json:"attachment"`
	Size        int64     `json:"size"`
	Segmented   bool      `json:"segmented"`
	Segments    []segment `json:"segments"`
	Status      string    `json:"status"`
	Blob        string    `json:"blob,omitempty"`
	BlobSize    int64     `json:"blob_size,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	// Expired is set by fault injection: the instructions no longer work.
	Expired bool `json:"expired,omitempty"`
}
