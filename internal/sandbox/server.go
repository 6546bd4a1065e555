package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"go.uber.org/zap"
)

// memBlobLimit is the largest content an in-memory sandbox keeps in memory.
const memBlobLimit = 1 << 20

// Server is a running sandbox: an API/login listener and a storage listener.
// Its methods are safe for concurrent use.
type Server struct {
	opts Options
	log  *zap.Logger

	mu sync.Mutex
	st *state

	blobs   *blobStore
	limiter *rateLimiter
	faults  *faultSet
	stats   *statsSet

	apiLn, storLn   net.Listener
	apiSrv, storSrv *http.Server
	apiNew, storNew *newConns // their connections without a request yet
	url, storageURL string
	tmpDir          string
	consents        map[string]*consent
	saver           *saver
	baseCtx         context.Context // Start's ctx without its cancellation, for Close
	methods         map[string][]string
	closeOnce       sync.Once
	closeErr        error
}

// Start opens the listeners, loads or seeds the data and serves until Close.
// ctx only bounds the start-up.
func Start(ctx context.Context, opts Options) (*Server, error) {
	opts.setDefaults()

	s := &Server{
		opts: opts, log: opts.Logger, stats: newStats(), consents: map[string]*consent{},
		saver: newSaver(), baseCtx: context.WithoutCancel(ctx),
	}
	s.limiter = newRateLimiter(opts)
	s.faults = newFaultSet(opts)

	if err := s.openData(ctx); err != nil {
		return nil, err
	}

	if err := s.listen(ctx); err != nil {
		s.cleanup()
		return nil, err
	}

	s.serve()
	go s.runSaver()

	s.log.Info("sandbox started", zap.String("api", s.url), zap.String("storage", s.storageURL),
		zap.String("data_dir", s.opts.DataDir), zap.String("seed", s.opts.Seed))

	return s, nil
}

func (s *Server) openData(ctx context.Context) error {
	dir := s.opts.DataDir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "procore-sandbox-")
		if err != nil {
			return fmt.Errorf("sandbox: temp dir: %w", err)
		}

		s.tmpDir = tmp
		dir = tmp
	}

	var memLimit int64
	if s.opts.DataDir == "" {
		memLimit = memBlobLimit
	}

	blobs, err := newBlobStore(dir, memLimit)
	if err != nil {
		s.cleanup()
		return err
	}

	s.blobs = blobs

	st, found, err := loadState(s.opts.DataDir)
	if err != nil {
		s.cleanup()
		return err
	}

	s.st = st
	if found {
		return nil
	}

	switch s.opts.Seed {
	case "":
	case "demo":
		if err := s.seedDemo(ctx); err != nil {
			s.cleanup()
			return fmt.Errorf("sandbox: seed demo: %w", err)
		}
	default:
		s.cleanup()
		return fmt.Errorf("sandbox: unknown seed %q", s.opts.Seed)
	}

	return s.save()
}

func (s *Server) listen(ctx context.Context) error {
	var lc net.ListenConfig

	apiLn, err := lc.Listen(ctx, "tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("sandbox: listen api: %w", err)
	}

	s.apiLn = apiLn

	storLn, err := lc.Listen(ctx, "tcp", s.opts.StorageAddr)
	if err != nil {
		return fmt.Errorf("sandbox: listen storage: %w", err)
	}

	s.storLn = storLn
	s.url = "http://" + hostPort(apiLn.Addr())
	s.storageURL = "http://" + hostPort(storLn.Addr())

	return nil
}

// hostPort turns a wildcard listen address into one a client can dial.
func hostPort(a net.Addr) string {
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}

	if ta.IP == nil || ta.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", fmt.Sprint(ta.Port))
	}

	return ta.String()
}

func (s *Server) serve() {
	s.apiNew, s.storNew = newNewConns(), newNewConns()
	s.apiSrv = &http.Server{Handler: s.apiHandler(), ReadHeaderTimeout: 30 * time.Second,
		ConnState: s.apiNew.track}
	s.storSrv = &http.Server{Handler: s.storageHandler(), ReadHeaderTimeout: 30 * time.Second,
		ConnState: s.storNew.track}

	go s.run(s.apiSrv, s.apiLn, "api")
	go s.run(s.storSrv, s.storLn, "storage")
}

func (s *Server) run(srv *http.Server, ln net.Listener, name string) {
	err := srv.Serve(ln)
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		s.log.Error("sandbox listener stopped", zap.String("listener", name), zap.Error(err))
	}
}

// URL is the login and API base URL, e.g. "http://127.0.0.1:PORT".
func (s *Server) URL() string { return s.url }

// StorageURL is the base URL of the storage listener.
func (s *Server) StorageURL() string { return s.storageURL }

// Close stops both listeners, writes the metadata and removes the temporary
// data directory of an in-memory sandbox.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(s.baseCtx, 2*time.Second)
		defer cancel()

		// Both listeners at once: each may wait for its requests in flight.
		var (
			wg   sync.WaitGroup
			errs = make([]error, 2)
		)
		for i, srv := range []struct {
			*http.Server
			nc *newConns
		}{{s.apiSrv, s.apiNew}, {s.storSrv, s.storNew}} {
			if srv.Server == nil {
				continue
			}
			wg.Go(func() {
				if err := shutdown(ctx, srv.Server, srv.nc); err != nil {
					errs[i] = srv.Close()
				}
			})
		}
		wg.Wait()

		close(s.saver.stop)
		<-s.saver.done
		errs = append(errs, s.save())

		s.cleanup()
		s.closeErr = errors.Join(errs...)
	})

	return s.closeErr
}

func (s *Server) cleanup() {
	if s.apiLn != nil && s.apiSrv == nil {
		_ = s.apiLn.Close()
	}

	if s.storLn != nil && s.storSrv == nil {
		_ = s.storLn.Close()
	}

	if s.tmpDir != "" {
		_ = os.RemoveAll(s.tmpDir)
	}
}

func (s *Server) now() time.Time { return s.opts.Clock().UTC() }
