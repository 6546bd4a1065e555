package localefix

import "testing"

func TestApply(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want map[string]string
	}{
		{"nothing set", map[string]string{}, map[string]string{"LANG": "en_US.UTF-8"}},
		{"C", map[string]string{"LANG": "C"}, map[string]string{"LANG": "en_US.UTF-8"}},
		{"C.UTF-8 in LC_ALL", map[string]string{"LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8"},
			map[string]string{"LC_ALL": "en_US.UTF-8", "LANG": "en_US.UTF-8"}},
		{"real locale kept", map[string]string{"LANG": "fr_FR.UTF-8"},
			map[string]string{"LANG": "fr_FR.UTF-8"}},
		{"LC_ALL wins", map[string]string{"LC_ALL": "it_IT.UTF-8", "LANG": "C"},
			map[string]string{"LC_ALL": "it_IT.UTF-8", "LANG": "C"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range tt.env {
				env[k] = v
			}
			Apply(func(k string) string { return env[k] },
				func(k, v string) error { env[k] = v; return nil })
			for k, v := range tt.want {
				if env[k] != v {
					t.Errorf("%s = %q, want %q", k, env[k], v)
				}
			}
		})
	}
}
