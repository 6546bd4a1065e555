package auth

import (
	"testing"
	"time"
)

// BenchmarkTokenValid measures the hot path: a valid token handed out to
// parallel callers.
func BenchmarkTokenValid(b *testing.B) {
	fs, err := NewFileStore(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	s, err := NewSession(b.Context(), Config{Env: Production, ClientID: "id"}, Options{Store: fs})
	if err != nil {
		b.Fatal(err)
	}
	s.rec = &Record{AccessToken: "a", RefreshToken: "r", Expiry: time.Now().Add(time.Hour)}

	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Token(b.Context()); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
