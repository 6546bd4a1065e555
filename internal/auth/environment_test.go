package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestResolveEnvironment(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name, env, login, api string
		want                  Environment
		wantErr               bool
	}{
		{name: "production", env: "production", want: Production},
		{name: "sandbox ignores urls", env: "Sandbox", login: "x", want: DeveloperSandbox},
		{name: "monthly", env: " monthly ", want: MonthlySandbox},
		{
			name: "custom loopback http", env: "custom",
			login: "http://127.0.0.1:8080/", api: "http://127.0.0.1:8080",
			want: Environment{
				Name: EnvCustom, LoginURL: "http://127.0.0.1:8080", APIURL: "http://127.0.0.1:8080",
			},
		},
		{
			name: "custom localhost and ipv6", env: "custom",
			login: "http://localhost:1", api: "http://[::1]:2",
			want: Environment{Name: EnvCustom, LoginURL: "http://localhost:1", APIURL: "http://[::1]:2"},
		},
		{
			name: "custom 127/8", env: "custom",
			login: "http://127.3.4.5", api: "https://api.example.com/base",
			want: Environment{
				Name: EnvCustom, LoginURL: "http://127.3.4.5", APIURL: "https://api.example.com/base",
			},
		},
		{name: "custom plain http remote", env: "custom", login: "http://example.com",
			api: "https://example.com", wantErr: true},
		{name: "custom missing api", env: "custom", login: "https://example.com", wantErr: true},
		{name: "custom relative", env: "custom", login: "/oauth", api: "https://e.com", wantErr: true},
		{name: "custom ftp", env: "custom", login: "ftp://e.com", api: "https://e.com", wantErr: true},
		{name: "custom userinfo", env: "custom", login: "https://u:p@e.com", api: "https://e.com",
			wantErr: true},
		{name: "custom query", env: "custom", login: "https://e.com?x=1", api: "https://e.com",
			wantErr: true},
		{name: "localhost lookalike", env: "custom", login: "http://localhost.example.com",
			api: "https://e.com", wantErr: true},
		{name: "unknown", env: "staging", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			got, err := ResolveEnvironment(tt.env, tt.login, tt.api)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("got %+v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestResolveEnvironmentUnknownIsTyped(t *testing.T) {
	t.Parallel()

	_, err := ResolveEnvironment("nope", "", "")
	if !errors.Is(err, ErrUnknownEnvironment) {
		t.Fatalf("err = %v, want ErrUnknownEnvironment", err)
	}
}

func TestBuiltInEnvironmentsValidate(t *testing.T) {
	t.Parallel()

	for _, env := range []Environment{Production, DeveloperSandbox, MonthlySandbox} {
		if err := env.Validate(); err != nil {
			t.Errorf("%s: %v", env.Name, err)
		}
	}
}

func TestStoreKey(t *testing.T) {
	t.Parallel()

	if got := StoreKey(Production, "abc"); got != "production:abc" {
		t.Errorf("production key = %q", got)
	}

	custom, err := CustomEnvironment("http://127.0.0.1:9000", "http://127.0.0.1:9000")
	if err != nil {
		t.Fatal(err)
	}
	if got := StoreKey(custom, "abc"); got != "custom@127.0.0.1:9000:abc" {
		t.Errorf("custom key = %q", got)
	}
}

// TestEnvironmentErrorsHideUserinfo: a base URL with a password in it is
// refused without the password in the error.
func TestEnvironmentErrorsHideUserinfo(t *testing.T) {
	t.Parallel()

	for _, raw := range []string{
		"https://user:pa55word@login.example.test",
		"http://user:pa55word@example.test",
		"https://user:pa55word@login.example.test/\x7f",
	} {
		_, err := CustomEnvironment(raw, "https://api.example.test")
		if err == nil || strings.Contains(err.Error(), "pa55word") {
			t.Errorf("%q: %v", raw, err)
		}
	}
}
