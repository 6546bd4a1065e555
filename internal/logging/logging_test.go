package logging

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

const token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzUxMiJ9.c2VjcmV0LXRva2Vu"

func TestRedactingCore(t *testing.T) {
	obs, logs := observer.New(zapcore.DebugLevel)
	log := zap.New(NewRedactingCore(obs)).With(zap.String("auth", "Bearer "+token))

	log.Info("request",
		zap.String("url", "https://storage.example.com/f?sig="+token+"&companyId=1"),
		zap.Error(errors.New("post https://login.example.com/oauth/token?code=abc123def: 401")),
		zap.String("body", `{"access_token":"`+token+`"}`),
	)

	for _, e := range logs.All() {
		for k, v := range e.ContextMap() {
			s, _ := v.(string)
			if strings.Contains(s, token) || strings.Contains(s, "abc123def") {
				t.Errorf("field %s leaks a secret: %s", k, s)
			}
		}
	}
}

func TestNewWritesJSONAndConsole(t *testing.T) {
	dir := t.TempDir()
	var console bytes.Buffer
	log, closeFn, err := New(Options{Dir: dir, Level: "info", MaxSizeMB: 1, Console: &console})
	if err != nil {
		t.Fatal(err)
	}

	log.Debug("debug only on console")
	log.Info("signed in", zap.String("token", "access_token="+token))
	if err := closeFn(); err != nil {
		t.Fatal(err)
	}

	data, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"msg":"signed in"`) {
		t.Errorf("log file has no JSON entry: %s", data)
	}
	if strings.Contains(string(data), "debug only") {
		t.Error("debug entry reached an info-level file")
	}
	if strings.Contains(string(data)+console.String(), token) {
		t.Error("token leaked into the log")
	}
	if !strings.Contains(console.String(), "debug only on console") {
		t.Errorf("console missing debug entry: %q", console.String())
	}
}
