package transfer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"

	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/backsight/backsight/internal/procore"
)

// Outcome says what an upload did in Procore.
type Outcome int

// Outcomes of an upload.
const (
	// Created: a new file was made (the name was free).
	Created Outcome = iota + 1
	// NewVersion: the name was taken; a new version of that file was made.
	NewVersion
	// Unchanged: the name was taken and its latest version holds the same
	// bytes, so nothing was uploaded; FileID and Version name that version.
	Unchanged
)

// String implements fmt.Stringer.
func (o Outcome) String() string {
	switch o {
	case Created:
		return "created"
	case NewVersion:
		return "new version"
	case Unchanged:
		return "unchanged"
	}

	return "unknown"
}

// UploadResult describes one uploaded file.
type UploadResult struct {
	Outcome Outcome
	FileID  int64
	// Version is the number of the version the upload made (1 for a new
	// file), or for Unchanged the number of the latest version, which holds
	// the same bytes.
	Version int
	Name    string
	Size    int64
	// SHA256 is the hex digest of the bytes sent.
	SHA256 string
}

// byName holds a folder's files by exact name.
type byName map[string]procore.File

// maxAssociateTries bounds the attempts to attach an upload to a file.
const maxAssociateTries = 4

// UploadFile uploads the local file path into folder folderID (0: the root)
// of scope. When no file of the same name (exact, case-sensitive) is in the
// folder it creates one; otherwise it adds a version to that file, unless
// the latest version holds the same bytes (see [Options.CompareMax]): then it
// uploads nothing and answers Unchanged. Bytes (sent, or compared for an
// Unchanged file) and the finished file are counted in p; totals are the
// caller's to set with [Progress.AddTotal]. p may be nil.
func (t *Transferer) UploadFile(
	ctx context.Context, scope procore.Scope, folderID int64, path string, p *Progress,
) (*UploadResult, error) {
	existing, err := t.listFiles(ctx, scope, folderID)
	if err != nil {
		return nil, err
	}

	return t.uploadInto(ctx, scope, folderID, path, existing, p)
}

// UploadFileListed is [Transferer.UploadFile] for a caller that has just
// listed folder folderID with [Transferer.ListFolder] (to look at what is
// there before uploading): it takes that listing instead of listing the
// folder again. A file of the same name made since the listing still gets a
// version.
func (t *Transferer) UploadFileListed(
	ctx context.Context, scope procore.Scope, folderID int64, listed *procore.Folder, path string, p *Progress,
) (*UploadResult, error) {
	return t.uploadInto(ctx, scope, folderID, path, filesByName(listed.Files), p)
}

// listFiles lists the files of a folder by name (one request).
func (t *Transferer) listFiles(
	ctx context.Context, scope procore.Scope, folderID int64,
) (byName, error) {
	f, err := t.listFolder(ctx, scope, folderID, &procore.FolderOptions{ExcludeFolders: true, LatestVersionOnly: true})
	if err != nil {
		return nil, err
	}

	return filesByName(f.Files), nil
}

// filesByName indexes the files of a listing that are not deleted by name.
func filesByName(files []procore.File) byName {
	out := make(byName, len(files))
	for _, file := range files {
		if !file.IsDeleted {
			out[file.Name] = file
		}
	}

	return out
}

// uploadInto uploads path into folderID given the folder's current files.
func (t *Transferer) uploadInto(
	ctx context.Context, scope procore.Scope, folderID int64, path string, existing byName, p *Progress,
) (*UploadResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("transfer: upload: %w", err)
	}
	defer f.Close()

	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("transfer: upload: %w", err)
	}

	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s", ErrNotRegular, filepath.Base(path))
	}

	if st.Size() == 0 {
		return nil, fmt.Errorf("%w: %s", ErrEmptyFile, filepath.Base(path))
	}

	name := filepath.Base(path)
	p.SetCurrent(name)

	// One pass over the file gives the digest for the comparison and for
	// the result; segments are hashed on their own for the storage.
	prepared := p.StartPreparing()
	digest, err := fileSHA256(ctx, f, st.Size())
	prepared()
	if err != nil {
		return nil, err
	}

	same, err := t.sameAsLatest(ctx, name, st.Size(), digest, existing, p)
	if err != nil {
		return nil, err
	}

	if same != nil {
		p.FileDone()
		t.log.Debug("transfer upload skipped, latest version is the same", zap.String("name", name),
			zap.Int64("size", same.Size), zap.Int("version", same.Version))

		return same, nil
	}

	up, err := t.sendBytes(ctx, scope, f, name, st.Size(), p)
	if err != nil {
		return nil, err
	}

	if err := checkUnchanged(f, st); err != nil {
		return nil, err
	}

	res, err := t.associate(ctx, scope, folderID, name, up.UUID, st.Size(), existing)
	if err != nil {
		return nil, err
	}
	res.SHA256 = digest
	p.FileDone()

	t.log.Debug("transfer upload done", zap.String("name", name), zap.Int64("size", res.Size),
		zap.Stringer("outcome", res.Outcome), zap.Int("version", res.Version))

	return res, nil
}

// checkUnchanged fails when the file's size changed during the upload.
func checkUnchanged(f *os.File, before os.FileInfo) error {
	after, err := f.Stat()
	if err != nil {
		return fmt.Errorf("transfer: upload: %w", err)
	}

	if after.Size() != before.Size() {
		return fmt.Errorf("transfer: upload: %s: %w", before.Name(), procore.ErrSourceChanged)
	}

	return nil
}

// sendBytes creates an upload and sends the file to storage, single-part or
// segmented by size.
func (t *Transferer) sendBytes(
	ctx context.Context, scope procore.Scope, f *os.File, name string, size int64, p *Progress,
) (*procore.Upload, error) {
	if size < t.opts.SinglePartMax {
		return t.sendSingle(ctx, scope, f, name, size, p)
	}

	return t.sendSegments(ctx, scope, f, name, size, p)
}

// sendSingle sends a small file through the storage form POST. Instructions
// that expired (403 from storage) are replaced by a new upload once.
func (t *Transferer) sendSingle(
	ctx context.Context, scope procore.Scope, f *os.File, name string, size int64, p *Progress,
) (*procore.Upload, error) {
	for try := 0; ; try++ {
		up, _, err := t.c.Uploads.Create(ctx, scope, procore.UploadRequest{ResponseFilename: name, Size: size})
		if err == nil && up.UUID == "" {
			// Without it the file would be made without content.
			err = fmt.Errorf("upload: %w", errNoID)
		}

		if err != nil {
			return nil, fmt.Errorf("transfer: upload %s: %w", name, err)
		}

		err = t.c.Uploads.PostToStorage(ctx, up, name, f, size, p.AddBytes)
		if err == nil {
			return up, nil
		}

		if try > 0 || !errors.Is(err, procore.ErrForbidden) {
			return nil, fmt.Errorf("transfer: upload %s: %w", name, err)
		}

		t.log.Debug("transfer upload instructions expired", zap.String("name", name))
	}
}

// segment is one piece of a segmented upload.
type segment struct {
	off, size int64
	sha256    string
}

// sendSegments hashes the file's segments, asks for segmented upload
// instructions, PUTs the segments concurrently and completes the upload.
// When the storage keeps refusing an upload whose instructions expired
// (fresh URLs from GET upload did not help), it starts once more with a new
// upload.
func (t *Transferer) sendSegments(
	ctx context.Context, scope procore.Scope, f *os.File, name string, size int64, p *Progress,
) (*procore.Upload, error) {
	prepared := p.StartPreparing()
	segs, err := t.hashSegments(ctx, f, size)
	prepared()
	if err != nil {
		return nil, err
	}

	for try := 0; ; try++ {
		var sent atomic.Int64
		count := func(n int64) {
			sent.Add(n)
			p.AddBytes(n)
		}

		up, err := t.segmentedOnce(ctx, scope, f, name, segs, count)
		if err == nil {
			return up, nil
		}

		p.AddBytes(-sent.Load())
		if try > 0 || !errors.Is(err, procore.ErrForbidden) || ctx.Err() != nil {
			return nil, fmt.Errorf("transfer: upload %s: %w", name, err)
		}

		t.log.Debug("transfer upload expired, starting a new one", zap.String("name", name))
	}
}

// segmentedOnce runs one segmented upload: create, PUT every segment,
// complete.
func (t *Transferer) segmentedOnce(
	ctx context.Context, scope procore.Scope, f *os.File, name string, segs []segment, count func(int64),
) (*procore.Upload, error) {
	req := procore.UploadRequest{ResponseFilename: name}
	for _, s := range segs {
		req.Size += s.size
		req.Segments = append(req.Segments, procore.UploadSegment{Size: s.size, SHA256: s.sha256})
	}

	up, _, err := t.c.Uploads.Create(ctx, scope, req)
	if err != nil {
		return nil, err
	}

	if up.UUID == "" {
		return nil, fmt.Errorf("upload: %w", errNoID)
	}

	if len(up.Segments) != len(segs) {
		return nil, fmt.Errorf("procore answered %d segments, want %d", len(up.Segments), len(segs))
	}

	etags, err := t.putSegments(ctx, scope, up, segs, f, count)
	if err != nil {
		return nil, err
	}

	if _, _, err := t.c.Uploads.Complete(ctx, scope, up.UUID, etags); err != nil {
		return nil, fmt.Errorf("complete: %w", err)
	}

	return up, nil
}

// hashSegments splits the file into segments and hashes each one from its
// own section of the file, several at once. The caller shows it as
// preparing (see [Progress.StartPreparing]).
func (t *Transferer) hashSegments(ctx context.Context, f *os.File, size int64) ([]segment, error) {
	n := (size + t.opts.SegmentSize - 1) / t.opts.SegmentSize
	segs := make([]segment, n)
	for i := range segs {
		off := int64(i) * t.opts.SegmentSize
		segs[i] = segment{off: off, size: min(t.opts.SegmentSize, size-off)}
	}

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(t.opts.Concurrency)
	for i := range segs {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}

			h := sha256.New()
			n, err := io.Copy(h, io.NewSectionReader(f, segs[i].off, segs[i].size))
			if err != nil {
				return fmt.Errorf("transfer: hash segment %d: %w", i+1, err)
			}

			if n != segs[i].size {
				return fmt.Errorf("transfer: hash segment %d: %w", i+1, procore.ErrSourceChanged)
			}
			segs[i].sha256 = hex.EncodeToString(h.Sum(nil))

			return nil
		})
	}

	if err := g.Wait(); err != nil {
		return nil, err
	}

	return segs, nil
}

// putSegments sends every segment (bounded concurrency) and returns the
// ETags in segment order. A segment rejected with 403 (instructions
// expired) gets fresh instructions from GET upload and is sent again from
// its own section of the file.
func (t *Transferer) putSegments(
	ctx context.Context, scope procore.Scope, up *procore.Upload, segs []segment, f *os.File, count func(int64),
) ([]string, error) {
	etags := make([]string, len(segs))
	ins := &instructions{up: up}

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(t.opts.Concurrency)
	for i := range segs {
		g.Go(func() error {
			for refresh := 0; ; refresh++ {
				seg, gen := ins.segment(i)
				etag, err := t.c.Uploads.PutSegment(gctx, seg, f, segs[i].off, count)
				if err == nil {
					etags[i] = etag
					return nil
				}

				if refresh >= 1 || !errors.Is(err, procore.ErrForbidden) {
					return fmt.Errorf("segment %d/%d: %w", i+1, len(segs), err)
				}

				t.log.Debug("transfer segment instructions expired", zap.Int("segment", i+1))
				if err := ins.refresh(gctx, t.c, scope, gen); err != nil {
					return fmt.Errorf("segment %d/%d: refresh instructions: %w", i+1, len(segs), err)
				}
			}
		})
	}

	if err := g.Wait(); err != nil {
		return nil, err
	}

	return etags, nil
}

// associate attaches a completed upload to the folder: a new file when the
// name is free, a new version otherwise. The create calls are not retried
// by the client after an ambiguous failure, so this checks what Procore
// holds before trying again, which keeps a lost answer from making a
// duplicate file or version.
func (t *Transferer) associate(
	ctx context.Context, scope procore.Scope, folderID int64, name, uuid string, size int64, existing byName,
) (*UploadResult, error) {
	var lastErr error
	lost := false // the last attempt's answer was lost
	for try := 0; try < maxAssociateTries; try++ {
		if lost {
			res, found, err := t.reconcile(ctx, scope, folderID, name, size, existing)
			if err != nil {
				return nil, err
			}

			if found {
				return res, nil
			}
		}

		res, err := t.associateOnce(ctx, scope, folderID, name, uuid, size, existing)
		if err == nil {
			return res, nil
		}

		if errors.Is(err, procore.ErrNameTaken) {
			// Someone made the file meanwhile: list again and add a version.
			// A name taken only in another letter case (Procore may compare
			// names without case) is the caller's to resolve.
			files, lerr := t.listFiles(ctx, scope, folderID)
			if lerr != nil {
				return nil, lerr
			}

			if _, ok := files[name]; !ok {
				return nil, err
			}
			// The listing just made is current: no need to check again.
			existing = files
			lastErr, lost = err, false

			continue
		}

		if !ambiguous(err) || ctx.Err() != nil {
			return nil, err
		}

		lastErr, lost = err, true
		t.log.Debug("transfer associate failed, checking procore", zap.String("name", name),
			zap.Int("try", try+1))
	}

	return nil, lastErr
}

// associateOnce makes the file or the version.
func (t *Transferer) associateOnce(
	ctx context.Context, scope procore.Scope, folderID int64, name, uuid string, size int64, existing byName,
) (*UploadResult, error) {
	if file, ok := existing[name]; ok {
		v, _, err := t.c.FileVersions.Create(ctx, scope, file.ID, procore.FileVersionCreate{UploadUUID: uuid})
		if err != nil {
			return nil, fmt.Errorf("transfer: new version of %s: %w", name, err)
		}

		return &UploadResult{Outcome: NewVersion, FileID: file.ID, Version: v.Number, Name: name, Size: size}, nil
	}

	unique := false
	file, _, err := t.c.Files.Create(ctx, scope, procore.FileCreate{
		Name: name, ParentID: folderID, UploadUUID: uuid, UniqueName: &unique,
	})
	if err != nil {
		return nil, fmt.Errorf("transfer: create %s: %w", name, err)
	}

	version := 1
	if v := file.LatestVersion(); v != nil {
		version = v.Number
	}

	return &UploadResult{Outcome: Created, FileID: file.ID, Version: version, Name: name, Size: size}, nil
}

// reconcile looks for the effect of an attempt whose answer was lost: a new
// file of that name, or a newer version of the existing one, of our size.
//
// TODO(transfer): Procore keeps no checksum on files, so a same-sized file
// made by someone else in that instant would be taken for ours; compare the
// version's upload uuid if Procore ever exposes it.
func (t *Transferer) reconcile(
	ctx context.Context, scope procore.Scope, folderID int64, name string, size int64, existing byName,
) (*UploadResult, bool, error) {
	files, err := t.listFiles(ctx, scope, folderID)
	if err != nil {
		return nil, false, err
	}

	now, ok := files[name]
	if !ok {
		return nil, false, nil
	}

	// Any field may come back null: a version without a size takes the
	// file's, and a new file listed without versions is version 1.
	number := 1
	latest := now.LatestVersion()
	if latest != nil {
		number = max(latest.Number, 1)
	}
	latestSize := versionSize(now, latest)

	before, had := existing[name]
	found := func(o Outcome) (*UploadResult, bool, error) {
		return &UploadResult{Outcome: o, FileID: now.ID, Version: number, Name: name, Size: size}, true, nil
	}

	switch {
	case !had && latestSize == size:
		return found(Created)
	case had && latest != nil && latestNumber(before) < number && latestSize == size:
		return found(NewVersion)
	case !had:
		// A file of that name appeared but not ours: make a version of it.
		existing[name] = now
	}

	return nil, false, nil
}

// versionSize returns the size of version v (nil: none) of file f. A
// version listed without a size takes the file's.
func versionSize(f procore.File, v *procore.FileVersion) int64 {
	if v != nil && v.Size > 0 {
		return v.Size
	}

	return f.Size
}

func latestNumber(f procore.File) int {
	if v := f.LatestVersion(); v != nil {
		return v.Number
	}

	return 0
}

// ambiguous reports an error after which the request may or may not have
// been carried out: no HTTP answer, or a 5xx.
func ambiguous(err error) bool {
	var te *procore.TransportError
	if errors.As(err, &te) {
		return true
	}

	var er *procore.ErrorResponse
	return errors.As(err, &er) && er.StatusCode >= 500
}
