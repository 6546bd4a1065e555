package transfer

import (
	"errors"

	"go.uber.org/zap"

	"github.com/backsight/backsight/internal/procore"
)

// Defaults of [Options].
const (
	DefaultSinglePartMax = 5 << 20
	DefaultSegmentSize   = 8 << 20
	MinSegmentSize       = 5 << 20
	DefaultConcurrency   = 4
	DefaultFileWorkers   = 4
	DefaultCompareMax    = 256 << 20
)

// Options tunes a [Transferer]. Zero values take the defaults.
type Options struct {
	// SinglePartMax: files smaller than this go through the single-part
	// storage form; larger ones through segments.
	SinglePartMax int64
	// SegmentSize is the size of each segment (at least MinSegmentSize).
	SegmentSize int64
	// Concurrency bounds the segments of one file sent at once.
	Concurrency int
	// FileWorkers bounds the files of a folder upload sent at once.
	FileWorkers int
	// CompareMax is the largest file compared with the latest version of
	// the file whose name it takes before uploading (default
	// DefaultCompareMax). Procore publishes no checksum, so when the sizes
	// match the version is read through SHA-256 (not saved); when the bytes
	// are the same nothing is uploaded. Larger files, and files whose size
	// differs, become a new version without a comparison.
	CompareMax int64
	// AlwaysNewVersion turns the comparison off: a taken name always gets
	// a new version.
	AlwaysNewVersion bool
	// Logger receives debug lines per file and segment; nil logs nothing.
	Logger *zap.Logger
}

// Transferer runs uploads, downloads and listings with one client.
// It is safe for concurrent use.
type Transferer struct {
	c    *procore.Client
	opts Options
	log  *zap.Logger
}

// New returns a Transferer that uses c.
func New(c *procore.Client, opts Options) *Transferer {
	if opts.SinglePartMax <= 0 {
		opts.SinglePartMax = DefaultSinglePartMax
	}

	if opts.SegmentSize <= 0 {
		opts.SegmentSize = DefaultSegmentSize
	}
	opts.SegmentSize = max(opts.SegmentSize, MinSegmentSize)

	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}

	if opts.FileWorkers <= 0 {
		opts.FileWorkers = DefaultFileWorkers
	}

	if opts.CompareMax <= 0 {
		opts.CompareMax = DefaultCompareMax
	}

	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}

	return &Transferer{c: c, opts: opts, log: log}
}

// Errors of this package.
var (
	// ErrEmptyFile: Procore's storage does not take 0-byte files.
	ErrEmptyFile = errors.New("transfer: empty files cannot be uploaded to procore")
	// ErrFolderExists: a folder of that name already exists in the target.
	ErrFolderExists = errors.New("transfer: folder already exists in procore")
	// ErrNotRegular: the local path is not a regular file.
	ErrNotRegular = errors.New("transfer: not a regular file")
)

// FolderExistsError says which folder blocked a folder upload. It matches
// ErrFolderExists.
type FolderExistsError struct {
	Name     string
	FolderID int64
}

// Error implements error.
func (e *FolderExistsError) Error() string {
	return "transfer: folder " + quote(e.Name) + " already exists in procore"
}

// Is matches ErrFolderExists.
func (e *FolderExistsError) Is(target error) bool { return target == ErrFolderExists }

func quote(s string) string { return `"` + s + `"` }
