package ui

import (
	"bytes"
	"image"
	_ "image/png"
	"sync/atomic"
	"testing"
	"time"
)

func TestMemoryReleaserCoalesces(t *testing.T) {
	var frees atomic.Int32
	r := &memoryReleaser{delay: time.Hour, free: func() { frees.Add(1) }}

	r.soon()
	first := r.timer
	r.soon()
	r.soon()
	if r.timer != first {
		t.Fatal("a second soon started another timer instead of pushing the first back")
	}

	r.release()
	if got := frees.Load(); got != 1 {
		t.Fatalf("frees = %d after one release, want 1", got)
	}

	r.stop()
	r.soon()
	if r.timer != nil {
		t.Fatal("soon after stop scheduled a release")
	}
	r.release()
	if got := frees.Load(); got != 1 {
		t.Fatalf("frees = %d after stop, want still 1", got)
	}
}

func TestMemoryReleaserFires(t *testing.T) {
	freed := make(chan struct{}, 1)
	r := &memoryReleaser{delay: time.Millisecond, free: func() { freed <- struct{}{} }}
	defer r.stop()

	r.soon()
	select {
	case <-freed:
	case <-time.After(10 * time.Second):
		t.Fatal("no release within 10 s of soon")
	}
}

func TestWindowIconIsSmallPNG(t *testing.T) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(windowIcon.Content()))
	if err != nil {
		t.Fatalf("decode the window icon: %v", err)
	}
	if format != "png" || cfg.Width != 256 || cfg.Height != 256 {
		t.Errorf("window icon is a %d×%d %s, want a 256×256 png", cfg.Width, cfg.Height, format)
	}
}
