package transfer

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// Job is one unit of work for a [Manager]: an upload, a download, a folder.
// It counts its work in p and stops when ctx is done.
type Job func(ctx context.Context, p *Progress) error

// ErrManagerClosed is returned by jobs submitted after Close.
var ErrManagerClosed = errors.New("transfer: manager closed")

// Manager runs jobs with at most a fixed number at once. Waiting jobs start in
// no particular order. It is safe for concurrent use.
type Manager struct {
	ctx    context.Context
	cancel context.CancelFunc
	sem    chan struct{}
	wg     sync.WaitGroup
	nextID atomic.Int64
	closed atomic.Bool
}

// NewManager returns a Manager running at most limit jobs at once (1 when
// limit < 1). Jobs run under ctx: cancelling it cancels all of them.
func NewManager(ctx context.Context, limit int) *Manager {
	if limit < 1 {
		limit = 1
	}

	ctx, cancel := context.WithCancel(ctx)
	return &Manager{ctx: ctx, cancel: cancel, sem: make(chan struct{}, limit)}
}

// Handle follows one submitted job.
type Handle struct {
	// ID numbers jobs from 1 in submission order.
	ID int64
	// Name is the label given to Submit.
	Name string
	// Progress is the job's counter; read it or call Report on it.
	Progress *Progress

	cancel context.CancelFunc
	done   chan struct{}
	err    error
}

// Cancel stops the job (or keeps it from starting).
func (h *Handle) Cancel() { h.cancel() }

// Done is closed when the job has ended.
func (h *Handle) Done() <-chan struct{} { return h.done }

// Err returns the job's error after Done is closed (nil on success,
// context.Canceled when it was cancelled).
func (h *Handle) Err() error {
	<-h.done
	return h.err
}

// Submit queues job under the label name and returns at once.
func (m *Manager) Submit(name string, job Job) *Handle {
	ctx, cancel := context.WithCancel(m.ctx)
	h := &Handle{ID: m.nextID.Add(1), Name: name, Progress: &Progress{}, cancel: cancel, done: make(chan struct{})}
	if m.closed.Load() {
		h.err = ErrManagerClosed
		cancel()
		close(h.done)

		return h
	}

	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer close(h.done)
		defer cancel()

		select {
		case m.sem <- struct{}{}:
		case <-ctx.Done():
			h.err = ctx.Err()
			return
		}
		defer func() { <-m.sem }()

		if err := ctx.Err(); err != nil {
			h.err = err // cancelled while both were ready
			return
		}

		h.err = job(ctx, h.Progress)
	}()

	return h
}

// Wait blocks until every submitted job has ended.
func (m *Manager) Wait() { m.wg.Wait() }

// Close cancels all jobs, refuses new ones and waits for the running ones
// to stop.
func (m *Manager) Close() {
	m.closed.Store(true)
	m.cancel()
	m.wg.Wait()
}
