// Package logging builds Backsight's zap logger: JSON lines to a size-rotated
// file in the user's cache directory, plus readable console output when
// debugging. The logger is returned to the caller and passed on from there;
// nothing here sets a global logger.
//
// Every entry passes through a redacting core, so a secret that slipped into
// a message or a string field (a token, a code, a signed URL's query) is
// masked before it is written. Call sites still pass URLs and headers through
// package redact themselves; the core is the second line of defence.
package logging

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"gopkg.in/natefinch/lumberjack.v2"

	"github.com/backsight/backsight/internal/redact"
)

// FileName is the name of the current log file inside the log folder.
const FileName = "backsight.log"

// Options configures [New].
type Options struct {
	// Dir is the log folder; empty means [DefaultDir].
	Dir string
	// Level is debug, info, warn or error for the file.
	Level string
	// MaxSizeMB and MaxBackups control rotation.
	MaxSizeMB  int
	MaxBackups int
	// Console, when not nil, receives readable output at debug level.
	Console io.Writer
}

// DefaultDir returns os.UserCacheDir()/backsight/logs.
func DefaultDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("logging: %w", err)
	}

	return filepath.Join(base, "backsight", "logs"), nil
}

// New returns a logger and a function that flushes and closes the log file.
func New(opts Options) (*zap.Logger, func() error, error) {
	dir := opts.Dir
	if dir == "" {
		d, err := DefaultDir()
		if err != nil {
			return nil, nil, err
		}
		dir = d
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("logging: create %s: %w", dir, err)
	}

	level, err := zapcore.ParseLevel(orDefault(opts.Level, "info"))
	if err != nil {
		return nil, nil, fmt.Errorf("logging: level: %w", err)
	}

	file := &lumberjack.Logger{
		Filename:   filepath.Join(dir, FileName),
		MaxSize:    max(opts.MaxSizeMB, 1),
		MaxBackups: opts.MaxBackups,
		Compress:   false,
	}

	encCfg := zap.NewProductionEncoderConfig()
	encCfg.EncodeTime = zapcore.ISO8601TimeEncoder
	cores := []zapcore.Core{
		NewRedactingCore(zapcore.NewCore(zapcore.NewJSONEncoder(encCfg), zapcore.AddSync(file), level)),
	}

	if opts.Console != nil {
		conCfg := zap.NewDevelopmentEncoderConfig()
		conCfg.EncodeTime = zapcore.TimeEncoderOfLayout("15:04:05.000")
		cores = append(cores, NewRedactingCore(zapcore.NewCore(zapcore.NewConsoleEncoder(conCfg),
			zapcore.Lock(zapcore.AddSync(opts.Console)), zapcore.DebugLevel)))
	}

	logger := zap.New(zapcore.NewTee(cores...))
	closeFn := func() error {
		_ = logger.Sync()
		return file.Close()
	}

	return logger, closeFn, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}

	return s
}

// NewRedactingCore wraps core so that the message and every string field of
// each entry pass through [redact.String] before they are encoded.
func NewRedactingCore(core zapcore.Core) zapcore.Core {
	return redactingCore{core}
}

type redactingCore struct{ zapcore.Core }

func (c redactingCore) With(fields []zapcore.Field) zapcore.Core {
	return redactingCore{c.Core.With(redactFields(fields))}
}

func (c redactingCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(e.Level) {
		return ce.AddCore(e, c)
	}

	return ce
}

func (c redactingCore) Write(e zapcore.Entry, fields []zapcore.Field) error {
	e.Message = redact.String(e.Message)

	return c.Core.Write(e, redactFields(fields))
}

func redactFields(fields []zapcore.Field) []zapcore.Field {
	out := make([]zapcore.Field, len(fields))
	for i, f := range fields {
		switch f.Type {
		case zapcore.StringType:
			f.String = redact.String(f.String)
		case zapcore.ErrorType:
			if err, ok := f.Interface.(error); ok && err != nil {
				f = zap.String(f.Key, redact.String(err.Error()))
			}
		case zapcore.StringerType:
			if s, ok := f.Interface.(fmt.Stringer); ok && s != nil {
				f = zap.String(f.Key, redact.String(s.String()))
			}
		}
		out[i] = f
	}

	return out
}
